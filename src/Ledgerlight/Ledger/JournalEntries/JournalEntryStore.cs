using static Ledgerlight.Ledger.DocumentContext;
using System.Text.Json;
using Dapper;
using Ledgerlight.Currencies;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Ledger.JournalEntries;

public sealed class JournalEntryStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    public async Task<JournalEntryModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<JournalEntryModel> CreateAsync(Principal principal, CreateJournalEntryRequest r)
    {
        // Size first: the per-line custom-property lookups below must never run for an oversized body.
        Limits.LineCount(r.Lines?.Count, "lines", JournalEntryRules.MaxLines);
        var v = new Validation();
        var ledgerName = r.LedgerName ?? "PRIMARY";
        if (!JournalEntryRules.LedgerNames.Contains(ledgerName)) v.Add("ledgerName must be PRIMARY or ELIMINATION", "ledgerName");
        v.Currency(r.Currency, "currency");
        v.MaxLength(r.DocumentNumber, 100, "documentNumber");
        v.MaxLength(r.Description, 1000, "description");
        v.MaxLength(r.BusinessPartnerName, 255, "businessPartnerName");
        CheckRate(v, r.LocalCurrencyFxRateOverride, "localCurrencyFxRateOverride");
        CheckRate(v, r.GroupCurrencyFxRateOverride, "groupCurrencyFxRateOverride");
        var linesWithTax = r.AreLinesWithTax ?? false;
        await using var conn = await db.OpenConnectionAsync();
        await CustomPropertyRequests.ValidateAsync(conn, null, principal.CompanyId, "JOURNAL_ENTRY", r.CustomProperties, v, "customProperties");
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
            await CustomPropertyRequests.ValidateAsync(conn, null, principal.CompanyId, "JOURNAL_ENTRY", r.Lines![i].CustomProperties, v, "lines", i, "customProperties");
        var taxIds = (r.Lines ?? []).Where(l => l.LedgerTaxId is not null).Select(l => l.LedgerTaxId!.Value).Distinct().ToArray();
        var taxRates = (await conn.QueryAsync<(Guid Id, decimal Rate)>(
                "SELECT id, rate_percent FROM tax_codes WHERE company_id = @companyId AND id = ANY(@taxIds)", new { companyId = principal.CompanyId, taxIds }))
            .ToDictionary(t => t.Id, t => t.Rate);
        var lines = JournalEntryRules.Normalize(r.Lines ?? [], linesWithTax, v, taxRates);
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
            if (r.Lines![i].LedgerTaxId is { } t && !taxRates.ContainsKey(t)) v.Add($"Tax code {t} does not exist", "lines", i, "ledgerTaxId");
        await CheckBusinessPartnerAsync(conn, null, principal.CompanyId, r.BusinessPartnerId, v);
        v.ThrowIfAny();

        await using var tx = await conn.BeginTransactionAsync();
        var entityId = await ResolveEntityAsync(conn, tx, principal.CompanyId, r.CompanyEntityId);
        await CheckLineReferencesAsync(conn, tx, principal.CompanyId, entityId, lines);
        var currency = r.Currency ?? await conn.ExecuteScalarAsync<string>(
            "SELECT trim(local_currency) FROM company_entities WHERE company_id = @companyId AND id = @entityId",
            new { companyId = principal.CompanyId, entityId }, tx);

        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO journal_entries (company_id, id, company_entity_id, ledger_name, document_number, document_sequence_id, status,
                                         description, currency, posting_date, document_date, valuation_date, local_fx_rate_override,
                                         group_fx_rate_override, are_lines_with_tax, business_partner_name, business_partner_id,
                                         custom_properties, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @ledgerName, @DocumentNumber, @DocumentNumber, 'DRAFT', @Description, @currency,
                    @PostingDate, @DocumentDate, @ValuationDate, @LocalCurrencyFxRateOverride, @GroupCurrencyFxRateOverride,
                    @linesWithTax, @BusinessPartnerName, @BusinessPartnerId, @customProperties::jsonb, @userId, @userId, @now, @now)
            """, new
        {
            companyId = principal.CompanyId, id, entityId, ledgerName, r.DocumentNumber, r.Description, currency, r.PostingDate, r.DocumentDate,
            r.ValuationDate, r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, linesWithTax, r.BusinessPartnerName,
            r.BusinessPartnerId, userId = principal.UserId, now, customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
        }, tx);
        await InsertLinesAsync(conn, tx, principal.CompanyId, id, lines, now);

        if (r.ShouldPost == true) await PostDraftAsync(conn, tx, principal.CompanyId, id, principal.UserId);
        await tx.CommitWriteAsync();
        // Read back after commit, so posting's row locks are not held for the read.
        return (await LoadModelAsync(conn, null, principal.CompanyId, id))!;
    }

    /// <summary>PATCH on a draft: fields present in the body change (null clears), absent ones stay.</summary>
    public async Task<JournalEntryModel?> PatchAsync(Principal principal, Guid id, UpdateJournalEntryRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var v = new Validation();
        foreach (var required in new[] { "companyEntityId", "ledgerName", "currency", "areLinesWithTax" })
            if (body.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.Null)
                v.Add($"'{required}' cannot be cleared", required);
        if (r.LedgerName is not null && !JournalEntryRules.LedgerNames.Contains(r.LedgerName)) v.Add("ledgerName must be PRIMARY or ELIMINATION", "ledgerName");
        v.Currency(r.Currency, "currency");
        v.MaxLength(r.DocumentNumber, 100, "documentNumber");
        v.MaxLength(r.Description, 1000, "description");
        CheckRate(v, r.LocalCurrencyFxRateOverride, "localCurrencyFxRateOverride");
        CheckRate(v, r.GroupCurrencyFxRateOverride, "groupCurrencyFxRateOverride");
        await using var conn = await db.OpenConnectionAsync();
        await CustomPropertyRequests.ValidateAsync(conn, null, principal.CompanyId, "JOURNAL_ENTRY", r.CustomProperties, v, "customProperties");
        v.ThrowIfAny();

        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, principal.CompanyId, id);
        if (row is null) return null;
        if (row.Status != JournalEntryStatus.Draft)
            throw ApiException.Conflict($"Journal entry is {row.Status}; only DRAFT entries can be edited (archive a posted entry to reverse it)");
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, principal.CompanyId, entityId);
        var partner = new Validation();
        await CheckBusinessPartnerAsync(conn, tx, principal.CompanyId, r.BusinessPartnerId, partner);
        partner.ThrowIfAny();

        var sets = new List<string>();
        var p = new DynamicParameters(new { companyId = principal.CompanyId, id, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("ledgerName", "ledger_name", r.LedgerName);
        Set("postingDate", "posting_date", r.PostingDate);
        Set("documentDate", "document_date", r.DocumentDate);
        Set("valuationDate", "valuation_date", r.ValuationDate);
        Set("areLinesWithTax", "are_lines_with_tax", r.AreLinesWithTax);
        Set("localCurrencyFxRateOverride", "local_fx_rate_override", r.LocalCurrencyFxRateOverride);
        Set("groupCurrencyFxRateOverride", "group_fx_rate_override", r.GroupCurrencyFxRateOverride);
        Set("documentNumber", "document_number", r.DocumentNumber);
        Set("businessPartnerName", "business_partner_name", r.BusinessPartnerName);
        Set("businessPartnerId", "business_partner_id", r.BusinessPartnerId);
        Set("description", "description", r.Description);
        Set("currency", "currency", r.Currency);
        if (Has("customProperties"))
        {
            sets.Add("custom_properties = @customProperties::jsonb");
            p.Add("customProperties", CustomPropertyRequests.ToJson(r.CustomProperties));
        }
        sets.Add("updated_at = @now");
        sets.Add("updated_by = @userId");
        await conn.ExecuteAsync($"UPDATE journal_entries SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx);
        if (Has("documentNumber"))
            await conn.ExecuteAsync("UPDATE journal_entries SET document_sequence_id = document_number WHERE company_id = @companyId AND id = @id",
                new { companyId = principal.CompanyId, id }, tx);
        var model = await LoadModelAsync(conn, tx, principal.CompanyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>A business partner is one of the company's vendors or customers (another company's, or an unknown id, is a 400).</summary>
    static async Task CheckBusinessPartnerAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid? partnerId, Validation v)
    {
        if (partnerId is not { } id) return;
        var known = await conn.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM vendors WHERE company_id = @companyId AND id = @id)
                OR EXISTS (SELECT 1 FROM customers WHERE company_id = @companyId AND id = @id)
            """, new { companyId, id }, tx);
        if (!known) v.Add($"Business partner {id} is not one of the company's vendors or customers", "businessPartnerId");
    }

    /// <summary>A draft is archived as it is; a posted entry is reversed by a new entry, then archived.</summary>
    public async Task<JournalEntryModel?> ArchiveAsync(Principal principal, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, principal.CompanyId, id);
        if (row is null) return null;
        if (row.Status == JournalEntryStatus.Archived) throw ApiException.Conflict("Journal entry is already ARCHIVED");
        Guid? reversalId = null;
        if (row.Status == JournalEntryStatus.Posted)
        {
            var reversal = await engine.ReverseAsync(conn, tx, principal.CompanyId, row.PostedTransactionId!.Value, null, principal.UserId);
            reversalId = reversal.Id;
            await PostingEngine.SetDocumentStatusAsync(conn, tx, principal.CompanyId, id, JournalEntryStatus.Archived);
        }
        await conn.ExecuteAsync("""
            UPDATE journal_entries SET status = 'ARCHIVED', reversal_transaction_id = @reversalId, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new { companyId = principal.CompanyId, id, reversalId, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId }, tx);
        var model = await LoadModelAsync(conn, tx, principal.CompanyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>Posts a draft (a Ledgerlight extension: Light only posts at creation with shouldPost).</summary>
    public async Task<JournalEntryModel?> PostAsync(Principal principal, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (await LockAsync(conn, tx, principal.CompanyId, id) is null) return null;
        await PostDraftAsync(conn, tx, principal.CompanyId, id, principal.UserId);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, principal.CompanyId, id);
    }

    async Task PostDraftAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid? userId)
    {
        var row = (await LockAsync(conn, tx, companyId, id))!;
        if (row.Status != JournalEntryStatus.Draft) throw ApiException.Conflict($"Journal entry is {row.Status}; only a DRAFT can be posted");
        var lines = await LoadLinesAsync(conn, tx, companyId, id);
        var v = new Validation();
        if (row.PostingDate is null) v.Required(null, "postingDate");
        foreach (var line in lines.Where(l => l.LedgerAccountId is null)) v.Required(null, "lines", line.Position, "ledgerAccountId");
        if (lines.Count == 0) v.Add("A journal entry needs lines to be posted", "lines");
        v.ThrowIfAny(422, "The journal entry is not complete enough to post");

        var postingDate = row.PostingDate!.Value;
        var currency = row.Currency.Trim();
        var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, row.CompanyEntityId);
        var localRate = row.LocalFxRateOverride ?? await RateAsync(conn, tx, currency, local, postingDate, "localCurrencyFxRateOverride");
        var groupRate = row.GroupFxRateOverride ?? await RateAsync(conn, tx, currency, group, postingDate, "groupCurrencyFxRateOverride");

        var taxAccounts = new Dictionary<string, Guid>();
        var postingLines = new List<PostingLine>();
        foreach (var line in lines)
        {
            var sign = line.DcSign.Trim();
            postingLines.Add(new PostingLine(line.LedgerAccountId!.Value, sign, line.NetAmount, line.Description, line.Id,
                line.LedgerTaxId, null, line.CostCenterId, line.CustomPropertiesJson, Path: ["lines", line.Position, "ledgerAccountId"]));
            if (line.TaxAmount == 0) continue;
            // Tax on a debit line is recoverable input tax; on a credit line it is output tax owed.
            // The line's tax code may name its own accounts; otherwise the chart's Input/Output VAT.
            var role = sign == DcSign.Debit ? "INPUT_TAX" : "OUTPUT_TAX";
            var key = $"{role}:{line.LedgerTaxId}";
            if (!taxAccounts.TryGetValue(key, out var taxAccount))
            {
                var code = line.LedgerTaxId is { } taxId ? await TaxCodes.TaxCodeStore.FindAsync(conn, tx, companyId, taxId) : null;
                taxAccounts[key] = taxAccount = (sign == DcSign.Debit ? code?.InputAccountId : code?.OutputAccountId)
                                                ?? await SystemAccounts.FindAsync(conn, tx, companyId, role);
            }
            postingLines.Add(new PostingLine(taxAccount, sign, line.TaxAmount, line.Description, line.Id, line.LedgerTaxId,
                Path: ["lines", line.Position, "taxAmount"]));
        }

        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, userId,
            new PostingDocument(id, "JE", row.CompanyEntityId, row.LedgerName, row.DocumentNumber, row.Description, currency, postingDate,
                row.DocumentDate, row.ValuationDate, row.BusinessPartnerName, row.BusinessPartnerId, row.AreLinesWithTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));

        // The gap-free number's row lock is held until commit: take it only once everything is checked.
        var documentNumber = row.DocumentNumber ?? await DocumentNumbers.NextAsync(conn, tx, companyId, row.CompanyEntityId, "JE", postingDate.Year);
        await conn.ExecuteAsync("""
            UPDATE journal_entries SET status = 'POSTED', posted_transaction_id = @transactionId, document_number = @documentNumber,
                   document_sequence_id = @documentNumber, local_fx_rate = @localRate, group_fx_rate = @groupRate, updated_at = now()
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, transactionId, documentNumber, localRate, groupRate }, tx);
        await engine.WriteAsync(conn, tx, prepared, documentNumber);
    }

    static void CheckRate(Validation v, decimal? rate, string field)
    {
        if (rate is <= 0) v.Add($"'{field}' must be positive", field);
    }

    static async Task CheckLineReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId, List<NormalizedLine> lines)
    {
        var v = new Validation();
        var accountIds = lines.Where(l => l.Source.LedgerAccountId is not null).Select(l => l.Source.LedgerAccountId!.Value).Distinct().ToArray();
        var known = (await conn.QueryAsync<Guid>("SELECT id FROM ledger_accounts WHERE company_id = @companyId AND id = ANY(@accountIds)",
            new { companyId, accountIds }, tx)).ToHashSet();
        foreach (var line in lines)
        {
            if (line.Source.LedgerAccountId is { } a && !known.Contains(a))
                v.Add($"Ledger account {a} does not exist", "lines", line.Position, "ledgerAccountId");
            if (line.Source.TargetCompanyEntityId is { } target && target != entityId)
                v.Add("Intercompany lines (a target entity other than the entry's) are not supported", "lines", line.Position, "targetCompanyEntityId");
        }
        v.ThrowIfAny();
    }

    static async Task InsertLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entryId, List<NormalizedLine> lines, DateTime now)
    {
        foreach (var line in lines)
        {
            var s = line.Source;
            await conn.ExecuteAsync("""
                INSERT INTO journal_entry_lines (company_id, id, journal_entry_id, position, dc_sign, net_amount, tax_amount, gross_amount, description,
                                                 target_company_entity_id, ledger_tax_id, ledger_account_id, cost_center_id, amortization_template_id,
                                                 amortization_start_date, amortization_end_date, custom_properties, created_at, updated_at)
                VALUES (@companyId, @id, @entryId, @Position, @DcSign, @Net, @Tax, @Gross, @Description, @TargetCompanyEntityId, @LedgerTaxId,
                        @LedgerAccountId, @CostCenterId, @AmortizationTemplateId, @AmortizationStartDate, @AmortizationEndDate,
                        @customProperties::jsonb, @now, @now)
                """, new
            {
                companyId, id = Ids.New(), entryId, line.Position, line.DcSign, line.Net, line.Tax, line.Gross, s.Description,
                s.TargetCompanyEntityId, s.LedgerTaxId, s.LedgerAccountId, s.CostCenterId, s.AmortizationTemplateId,
                s.AmortizationStartDate, s.AmortizationEndDate, now, customProperties = CustomPropertyRequests.ToJson(s.CustomProperties),
            }, tx);
        }
    }

    static Task<JournalEntryRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<JournalEntryRow>(
            $"SELECT {JournalEntryRow.Columns} FROM journal_entries WHERE company_id = @companyId AND id = @id FOR UPDATE", new { companyId, id }, tx);

    static async Task<List<JournalEntryLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        (await conn.QueryAsync<JournalEntryLineRow>(
            $"SELECT {JournalEntryLineRow.Columns} FROM journal_entry_lines WHERE company_id = @companyId AND journal_entry_id = @id ORDER BY position",
            new { companyId, id }, tx)).ToList();

    static async Task<JournalEntryModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<JournalEntryRow>(
            $"SELECT {JournalEntryRow.Columns} FROM journal_entries WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);
        if (row is null) return null;
        var lines = await LoadLinesAsync(conn, tx, companyId, id);
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId,
            [row.CustomPropertiesJson, .. lines.Select(l => l.CustomPropertiesJson)]);
        return row.ToModel(lines, properties);
    }
}

/// <summary>The accounts automatic postings use, found by their role in the chart (AP, AR, INPUT_TAX...).</summary>
public static class SystemAccounts
{
    public static async Task<Guid> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, string role) =>
        await conn.ExecuteScalarAsync<Guid?>(
            "SELECT id FROM ledger_accounts WHERE company_id = @companyId AND system_role = @role", new { companyId, role }, tx)
        ?? throw ApiException.Unprocessable($"The chart of accounts has no {role} account");
}
