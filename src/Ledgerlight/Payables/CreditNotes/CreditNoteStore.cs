using Ledgerlight.Payables.PayableDocuments;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Payables.CreditNotes;

/// <summary>
/// Vendor credit notes while they are drafts: create (also from a bill), read, PATCH of the header. Lines are
/// <see cref="CreditNoteLineStore"/>, the ledger <see cref="CreditNotePostingStore"/>, links to bills <see cref="CreditNoteLinkStore"/>.
/// </summary>
public sealed class CreditNoteStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly string[] NotClearable = ["companyEntityId", "currency", "areLinesWithTax"];
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<CreditNoteModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await CreditNoteQueries.ModelAsync(conn, null, companyId, id);
    }

    public async Task<IReadOnlyList<CreditNoteModel>> ModelsAsync(NpgsqlConnection conn, Guid companyId, IReadOnlyList<CreditNoteRow> rows) =>
        await CreditNoteQueries.ModelsAsync(conn, null, companyId, rows);

    public async Task<(string? BlobKey, bool Exists)> DocumentAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        var row = await CreditNoteQueries.Table.FindAsync(conn, null, companyId, id);
        return (row?.DocumentBlobKey, row is not null);
    }

    public async Task<CreditNoteModel> CreateAsync(Principal principal, CreateCreditNoteRequest r)
    {
        var companyId = principal.CompanyId;
        Limits.LineCount(r.Lines?.Count, "lines", Limits.MaxLinesPerDocument);
        var v = new Validation();
        PayableHeaderRules.Check(v, new PayableHeader(r.Currency, r.Amount, r.DocumentNumber, r.Description,
            r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, r.CustomProperties), "documentNumber");
        PayableDocumentCreation.CheckLineShapes(v, r.Lines, "lines", CreditNoteLineRules.CheckShape);
        // The whole body's shape first: a malformed body is refused before any per-line database lookup.
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var number = string.IsNullOrWhiteSpace(r.DocumentNumber) ? null : r.DocumentNumber.Trim();
        if (number is not null && await ExistingAsync(conn, tx, companyId, r.BusinessPartnerId, number) is { } found)
            return (await CreditNoteQueries.ModelAsync(conn, tx, companyId, found))!;
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "CREDIT_NOTE", r.CustomProperties, v, "customProperties");
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var vendor = await PayableDocumentCreation.VendorAsync(conn, tx, companyId, r.BusinessPartnerId, v, "businessPartnerId");
        var withTax = r.AreLinesWithTax ?? false;
        var (lines, amount) = await PayableDocumentCreation.ResolveLinesAsync(r.Lines, r.Amount, "lines", v,
            (line, i) => CreditNoteLineStore.ResolveAsync(conn, tx, companyId, vendor, line, withTax, v, "lines", i));
        var currency = await PayableWrites.CurrencyOrBaseAsync(conn, tx, companyId, r.Currency);
        var id = Ids.New();
        var now = Now;
        await conn.ExecuteAsync("""
            INSERT INTO credit_notes (company_id, id, company_entity_id, vendor_id, status, document_number, amount, currency, description,
                                      document_date, posting_date, are_lines_with_tax, local_fx_rate_override, group_fx_rate_override,
                                      custom_properties, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @vendorId, @status, @number, @amount, @currency, @Description, @DocumentDate, @DocumentDate,
                    @withTax, @LocalCurrencyFxRateOverride, @GroupCurrencyFxRateOverride, @customProperties::jsonb, @actor, @actor, @now, @now)
            """, new
        {
            companyId, id, entityId, vendorId = r.BusinessPartnerId, status = CreditNoteStatus.Draft, number, amount, currency, r.Description,
            r.DocumentDate, withTax, r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, actor = principal.ActorId(), now,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
        }, tx);
        foreach (var line in lines) await PayableLineTable.CreditNotes.InsertAsync(conn, tx, companyId, id, line, now);
        await tx.CommitWriteAsync();
        return (await CreditNoteQueries.ModelAsync(conn, null, companyId, id))!;
    }

    /// <summary>documentNumber is the natural idempotency key per vendor: serialise on it and answer with the existing note.</summary>
    static async Task<Guid?> ExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? vendorId, string number)
    {
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"credit-note:{companyId}:{vendorId}:{number}" }, tx);
        return await conn.ExecuteScalarAsync<Guid?>("""
            SELECT id FROM credit_notes WHERE company_id = @companyId AND document_number = @number AND vendor_id IS NOT DISTINCT FROM @vendorId
            """, new { companyId, number, vendorId }, tx);
    }

    /// <summary>A draft credit note for the bill's vendor, currency, entity and lines (their custom properties too).</summary>
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
            VALUES (@companyId, @id, @EntityId, @VendorId, @status, @Amount, @Currency, @description, @IncludeTax, @billId, @actor, @actor, @now, @now);
            INSERT INTO credit_note_lines (company_id, id, credit_note_id, position, gross_amount, net_amount, tax_amount, description, tax_code_id,
                                           account_id, custom_properties, created_at, updated_at)
            SELECT company_id, gen_random_uuid(), @id, position, amount, net_amount, tax_amount, description, tax_code_id, account_id, custom_properties,
                   @now, @now
              FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId
            """, new
        {
            companyId, id, bill.EntityId, bill.VendorId, status = CreditNoteStatus.Draft, bill.Amount, bill.Currency, bill.IncludeTax, billId,
            actor = principal.ActorId(), now, description = bill.Description ?? (bill.Number is null ? null : $"Credit for {bill.Number}"),
        }, tx);
        await PayableLineTable.CreditNotes.RecomputeAmountAsync(conn, tx, companyId, id, now);
        await tx.CommitWriteAsync();
        return await CreditNoteQueries.ModelAsync(conn, null, companyId, id);
    }

    /// <summary>PATCH of a draft's header: a field sent as null clears it, an omitted one stays.</summary>
    public async Task<CreditNoteModel?> PatchAsync(Principal principal, Guid id, UpdateCreditNoteRequest r, JsonElement body)
    {
        var header = new PayableHeader(r.Currency, r.Amount, r.DocumentNumber, r.Description,
            r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, r.CustomProperties);
        var v = PayableHeaderRules.CheckPatch(body, NotClearable, header, "documentNumber");
        v.ThrowIfAny();
        return await DocumentCommand.RunAsync(db, CreditNoteQueries.Table, principal.CompanyId, id, async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            CreditNoteLifecycle.Ensure(row.Status, CreditNoteAction.Edit);
            await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "CREDIT_NOTE", r.CustomProperties, v, "customProperties");
            v.ThrowIfAny();
            var set = new PatchSet(body, new { companyId, id, now = Now, actor = principal.ActorId() });
            await CheckPatchAsync(s, r, set);
            set.Columns(r, nameof(r.CompanyEntityId), nameof(r.DocumentDate))
                .Set("businessPartnerId", "vendor_id", r.BusinessPartnerId);
            if (set.Has("documentDate")) set.Raw("posting_date = @documentDate");
            set.Set("areLinesWithTax", "are_lines_with_tax", r.AreLinesWithTax)
                .SetPayableHeader(header, "documentNumber", "document_number");
            set.Raw("updated_at = @now").Raw("updated_by = @actor");
            await conn.ExecuteAsync($"UPDATE credit_notes SET {set.Clause} WHERE company_id = @companyId AND id = @id", set.Parameters, tx);
            return await CreditNoteQueries.ModelAsync(conn, tx, companyId, id);
        });
    }

    static async Task CheckPatchAsync(DocumentScope<CreditNoteRow> s, UpdateCreditNoteRequest r, PatchSet set)
    {
        var (conn, tx, companyId, id) = (s.Connection, s.Transaction, s.CompanyId, s.Row.Id);
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        if (r.BusinessPartnerId is { } vendorId && await VendorDefaults.FindAsync(conn, tx, companyId, vendorId) is null)
            throw ApiException.BadRequest($"Vendor {vendorId} does not exist", "businessPartnerId");
        var lineSum = await PayableLineTable.CreditNotes.SumAsync(conn, tx, companyId, id);
        if (set.Has("amount") && lineSum is { } sum && r.Amount != sum)
            throw ApiException.Unprocessable($"'amount' must equal the sum of the lines ({sum}) once the credit note has lines", "amount");
        if (set.Has("documentNumber") && r.DocumentNumber is { } number && await conn.ExecuteScalarAsync<bool>("""
                SELECT EXISTS (SELECT 1 FROM credit_notes WHERE company_id = @companyId AND document_number = @number AND id <> @id
                                  AND vendor_id IS NOT DISTINCT FROM @vendorId)
                """, new { companyId, number, id, vendorId = set.Has("businessPartnerId") ? r.BusinessPartnerId : s.Row.VendorId }, tx))
            throw ApiException.Conflict($"Another credit note of this vendor has document number '{number}'");
    }
}
