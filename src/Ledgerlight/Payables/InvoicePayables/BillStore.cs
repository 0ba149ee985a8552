using Ledgerlight.Payables.PayableDocuments;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>
/// Bills while they are drafts: create, read, PATCH of the header and their custom properties. Lines are
/// <see cref="BillLineStore"/>, approval <see cref="BillApprovalStore"/>, the ledger <see cref="BillPostingStore"/>
/// and <see cref="BillPaymentStore"/>.
/// </summary>
public sealed class BillStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly string[] ProcessingModes = ["DATA_ONLY", "OCR_AND_MERGE", "AI_PARSE_AND_MERGE"];
    static readonly string[] NotClearable = ["companyEntityId", "currency", "lineItemsIncludeTax"];
    const string DuplicateInvoice = "DUPLICATE_INVOICE";

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<BillModel?> GetAsync(Guid companyId, Guid id, bool includeOutstanding)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await BillQueries.ModelAsync(conn, null, companyId, id, includeOutstanding);
    }

    public async Task<IReadOnlyList<BillPaymentModel>?> ListPaymentsAsync(Guid companyId, Guid billId)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (await BillQueries.FindAsync(conn, null, companyId, billId) is null) return null;
        return (await BillQueries.ActivePaymentsAsync(conn, null, companyId, billId)).Select(p => p.ToModel()).ToList();
    }

    public async Task<bool> ExistsAsync(Guid companyId, Guid billId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await BillQueries.FindAsync(conn, null, companyId, billId) is not null;
    }

    /// <param name="origin">For bills other areas create (a reimbursement): the bill's type and a step run in the same transaction.</param>
    public async Task<BillModel> CreateAsync(Principal principal, CreateBillRequest r, BillOrigin? origin = null)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var id = await CreateInTransactionAsync(conn, tx, principal, r, origin);
        await tx.CommitWriteAsync();
        return (await BillQueries.ModelAsync(conn, null, principal.CompanyId, id, false))!;
    }

    /// <summary>The creation inside the caller's transaction (imports create many open bills all or nothing); returns the new bill's id.</summary>
    public async Task<Guid> CreateInTransactionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, CreateBillRequest r,
        BillOrigin? origin = null)
    {
        var companyId = principal.CompanyId;
        Limits.LineCount(r.LineItems?.Count, "lineItems", Limits.MaxLinesPerDocument);
        var v = new Validation();
        PayableHeaderRules.Check(v, new PayableHeader(r.Currency, r.Amount, r.InvoiceNumber, r.Description,
            r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, r.CustomProperties), "invoiceNumber");
        if (r.ProcessingMode is { } mode && !ProcessingModes.Contains(mode))
            v.Add($"'processingMode' must be one of {string.Join(", ", ProcessingModes)}", "processingMode");
        PayableDocumentCreation.CheckLineShapes(v, r.LineItems, "lineItems", BillLineRules.CheckShape);
        // The whole body's shape first: a malformed body is refused before any per-line database lookup.
        v.ThrowIfAny();

        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "BILL", r.CustomProperties, v, "customProperties");
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var vendor = await PayableDocumentCreation.VendorAsync(conn, tx, companyId, r.VendorId, v, "vendorId");
        if (r.SenderBankAccountId is { } bank && !await BillQueries.BankAccountExistsAsync(conn, tx, companyId, bank))
            v.Add($"Bank account {bank} does not exist", "senderBankAccountId");
        var includeTax = r.LineItemsIncludeTax ?? false;
        var (lines, amount) = await PayableDocumentCreation.ResolveLinesAsync(r.LineItems, r.Amount, "line items", v,
            (line, i) => BillLineStore.ResolveAsync(conn, tx, companyId, vendor, line, includeTax, v, "lineItems", i));

        var currency = await PayableWrites.CurrencyOrBaseAsync(conn, tx, companyId, r.Currency);
        var senderBank = r.SenderBankAccountId ?? await VendorDefaults.SenderBankAccountAsync(conn, tx, companyId, vendor?.Id, entityId, currency);
        var id = Ids.New();
        var now = Now;
        var duplicateOf = await BillQueries.FindDuplicateAsync(conn, tx, companyId, id, r.VendorId, r.InvoiceNumber);
        await conn.ExecuteAsync("""
            INSERT INTO invoice_payables (company_id, id, type, company_entity_id, vendor_id, state, failure_reason, processing_mode, invoice_number,
                                          amount, currency, description, sender_bank_account_id, payment_at, issued_date, due_date,
                                          line_items_include_tax, local_fx_rate_override, group_fx_rate_override, duplicate_of_id,
                                          custom_properties, created_by, created_at, updated_at)
            VALUES (@companyId, @id, @type, @entityId, @VendorId, @state, @failure, @mode, @InvoiceNumber, @amount, @currency, @Description,
                    @senderBank, @PaymentAt, @IssuedDate, @DueDate, @includeTax, @LocalCurrencyFxRateOverride,
                    @GroupCurrencyFxRateOverride, @duplicateOf, @customProperties::jsonb, @createdBy, @now, @now)
            """, new
        {
            companyId, id, type = origin?.Type ?? BillType.VendorInvoice, entityId, r.VendorId, state = BillLifecycle.DraftState(duplicateOf),
            failure = duplicateOf is null ? null : DuplicateInvoice, mode = r.ProcessingMode ?? "DATA_ONLY", r.InvoiceNumber, amount,
            currency, r.Description, senderBank, r.PaymentAt, r.IssuedDate, r.DueDate, includeTax, r.LocalCurrencyFxRateOverride,
            r.GroupCurrencyFxRateOverride, duplicateOf, createdBy = principal.ActorId(), now,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
        }, tx);
        foreach (var line in lines) await PayableLineTable.Bills.InsertAsync(conn, tx, companyId, id, line, now);
        if (origin?.Within is { } within) await within(conn, tx, id);
        return id;
    }

    /// <summary>PATCH of the header: a field sent as null clears it, an omitted one stays.</summary>
    public async Task<BillModel?> PatchAsync(Principal principal, Guid id, UpdateBillRequest r, JsonElement body)
    {
        var header = new PayableHeader(r.Currency, r.Amount, r.InvoiceNumber, r.Description,
            r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, r.CustomProperties);
        var v = PayableHeaderRules.CheckPatch(body, NotClearable, header, "invoiceNumber");
        v.MaxLength(r.ApprovalNote, 1000, "approvalNote");
        v.ThrowIfAny();
        return await DocumentCommand.RunAsync(db, BillQueries.Table, principal.CompanyId, id, async s =>
        {
            await CustomPropertyRequests.ValidateAsync(s.Connection, s.Transaction, s.CompanyId, "BILL", r.CustomProperties, v, "customProperties");
            v.ThrowIfAny();
            BillLifecycle.Ensure(s.Row.State, BillAction.Edit);
            await CheckReferencesAsync(s, r, body);
            await UpdateHeaderAsync(s, r, header, body);
            return await BillQueries.ModelAsync(s.Connection, s.Transaction, s.CompanyId, id, false);
        });
    }

    static async Task CheckReferencesAsync(DocumentScope<BillRow> s, UpdateBillRequest r, JsonElement body)
    {
        var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        var v = new Validation();
        if (r.VendorId is { } vendorId && await VendorDefaults.FindAsync(conn, tx, companyId, vendorId) is null) v.Add($"Vendor {vendorId} does not exist", "vendorId");
        if (r.SenderBankAccountId is { } bank && !await BillQueries.BankAccountExistsAsync(conn, tx, companyId, bank))
            v.Add($"Bank account {bank} does not exist", "senderBankAccountId");
        if (r.PurchaseOrderId is { } po && !await conn.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM purchase_orders WHERE company_id = @companyId AND id = @po)", new { companyId, po }, tx))
            v.Add($"Purchase order {po} does not exist", "purchaseOrderId");
        v.ThrowIfAny();
        var lineSum = await PayableLineTable.Bills.SumAsync(conn, tx, companyId, s.Row.Id);
        if (body.TryGetProperty("amount", out _) && lineSum is { } sum && r.Amount != sum)
            throw ApiException.Unprocessable($"'amount' must equal the sum of the line items ({sum}) once the bill has line items", "amount");
    }

    async Task UpdateHeaderAsync(DocumentScope<BillRow> s, UpdateBillRequest r, PayableHeader header, JsonElement body)
    {
        var (conn, tx, companyId, id) = (s.Connection, s.Transaction, s.CompanyId, s.Row.Id);
        var set = new PatchSet(body, new { companyId, id, now = Now })
            .SetPayableHeader(header, "invoiceNumber", "invoice_number")
            .Columns(r, nameof(r.VendorId), nameof(r.CompanyEntityId), nameof(r.SenderBankAccountId), nameof(r.FiNumber), nameof(r.NorKidReference),
                nameof(r.SwissPaymentReference), nameof(r.PaymentAt), nameof(r.IssuedDate), nameof(r.DueDate), nameof(r.ApprovalNote),
                nameof(r.PurchaseOrderId), nameof(r.LineItemsIncludeTax));
        set.Raw("updated_at = @now").Raw("version = version + 1");
        await conn.ExecuteAsync($"UPDATE invoice_payables SET {set.Clause} WHERE company_id = @companyId AND id = @id", set.Parameters, tx);

        // A changed vendor or invoice number may make the bill a duplicate, or stop it being one.
        if ((set.Has("vendorId") || set.Has("invoiceNumber")) && s.Row.State is BillState.InDraft or BillState.Duplicated)
        {
            var updated = (await BillQueries.FindAsync(conn, tx, companyId, id))!;
            var duplicateOf = await BillQueries.FindDuplicateAsync(conn, tx, companyId, id, updated.VendorId, updated.InvoiceNumber);
            await conn.ExecuteAsync("""
                UPDATE invoice_payables SET duplicate_of_id = @duplicateOf, state = @state, failure_reason = @failure
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId, id, duplicateOf, state = BillLifecycle.DraftState(duplicateOf), failure = duplicateOf is null ? null : DuplicateInvoice },
                tx);
        }
    }

    /// <summary>
    /// Replaces the bill's custom properties (Light allows it after posting, e.g. a reconciliation link) in any state but
    /// APPROVAL_PENDING, where Light locks editing: groups left out are removed. Touches no ledger line.
    /// </summary>
    public Task<BillModel?> ReplaceCustomPropertiesAsync(Guid companyId, Guid id, IReadOnlyList<SetCustomPropertyRequest>? properties) =>
        DocumentCommand.RunAsync(db, BillQueries.Table, companyId, id, async s =>
        {
            var v = new Validation();
            await CustomPropertyRequests.ValidateAsync(s.Connection, s.Transaction, companyId, "BILL", properties, v, "customProperties");
            v.ThrowIfAny();
            BillLifecycle.Ensure(s.Row.State, BillAction.ReplaceCustomProperties);
            await s.Connection.ExecuteAsync("""
                UPDATE invoice_payables SET custom_properties = @json::jsonb, updated_at = @now, version = version + 1
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId, id, json = CustomPropertyRequests.ToJson(properties ?? []), now = Now }, s.Transaction);
            return await BillQueries.ModelAsync(s.Connection, s.Transaction, companyId, id, includeOutstanding: true);
        });
}
