using Ledgerlight.Documents.Kernel;
using static Ledgerlight.Ledger.DocumentContext;
using System.Text.Json;
using Dapper;
using Ledgerlight.Currencies;
using Ledgerlight.Ledger;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Ledger.TaxCodes;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>
/// Vendor credit notes: draft header and lines, posting (CN document: Dr AP gross, Cr expense net, Cr input tax),
/// archive (reversal), and links to bills that become CN clearings once both documents are in the ledger.
/// </summary>
public sealed class CreditNoteStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    const int MaxLines = Limits.MaxLinesPerDocument;
    DateTime Now => clock.GetUtcNow().UtcDateTime;
    static Guid Actor(Principal p) => p.UserId ?? p.CredentialId;

    // ---------------------------------------------------------------- reads

    public async Task<CreditNoteModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<IReadOnlyList<CreditNoteLineModel>> LinesForAsync(NpgsqlConnection conn, Guid companyId, Guid[] ids) =>
        (await conn.QueryAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = ANY(@ids) ORDER BY position",
            new { companyId, ids })).Select(l => l.ToModel()).ToList();

    public async Task<(string? BlobKey, bool Exists)> DocumentAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        var row = await CreditNoteClearing.LoadNoteAsync(conn, null, companyId, id, false);
        return (row?.DocumentBlobKey, row is not null);
    }

    // ---------------------------------------------------------------- create / patch

    public async Task<CreditNoteModel> CreateAsync(Principal principal, CreateCreditNoteRequest r)
    {
        var companyId = principal.CompanyId;
        Limits.LineCount(r.Lines?.Count, "lines", MaxLines);
        var v = new Validation();
        v.Currency(r.Currency, "currency");
        v.Amount(r.Amount, "amount");
        v.MaxLength(r.DocumentNumber, 255, "documentNumber");
        v.MaxLength(r.Description, 1000, "description");
        if (r.LocalCurrencyFxRateOverride is <= 0) v.Add("'localCurrencyFxRateOverride' must be positive", "localCurrencyFxRateOverride");
        if (r.GroupCurrencyFxRateOverride is <= 0) v.Add("'groupCurrencyFxRateOverride' must be positive", "groupCurrencyFxRateOverride");
        CustomPropertyRequests.RefuseUnknownGroups(v, r.CustomProperties, "customProperties");
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
            if (r.Lines![i] is { } line) CreditNoteLineRules.CheckShape(line, v, "lines", i);
        // The whole body's shape first: a malformed body is refused before any per-line database lookup.
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var number = string.IsNullOrWhiteSpace(r.DocumentNumber) ? null : r.DocumentNumber.Trim();
        if (number is not null)
        {
            // documentNumber is the natural idempotency key per vendor: serialise on it and answer with the existing note.
            await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))",
                new { key = $"credit-note:{companyId}:{r.BusinessPartnerId}:{number}" }, tx);
            var existing = await conn.ExecuteScalarAsync<Guid?>("""
                SELECT id FROM credit_notes WHERE company_id = @companyId AND document_number = @number
                   AND vendor_id IS NOT DISTINCT FROM @vendorId
                """, new { companyId, number, vendorId = r.BusinessPartnerId }, tx);
            if (existing is { } found) return (await LoadModelAsync(conn, tx, companyId, found))!;
        }
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var vendor = r.BusinessPartnerId is { } vid ? await VendorAsync(conn, tx, companyId, vid) : null;
        if (r.BusinessPartnerId is { } missing && vendor is null) v.Add($"Vendor {missing} does not exist", "businessPartnerId");
        var withTax = r.AreLinesWithTax ?? false;
        var lines = new List<ResolvedLine>();
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
            if (await ResolveLineAsync(conn, tx, companyId, vendor, r.Lines![i], withTax, v, "lines", i) is { } line) lines.Add(line);
        v.ThrowIfAny();

        var amount = r.Amount;
        if (lines.Count > 0)
        {
            var sum = lines.Sum(l => l.Amounts.Gross);
            if (amount is { } given && given != sum)
                throw ApiException.Unprocessable($"'amount' {given} does not equal the sum of the lines {sum}", "amount");
            amount = sum;
        }
        var currency = r.Currency ?? await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx);
        var id = Ids.New();
        var now = Now;
        await conn.ExecuteAsync("""
            INSERT INTO credit_notes (company_id, id, company_entity_id, vendor_id, status, document_number, amount, currency, description,
                                      document_date, posting_date, are_lines_with_tax, local_fx_rate_override, group_fx_rate_override,
                                      created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @vendorId, 'DRAFT', @number, @amount, @currency, @Description, @DocumentDate, @DocumentDate,
                    @withTax, @LocalCurrencyFxRateOverride, @GroupCurrencyFxRateOverride, @actor, @actor, @now, @now)
            """, new
        {
            companyId, id, entityId, vendorId = r.BusinessPartnerId, number, amount, currency, r.Description, r.DocumentDate, withTax,
            r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, actor = Actor(principal), now,
        }, tx);
        foreach (var line in lines) await InsertLineAsync(conn, tx, companyId, id, line, now);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, companyId, id))!;
    }

    /// <summary>A draft credit note for the bill's vendor, currency, entity and lines.</summary>
    public async Task<CreditNoteModel?> CreateFromBillAsync(Principal principal, Guid billId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await conn.QuerySingleOrDefaultAsync<(Guid EntityId, Guid? VendorId, string Currency, string? Description, bool IncludeTax, long? Amount, DateOnly? IssuedDate, string? Number)>("""
            SELECT company_entity_id, vendor_id, trim(currency), description, line_items_include_tax, amount, issued_date, invoice_number
              FROM invoice_payables WHERE company_id = @companyId AND id = @billId
            """, new { companyId, billId }, tx);
        if (bill.EntityId == Guid.Empty) return null;
        var id = Ids.New();
        var now = Now;
        await conn.ExecuteAsync("""
            INSERT INTO credit_notes (company_id, id, company_entity_id, vendor_id, status, amount, currency, description, are_lines_with_tax,
                                      source_invoice_payable_id, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @EntityId, @VendorId, 'DRAFT', @Amount, @Currency, @description, @IncludeTax, @billId, @actor, @actor, @now, @now);
            INSERT INTO credit_note_lines (company_id, id, credit_note_id, position, gross_amount, net_amount, tax_amount, description, tax_code_id,
                                           account_id, created_at, updated_at)
            SELECT company_id, gen_random_uuid(), @id, position, amount, net_amount, tax_amount, description, tax_code_id, account_id, @now, @now
              FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId
            """, new
        {
            companyId, id, bill.EntityId, bill.VendorId, bill.Amount, bill.Currency, bill.IncludeTax, billId, actor = Actor(principal), now,
            description = bill.Description ?? (bill.Number is null ? null : $"Credit for {bill.Number}"),
        }, tx);
        await RecomputeAmountAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>PATCH of a draft's header: a field sent as null clears it, an omitted one stays.</summary>
    public async Task<CreditNoteModel?> PatchAsync(Principal principal, Guid id, UpdateCreditNoteRequest r, JsonElement body)
    {
        var companyId = principal.CompanyId;
        bool Has(string name) => body.TryGetProperty(name, out _);
        var v = new Validation();
        foreach (var required in new[] { "companyEntityId", "currency", "areLinesWithTax" })
            if (body.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.Null) v.Add($"'{required}' cannot be cleared", required);
        v.Currency(r.Currency, "currency");
        v.Amount(r.Amount, "amount");
        v.MaxLength(r.DocumentNumber, 255, "documentNumber");
        v.MaxLength(r.Description, 1000, "description");
        if (r.LocalCurrencyFxRateOverride is <= 0) v.Add("'localCurrencyFxRateOverride' must be positive", "localCurrencyFxRateOverride");
        if (r.GroupCurrencyFxRateOverride is <= 0) v.Add("'groupCurrencyFxRateOverride' must be positive", "groupCurrencyFxRateOverride");
        CustomPropertyRequests.RefuseUnknownGroups(v, r.CustomProperties, "customProperties");
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, id, forUpdate: true);
        if (row is null) return null;
        CreditNoteStatus.Require(row.Status, CreditNoteStatus.Editable, "edited");
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        if (r.BusinessPartnerId is { } vendorId && await VendorAsync(conn, tx, companyId, vendorId) is null)
            throw ApiException.BadRequest($"Vendor {vendorId} does not exist", "businessPartnerId");
        var lineSum = await conn.ExecuteScalarAsync<long?>(
            "SELECT sum(gross_amount) FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @id", new { companyId, id }, tx);
        if (Has("amount") && lineSum is { } sum && r.Amount != sum)
            throw ApiException.Unprocessable($"'amount' must equal the sum of the lines ({sum}) once the credit note has lines", "amount");
        if (Has("documentNumber") && r.DocumentNumber is { } number && await conn.ExecuteScalarAsync<bool>("""
                SELECT EXISTS (SELECT 1 FROM credit_notes WHERE company_id = @companyId AND document_number = @number AND id <> @id
                                  AND vendor_id IS NOT DISTINCT FROM @vendorId)
                """, new { companyId, number, id, vendorId = Has("businessPartnerId") ? r.BusinessPartnerId : row.VendorId }, tx))
            throw ApiException.Conflict($"Another credit note of this vendor has document number '{number}'");

        var sets = new List<string>();
        var p = new DynamicParameters(new { companyId, id, now = Now, actor = Actor(principal) });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("businessPartnerId", "vendor_id", r.BusinessPartnerId);
        Set("documentDate", "document_date", r.DocumentDate);
        if (Has("documentDate")) sets.Add("posting_date = @documentDate");
        Set("areLinesWithTax", "are_lines_with_tax", r.AreLinesWithTax);
        Set("description", "description", r.Description);
        Set("currency", "currency", r.Currency);
        Set("amount", "amount", r.Amount);
        Set("documentNumber", "document_number", r.DocumentNumber);
        Set("localCurrencyFxRateOverride", "local_fx_rate_override", r.LocalCurrencyFxRateOverride);
        Set("groupCurrencyFxRateOverride", "group_fx_rate_override", r.GroupCurrencyFxRateOverride);
        sets.Add("updated_at = @now");
        sets.Add("updated_by = @actor");
        await conn.ExecuteAsync($"UPDATE credit_notes SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    // ---------------------------------------------------------------- lines

    public async Task<CreditNoteLineModel?> AddLineAsync(Principal principal, Guid noteId, CreditNoteLineRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var note = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, noteId, forUpdate: true);
        if (note is null) return null;
        CreditNoteStatus.Require(note.Status, CreditNoteStatus.Editable, "edited");
        var count = await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @noteId", new { companyId, noteId }, tx);
        Limits.LinesAfterAdding(count, 1, "lines", MaxLines);
        var v = new Validation();
        var vendor = note.VendorId is { } vid ? await VendorAsync(conn, tx, companyId, vid) : null;
        var line = await ResolveLineAsync(conn, tx, companyId, vendor, r, note.AreLinesWithTax, v);
        v.ThrowIfAny();
        var id = await InsertLineAsync(conn, tx, companyId, noteId, line!, Now);
        await RecomputeAmountAsync(conn, tx, companyId, noteId);
        var model = await LoadLineAsync(conn, tx, companyId, noteId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>PATCH of a line: omitted fields keep their value, null clears; amounts are recomputed from the merged line.</summary>
    public async Task<CreditNoteLineModel?> PatchLineAsync(Principal principal, Guid noteId, Guid lineId, CreditNoteLineRequest r, JsonElement body)
    {
        var companyId = principal.CompanyId;
        bool Has(string name) => body.TryGetProperty(name, out _);
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var note = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, noteId, forUpdate: true);
        var current = note is null ? null : await conn.QuerySingleOrDefaultAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @noteId AND id = @lineId",
            new { companyId, noteId, lineId }, tx);
        if (current is null) return null;
        CreditNoteStatus.Require(note!.Status, CreditNoteStatus.Editable, "edited");
        // Which amount drives the line: the one sent, else the one the note's mode takes; tax is kept only when sent.
        var grossSent = Has("grossTransactionAmount");
        var netSent = Has("netTransactionAmount");
        DirectedAmount? gross = grossSent ? r.GrossTransactionAmount : !netSent && note.AreLinesWithTax ? new(current.GrossAmount, "C") : null;
        DirectedAmount? net = netSent ? r.NetTransactionAmount : !grossSent && !note.AreLinesWithTax ? new(current.NetAmount, "C") : null;
        var taxCodeSent = Has("ledgerTaxId");
        DirectedAmount? tax = Has("taxTransactionAmount") ? r.TaxTransactionAmount
            : !taxCodeSent && !grossSent && !netSent ? new(current.TaxAmount, "C") : null;
        var merged = new CreditNoteLineRequest(net, gross, tax,
            Has("description") ? r.Description : current.Description,
            taxCodeSent ? r.LedgerTaxId : current.TaxCodeId,
            Has("ledgerAccountId") ? r.LedgerAccountId : current.AccountId,
            Has("costCenterId") ? r.CostCenterId : current.CostCenterId,
            Has("accrualTemplateId") ? r.AccrualTemplateId : current.AccrualTemplateId,
            Has("accrualStartDate") ? r.AccrualStartDate : current.AccrualStartDate,
            Has("accrualEndDate") ? r.AccrualEndDate : current.AccrualEndDate, r.CustomProperties);
        var v = new Validation();
        var line = await ResolveLineAsync(conn, tx, companyId, null, merged, note.AreLinesWithTax, v, useVendorDefaults: false);
        v.ThrowIfAny();
        await conn.ExecuteAsync("""
            UPDATE credit_note_lines
               SET gross_amount = @Gross, net_amount = @Net, tax_amount = @Tax, description = @Description, tax_code_id = @TaxCodeId,
                   account_id = @AccountId, cost_center_id = @CostCenterId, accrual_template_id = @AccrualTemplateId,
                   accrual_start_date = @AccrualStartDate, accrual_end_date = @AccrualEndDate, updated_at = @now
             WHERE company_id = @companyId AND credit_note_id = @noteId AND id = @lineId
            """, new
        {
            line!.Amounts.Gross, line.Amounts.Net, line.Amounts.Tax, merged.Description, line.TaxCodeId, line.AccountId, merged.CostCenterId,
            merged.AccrualTemplateId, merged.AccrualStartDate, merged.AccrualEndDate, now = Now, companyId, noteId, lineId,
        }, tx);
        await RecomputeAmountAsync(conn, tx, companyId, noteId);
        var model = await LoadLineAsync(conn, tx, companyId, noteId, lineId);
        await tx.CommitWriteAsync();
        return model;
    }

    public async Task<CreditNoteLineModel?> DeleteLineAsync(Principal principal, Guid noteId, Guid lineId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var note = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, noteId, forUpdate: true);
        var line = note is null ? null : await LoadLineAsync(conn, tx, companyId, noteId, lineId);
        if (line is null) return null;
        CreditNoteStatus.Require(note!.Status, CreditNoteStatus.Editable, "edited");
        await conn.ExecuteAsync("DELETE FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @noteId AND id = @lineId",
            new { companyId, noteId, lineId }, tx);
        await RecomputeAmountAsync(conn, tx, companyId, noteId);
        await tx.CommitWriteAsync();
        return line;
    }

    sealed record ResolvedLine(CreditNoteLineRequest Request, EnteredAmounts Amounts, Guid AccountId, Guid? TaxCodeId);

    async Task<ResolvedLine?> ResolveLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorDefaults? vendor,
        CreditNoteLineRequest r, bool withTax, Validation v, params object[] path) =>
        await ResolveLineAsync(conn, tx, companyId, vendor, r, withTax, v, useVendorDefaults: true, path);

    async Task<ResolvedLine?> ResolveLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorDefaults? vendor,
        CreditNoteLineRequest r, bool withTax, Validation v, bool useVendorDefaults, params object[] path)
    {
        object[] P(string f) => [.. path, f];
        v.MaxLength(r.Description, 1000, P("description"));
        CustomPropertyRequests.RefuseUnknownGroups(v, r.CustomProperties, P("customProperties"));
        foreach (var (name, amount) in new[] { ("netTransactionAmount", r.NetTransactionAmount), ("grossTransactionAmount", r.GrossTransactionAmount),
                     ("taxTransactionAmount", r.TaxTransactionAmount) })
            if (amount?.DcSign is { } sign && !DcSign.IsValid(sign)) v.Add("'dcSign' must be D or C", [.. path, name, "dcSign"]);
        if (r.AccrualStartDate is { } s && r.AccrualEndDate is { } e && e < s)
            v.Add("'accrualEndDate' must not be before 'accrualStartDate'", P("accrualEndDate"));
        var ok = true;
        var taxCodeId = r.LedgerTaxId ?? (useVendorDefaults ? vendor?.DefaultTaxCodeId : null);
        TaxCodeRow? taxCode = null;
        if (taxCodeId is { } t)
        {
            taxCode = await TaxCodeStore.FindAsync(conn, tx, companyId, t);
            if (taxCode is null) { v.Add($"Tax code {t} does not exist", P("ledgerTaxId")); ok = false; }
        }
        Guid accountId;
        if (r.LedgerAccountId is { } a)
        {
            accountId = a;
            if (!await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM ledger_accounts WHERE company_id = @companyId AND id = @a)", new { companyId, a }, tx))
            { v.Add($"Ledger account {a} does not exist", P("ledgerAccountId")); ok = false; }
        }
        else accountId = vendor?.DefaultAccountId ?? await SystemAccounts.FindAsync(conn, tx, companyId, "EXPENSE");
        var amounts = CreditNoteLineRules.Compute(r.GrossTransactionAmount?.Amount, r.NetTransactionAmount?.Amount, r.TaxTransactionAmount?.Amount,
            taxCode?.RatePercent, withTax, v, path);
        return ok && amounts is not null ? new ResolvedLine(r, amounts, accountId, taxCodeId) : null;
    }

    static async Task<Guid> InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid noteId, ResolvedLine line, DateTime now)
    {
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO credit_note_lines (company_id, id, credit_note_id, position, gross_amount, net_amount, tax_amount, description, tax_code_id,
                                           account_id, cost_center_id, accrual_template_id, accrual_start_date, accrual_end_date, created_at, updated_at)
            VALUES (@companyId, @id, @noteId,
                    (SELECT COALESCE(max(position), 0) + 1 FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @noteId),
                    @Gross, @Net, @Tax, @Description, @TaxCodeId, @AccountId, @CostCenterId, @AccrualTemplateId, @AccrualStartDate, @AccrualEndDate, @now, @now)
            """, new
        {
            companyId, id, noteId, line.Amounts.Gross, line.Amounts.Net, line.Amounts.Tax, line.Request.Description, line.TaxCodeId, line.AccountId,
            line.Request.CostCenterId, line.Request.AccrualTemplateId, line.Request.AccrualStartDate, line.Request.AccrualEndDate, now,
        }, tx);
        return id;
    }

    Task RecomputeAmountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid noteId) =>
        conn.ExecuteAsync("""
            UPDATE credit_notes c SET amount = COALESCE((SELECT sum(l.gross_amount) FROM credit_note_lines l
                                                         WHERE l.company_id = c.company_id AND l.credit_note_id = c.id), c.amount),
                   updated_at = @now
             WHERE c.company_id = @companyId AND c.id = @noteId
            """, new { companyId, noteId, now = Now }, tx);

    // ---------------------------------------------------------------- post / archive

    /// <summary>Dr accounts payable (gross, vendor as business partner), Cr each line's account (net) and input tax.</summary>
    public async Task<CreditNoteModel?> PostAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var note = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, id, forUpdate: true);
        if (note is null) return null;
        CreditNoteStatus.Require(note.Status, CreditNoteStatus.Editable, "posted");
        var lines = (await conn.QueryAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @id ORDER BY position",
            new { companyId, id }, tx)).ToList();
        var v = new Validation();
        if (note.VendorId is null) v.Required(null, "businessPartnerId");
        if (lines.Count == 0) v.Add("A credit note needs at least one line to be posted", "lines");
        else if (lines.Sum(l => l.GrossAmount) == 0) v.Add("A credit note with a zero amount cannot be posted", "amount");
        v.ThrowIfAny(422, "The credit note is not complete enough to post");

        var currency = note.Currency;
        var postingDate = note.DocumentDate ?? DateOnly.FromDateTime(Now);
        var (local, group) = await conn.QuerySingleAsync<(string, string)>("""
            SELECT trim(e.local_currency), trim(c.base_currency) FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = @companyId AND e.id = @entityId
            """, new { companyId, entityId = note.CompanyEntityId }, tx);
        var localRate = note.LocalFxRateOverride ?? await RateAsync(conn, tx, currency, local, postingDate, "localCurrencyFxRateOverride");
        var groupRate = note.GroupFxRateOverride ?? await RateAsync(conn, tx, currency, group, postingDate, "groupCurrencyFxRateOverride");

        var total = lines.Sum(l => l.GrossAmount);
        var postingLines = new List<PostingLine>
        {
            new(await SystemAccounts.FindAsync(conn, tx, companyId, "AP"), DcSign.Debit, total, note.Description ?? note.DocumentNumber, Path: ["amount"]),
        };
        var taxAccounts = new Dictionary<Guid, Guid>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.NetAmount != 0)
                postingLines.Add(new PostingLine(line.AccountId, DcSign.Credit, line.NetAmount, line.Description, line.Id, line.TaxCodeId,
                    CostCenterId: line.CostCenterId, Path: ["lines", i, "ledgerAccountId"]));
            if (line.TaxAmount == 0) continue;
            var key = line.TaxCodeId ?? Guid.Empty;
            if (!taxAccounts.TryGetValue(key, out var taxAccount))
            {
                var code = line.TaxCodeId is { } t ? await TaxCodeStore.FindAsync(conn, tx, companyId, t) : null;
                taxAccounts[key] = taxAccount = code?.InputAccountId ?? await SystemAccounts.FindAsync(conn, tx, companyId, "INPUT_TAX");
            }
            postingLines.Add(new PostingLine(taxAccount, DcSign.Credit, line.TaxAmount, line.Description, line.Id, line.TaxCodeId,
                Path: ["lines", i, "taxTransactionAmount"]));
        }
        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, Actor(principal),
            new PostingDocument(id, "CN", note.CompanyEntityId, "PRIMARY", null, note.Description ?? note.DocumentNumber, currency, postingDate,
                note.DocumentDate, null, note.VendorName, note.VendorId, note.AreLinesWithTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));
        var apLine = prepared.Lines[0];
        // The gap-free number's row lock is held until commit: take it only once everything is checked.
        var ledgerNumber = await DocumentNumbers.NextAsync(conn, tx, companyId, note.CompanyEntityId, "CN", postingDate.Year);
        await conn.ExecuteAsync("""
            UPDATE credit_notes SET status = 'POSTED', amount = @total, ledger_document_number = @ledgerNumber, posting_date = @postingDate,
                   posted_transaction_id = @transactionId, local_fx_rate = @localRate, group_fx_rate = @groupRate,
                   booked_local_amount = @bookedLocal, booked_group_amount = @bookedGroup, updated_at = @now, updated_by = @actor
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId, id, total, ledgerNumber, postingDate, transactionId, localRate, groupRate, bookedLocal = apLine.LocalAmount,
            bookedGroup = apLine.GroupAmount, now = Now, actor = Actor(principal),
        }, tx);
        await engine.WriteAsync(conn, tx, prepared, ledgerNumber);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>Archives a note; a posted one is reversed in the ledger. Refused (409) while it has links.</summary>
    public async Task<CreditNoteModel?> ArchiveAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var note = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, id, forUpdate: true);
        if (note is null) return null;
        if (note.Status == CreditNoteStatus.Archived) throw ApiException.Conflict("Credit note is ARCHIVED already");
        var links = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM credit_note_links WHERE company_id = @companyId AND credit_note_id = @id",
            new { companyId, id }, tx);
        if (links > 0)
            throw ApiException.Conflict($"Credit note is {note.Status} and linked to {links} invoice payable(s); unlink it before archiving");
        Guid? reversalId = null;
        if (note.PostedTransactionId is { } posted)
        {
            reversalId = (await engine.ReverseAsync(conn, tx, companyId, posted, null, Actor(principal))).Id;
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, CreditNoteStatus.Archived);
        }
        await conn.ExecuteAsync("""
            UPDATE credit_notes SET status = 'ARCHIVED', reversal_transaction_id = @reversalId, updated_at = @now, updated_by = @actor
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, reversalId, now = Now, actor = Actor(principal) }, tx);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    // ---------------------------------------------------------------- links

    sealed class LinkRow
    {
        public Guid CreditNoteId { get; set; }
        public Guid InvoicePayableId { get; set; }
        public long Amount { get; set; }
        public string Currency { get; set; } = "";
        public Guid? ClearingId { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    const string LinkColumns = "credit_note_id, invoice_payable_id, amount, trim(currency) AS currency, clearing_id, created_at, updated_at";

    public async Task<IReadOnlyList<CreditNoteLinkModel>?> ListLinksAsync(Guid companyId, Guid? noteId, Guid? billId)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (noteId is { } n && await CreditNoteClearing.LoadNoteAsync(conn, null, companyId, n, false) is null) return null;
        if (billId is { } b && !await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM invoice_payables WHERE company_id = @companyId AND id = @b)",
                new { companyId, b })) return null;
        var links = (await conn.QueryAsync<LinkRow>($"""
            SELECT {LinkColumns} FROM credit_note_links
             WHERE company_id = @companyId AND (@noteId::uuid IS NULL OR credit_note_id = @noteId) AND (@billId::uuid IS NULL OR invoice_payable_id = @billId)
             ORDER BY created_at, credit_note_id, invoice_payable_id
            """, new { companyId, noteId, billId })).ToList();
        var result = new List<CreditNoteLinkModel>();
        foreach (var link in links) result.Add(await LinkModelAsync(conn, null, companyId, link));
        return result;
    }

    async Task<CreditNoteLinkModel> LinkModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, LinkRow link)
    {
        var note = (await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, link.CreditNoteId, false))!;
        var bill = await conn.QuerySingleAsync<(string? Number, DateOnly? Date, string State, long? Amount, string Currency, string? DocNumber)>("""
            SELECT invoice_number, issued_date, state, amount, trim(currency), document_number FROM invoice_payables WHERE company_id = @companyId AND id = @id
            """, new { companyId, id = link.InvoicePayableId }, tx);
        var billStatus = bill.State switch
        {
            "UNPAID" => "POSTED",
            "PARTIALLY_PAID" => "PARTIALLY_CLEARED",
            "PAID" or "COMPLETED" => "CLEARED",
            "CANCELLED" => "ARCHIVED",
            _ => "DRAFT",
        };
        return new CreditNoteLinkModel(companyId, note.ToRelated(),
            new RelatedAccDocModel(link.InvoicePayableId, bill.Number ?? bill.DocNumber, bill.Date, billStatus, bill.Amount, bill.Currency),
            link.Amount, link.Currency, link.CreatedAt, link.UpdatedAt);
    }

    /// <summary>Links a posted note to a bill; when the bill is posted too the clearing is booked at once, else at the bill's post.</summary>
    public async Task<CreditNoteLinkModel?> LinkAsync(Principal principal, Guid noteId, Guid billId, long? amount)
    {
        var companyId = principal.CompanyId;
        if (amount is null) throw ApiException.BadRequest("'amount' is required", "amount");
        if (amount > Limits.MaxAmount) throw ApiException.BadRequest($"'amount' must be at most {Limits.MaxAmount} (minor units)", "amount");
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // Lock order everywhere: bill, then credit note.
        var bill = await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: true);
        var note = bill is null ? null : await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, noteId, forUpdate: true);
        if (bill is null || note is null) return null;
        if (await FindLinkAsync(conn, tx, companyId, noteId, billId) is not null)
            throw ApiException.Conflict("The credit note is already linked to this invoice payable; update the link's amount instead");
        CreditNoteStatus.Require(note.Status, new HashSet<string> { CreditNoteStatus.Posted, CreditNoteStatus.PartiallyCleared }, "linked");
        CheckCompatible(note, bill);
        CreditNoteLineRules.CheckApplication(amount.Value, (note.Amount ?? 0) - note.Linked, bill.Open);
        var now = Now;
        await conn.ExecuteAsync("""
            INSERT INTO credit_note_links (company_id, credit_note_id, invoice_payable_id, amount, currency, created_at, updated_at)
            VALUES (@companyId, @noteId, @billId, @amount, @currency, @now, @now)
            """, new { companyId, noteId, billId, amount, currency = note.Currency, now }, tx);
        if (bill.IsPosted) await ApplyToPostedBillAsync(conn, tx, companyId, bill, note, amount.Value, Actor(principal), now);
        var model = await LinkModelAsync(conn, tx, companyId, (await FindLinkAsync(conn, tx, companyId, noteId, billId))!);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>Changes a link's amount: its clearing (if any) is reversed and booked again at the new amount.</summary>
    public async Task<CreditNoteLinkModel?> UpdateLinkAsync(Principal principal, Guid noteId, Guid billId, long? amount)
    {
        var companyId = principal.CompanyId;
        if (amount is null) throw ApiException.BadRequest("'amount' is required", "amount");
        if (amount > Limits.MaxAmount) throw ApiException.BadRequest($"'amount' must be at most {Limits.MaxAmount} (minor units)", "amount");
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: true);
        var note = bill is null ? null : await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, noteId, forUpdate: true);
        var link = note is null ? null : await FindLinkAsync(conn, tx, companyId, noteId, billId);
        if (link is null) return null;
        // The link's own amount (pending, or cleared and about to be reversed) is open again on both sides.
        var openOnBill = bill!.Open + link.Amount;
        var openOnNote = (note!.Amount ?? 0) - note.Linked + link.Amount;
        CreditNoteLineRules.CheckApplication(amount.Value, openOnNote, openOnBill);
        var now = Now;
        if (link.ClearingId is { } clearingId)
        {
            await CreditNoteClearing.UnclearAsync(conn, tx, engine, companyId, clearingId, Actor(principal), now);
            bill = (await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: true))!;
        }
        await conn.ExecuteAsync("""
            UPDATE credit_note_links SET amount = @amount, clearing_id = NULL, updated_at = @now
             WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId
            """, new { companyId, noteId, billId, amount, now }, tx);
        if (bill.IsPosted) await ApplyToPostedBillAsync(conn, tx, companyId, bill, note, amount.Value, Actor(principal), now);
        var model = await LinkModelAsync(conn, tx, companyId, (await FindLinkAsync(conn, tx, companyId, noteId, billId))!);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>Removes a link; its clearing (if booked) is reversed and the bill's open amount restored.</summary>
    public async Task<CreditNoteLinkModel?> UnlinkAsync(Principal principal, Guid noteId, Guid billId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: true);
        var note = bill is null ? null : await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, noteId, forUpdate: true);
        var link = note is null ? null : await FindLinkAsync(conn, tx, companyId, noteId, billId);
        if (link is null) return null;
        var removed = await LinkModelAsync(conn, tx, companyId, link);
        var now = Now;
        if (link.ClearingId is { } clearingId)
            await CreditNoteClearing.UnclearAsync(conn, tx, engine, companyId, clearingId, Actor(principal), now);
        await conn.ExecuteAsync("DELETE FROM credit_note_links WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId",
            new { companyId, noteId, billId }, tx);
        if (link.ClearingId is not null)
        {
            await RefreshBillStateAsync(conn, tx, companyId, billId);
            await CreditNoteClearing.RefreshNoteStatusAsync(conn, tx, companyId, noteId);
        }
        await tx.CommitWriteAsync();
        return removed;
    }

    async Task ApplyToPostedBillAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CreditNoteClearing.BillSide bill,
        CreditNoteRow note, long amount, Guid actor, DateTime now)
    {
        await CreditNoteClearing.ClearAsync(conn, tx, engine, companyId, bill, note, amount, actor, now);
        await RefreshBillStateAsync(conn, tx, companyId, bill.Id);
        await CreditNoteClearing.RefreshNoteStatusAsync(conn, tx, companyId, note.Id);
    }

    /// <summary>A posted bill's state and ledger document status from what is still open (the bills' own rule).</summary>
    static async Task RefreshBillStateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid billId)
    {
        var bill = (await CreditNoteClearing.LoadBillAsync(conn, tx, companyId, billId, forUpdate: false))!;
        if (!bill.IsPosted) return;
        var amount = bill.Amount ?? 0;
        var outstanding = amount - bill.Cleared;
        var anyBankPayment = await conn.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM invoice_payable_payments
                            WHERE company_id = @companyId AND invoice_payable_id = @billId AND type = 'BP' AND reversed_at IS NULL)
            """, new { companyId, billId }, tx);
        var state = InvoicePayables.BillState.AfterClearing(amount, outstanding, anyBankPayment);
        await conn.ExecuteAsync("UPDATE invoice_payables SET state = @state, updated_at = now(), version = version + 1 WHERE company_id = @companyId AND id = @billId",
            new { companyId, billId, state }, tx);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, billId,
            outstanding == 0 ? "CLEARED" : outstanding == amount ? "POSTED" : "PARTIALLY_CLEARED");
    }

    static void CheckCompatible(CreditNoteRow note, CreditNoteClearing.BillSide bill)
    {
        if (bill.State is "CANCELLED")
            throw ApiException.Conflict($"Invoice payable is {bill.State}; a credit note cannot be linked to it");
        if (note.CompanyEntityId != bill.CompanyEntityId)
            throw ApiException.Unprocessable("The credit note and the invoice payable belong to different company entities", "companyEntityId");
        if (note.VendorId is null || note.VendorId != bill.VendorId)
            throw ApiException.Unprocessable("The credit note and the invoice payable have different vendors", "businessPartnerId");
        if (note.Currency != bill.Currency)
            throw ApiException.Unprocessable($"The credit note is in {note.Currency}; the invoice payable is in {bill.Currency}", "currency");
    }

    static Task<LinkRow?> FindLinkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid noteId, Guid billId) =>
        conn.QuerySingleOrDefaultAsync<LinkRow>(
            $"SELECT {LinkColumns} FROM credit_note_links WHERE company_id = @companyId AND credit_note_id = @noteId AND invoice_payable_id = @billId",
            new { companyId, noteId, billId }, tx);

    // ---------------------------------------------------------------- helpers

    sealed class VendorDefaults
    {
        public Guid Id { get; set; }
        public Guid? DefaultAccountId { get; set; }
        public Guid? DefaultTaxCodeId { get; set; }
    }

    static Task<VendorDefaults?> VendorAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid vendorId) =>
        conn.QuerySingleOrDefaultAsync<VendorDefaults>(
            "SELECT id, default_account_id, default_tax_code_id FROM vendors WHERE company_id = @companyId AND id = @vendorId", new { companyId, vendorId }, tx);

    static async Task<CreditNoteLineModel?> LoadLineAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid noteId, Guid lineId) =>
        (await conn.QuerySingleOrDefaultAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @noteId AND id = @lineId",
            new { companyId, noteId, lineId }, tx))?.ToModel();

    static async Task<CreditNoteModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await CreditNoteClearing.LoadNoteAsync(conn, tx, companyId, id, false);
        if (row is null) return null;
        var lines = (await conn.QueryAsync<CreditNoteLineRow>(
            $"SELECT {CreditNoteLineRow.Columns} FROM credit_note_lines WHERE company_id = @companyId AND credit_note_id = @id ORDER BY position",
            new { companyId, id }, tx)).Select(l => l.ToModel()).ToList();
        return row.ToModel(lines);
    }
}
