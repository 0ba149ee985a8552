using Ledgerlight.Documents.Kernel;
using static Ledgerlight.Ledger.DocumentContext;
using System.Text.Json;
using Dapper;
using Ledgerlight.Currencies;
using Ledgerlight.Ledger;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Ledger.TaxCodes;
using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>
/// Bills: header and lines while editable, then the approval workflow, posting (AP document),
/// bank payments (BP documents) and their reversal. Every ledger effect goes through the posting
/// engine inside the same transaction as the bill's state change.
/// </summary>
public sealed class InvoicePayableStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    static readonly string[] ProcessingModes = ["DATA_ONLY", "OCR_AND_MERGE", "AI_PARSE_AND_MERGE"];
    const int MaxLines = Limits.MaxLinesPerDocument;

    DateTime Now => clock.GetUtcNow().UtcDateTime;
    DateOnly Today => DateOnly.FromDateTime(Now);

    // ---------------------------------------------------------------- reads

    public async Task<BillModel?> GetAsync(Guid companyId, Guid id, bool includeOutstanding)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id, includeOutstanding);
    }

    public async Task<BillLineModel?> GetLineAsync(Guid companyId, Guid billId, Guid lineId)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (await LoadRowAsync(conn, null, companyId, billId, false) is null) return null;
        var line = await conn.QuerySingleOrDefaultAsync<BillLineRow>(
            $"SELECT {BillLineRow.Columns} FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId AND id = @lineId",
            new { companyId, billId, lineId });
        return line?.ToModel();
    }

    public async Task<IReadOnlyList<BillPaymentModel>?> ListPaymentsAsync(Guid companyId, Guid billId)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (await LoadRowAsync(conn, null, companyId, billId, false) is null) return null;
        return (await ActivePaymentsAsync(conn, null, companyId, billId)).Select(p => p.ToModel()).ToList();
    }

    public async Task<bool> ExistsAsync(Guid companyId, Guid billId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadRowAsync(conn, null, companyId, billId, false) is not null;
    }

    // ---------------------------------------------------------------- create / patch

    public async Task<BillModel> CreateAsync(Principal principal, CreateBillRequest r)
    {
        var companyId = principal.CompanyId;
        Limits.LineCount(r.LineItems?.Count, "lineItems", MaxLines);
        var v = new Validation();
        v.Currency(r.Currency, "currency");
        v.Amount(r.Amount, "amount");
        v.MaxLength(r.InvoiceNumber, 255, "invoiceNumber");
        v.MaxLength(r.Description, 1000, "description");
        if (r.ProcessingMode is { } mode && !ProcessingModes.Contains(mode))
            v.Add($"'processingMode' must be one of {string.Join(", ", ProcessingModes)}", "processingMode");
        if (r.LocalCurrencyFxRateOverride is <= 0) v.Add("'localCurrencyFxRateOverride' must be positive", "localCurrencyFxRateOverride");
        if (r.GroupCurrencyFxRateOverride is <= 0) v.Add("'groupCurrencyFxRateOverride' must be positive", "groupCurrencyFxRateOverride");
        CustomPropertyRequests.CheckShape(v, r.CustomProperties, "customProperties");
        for (var i = 0; i < (r.LineItems?.Count ?? 0); i++)
            if (r.LineItems![i] is { } item) BillLineRules.CheckShape(item, v, "lineItems", i);
        // The whole body's shape first: a malformed body is refused before any per-line database lookup.
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "BILL", r.CustomProperties, v, "customProperties");
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var vendor = r.VendorId is { } vid ? await VendorAsync(conn, tx, companyId, vid) : null;
        if (r.VendorId is { } missingVendor && vendor is null) v.Add($"Vendor {missingVendor} does not exist", "vendorId");
        if (r.SenderBankAccountId is { } bank && !await BankAccountExistsAsync(conn, tx, companyId, bank))
            v.Add($"Bank account {bank} does not exist", "senderBankAccountId");
        var includeTax = r.LineItemsIncludeTax ?? false;
        var lines = new List<ResolvedLine>();
        for (var i = 0; i < (r.LineItems?.Count ?? 0); i++)
            if (await ResolveLineAsync(conn, tx, companyId, vendor, r.LineItems![i], includeTax, v, "lineItems", i) is { } line) lines.Add(line);
        v.ThrowIfAny();

        var amount = r.Amount;
        if (lines.Count > 0)
        {
            var sum = lines.Sum(l => l.Amounts.Gross);
            if (amount is { } given && given != sum)
                throw ApiException.Unprocessable($"'amount' {given} does not equal the sum of the line items {sum}", "amount");
            amount = sum;
        }

        var currency = r.Currency ?? await conn.ExecuteScalarAsync<string>(
            "SELECT trim(base_currency) FROM companies WHERE id = @companyId", new { companyId }, tx);
        var id = Ids.New();
        var now = Now;
        var duplicateOf = await FindDuplicateAsync(conn, tx, companyId, id, r.VendorId, r.InvoiceNumber);
        await conn.ExecuteAsync("""
            INSERT INTO invoice_payables (company_id, id, company_entity_id, vendor_id, state, failure_reason, processing_mode, invoice_number,
                                          amount, currency, description, sender_bank_account_id, payment_at, issued_date, due_date,
                                          line_items_include_tax, local_fx_rate_override, group_fx_rate_override, duplicate_of_id,
                                          custom_properties, created_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @VendorId, @state, @failure, @mode, @InvoiceNumber, @amount, @currency, @Description,
                    @SenderBankAccountId, @PaymentAt, @IssuedDate, @DueDate, @includeTax, @LocalCurrencyFxRateOverride,
                    @GroupCurrencyFxRateOverride, @duplicateOf, @customProperties::jsonb, @createdBy, @now, @now)
            """, new
        {
            companyId, id, entityId, r.VendorId, state = duplicateOf is null ? BillState.InDraft : BillState.Duplicated,
            failure = duplicateOf is null ? null : "DUPLICATE_INVOICE", mode = r.ProcessingMode ?? "DATA_ONLY", r.InvoiceNumber, amount,
            currency, r.Description, r.SenderBankAccountId, r.PaymentAt, r.IssuedDate, r.DueDate, includeTax, r.LocalCurrencyFxRateOverride,
            r.GroupCurrencyFxRateOverride, duplicateOf, createdBy = principal.UserId ?? principal.CredentialId, now,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
        }, tx);
        foreach (var line in lines) await InsertLineAsync(conn, tx, companyId, id, line, now);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, companyId, id, false))!;
    }

    /// <summary>PATCH of the header: a field sent as null clears it, an omitted one stays.</summary>
    public async Task<BillModel?> PatchAsync(Principal principal, Guid id, UpdateBillRequest r, JsonElement body)
    {
        var companyId = principal.CompanyId;
        bool Has(string name) => body.TryGetProperty(name, out _);
        var v = new Validation();
        foreach (var required in new[] { "companyEntityId", "currency", "lineItemsIncludeTax" })
            if (body.TryGetProperty(required, out var value) && value.ValueKind == JsonValueKind.Null)
                v.Add($"'{required}' cannot be cleared", required);
        v.Currency(r.Currency, "currency");
        v.Amount(r.Amount, "amount");
        v.MaxLength(r.InvoiceNumber, 255, "invoiceNumber");
        v.MaxLength(r.Description, 1000, "description");
        v.MaxLength(r.ApprovalNote, 1000, "approvalNote");
        if (r.LocalCurrencyFxRateOverride is <= 0) v.Add("'localCurrencyFxRateOverride' must be positive", "localCurrencyFxRateOverride");
        if (r.GroupCurrencyFxRateOverride is <= 0) v.Add("'groupCurrencyFxRateOverride' must be positive", "groupCurrencyFxRateOverride");
        CustomPropertyRequests.CheckShape(v, r.CustomProperties, "customProperties");
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "BILL", r.CustomProperties, v, "customProperties");
        v.ThrowIfAny();
        var row = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (row is null) return null;
        BillState.Require(row.State, BillState.Editable, "edited");
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        v = new Validation();
        if (r.VendorId is { } vendorId && await VendorAsync(conn, tx, companyId, vendorId) is null) v.Add($"Vendor {vendorId} does not exist", "vendorId");
        if (r.SenderBankAccountId is { } bank && !await BankAccountExistsAsync(conn, tx, companyId, bank))
            v.Add($"Bank account {bank} does not exist", "senderBankAccountId");
        if (r.PurchaseOrderId is { } po && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM purchase_orders WHERE company_id = @companyId AND id = @po", new { companyId, po }, tx) == 0)
            v.Add($"Purchase order {po} does not exist", "purchaseOrderId");
        v.ThrowIfAny();
        var lineSum = await conn.ExecuteScalarAsync<long?>(
            "SELECT sum(amount) FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @id", new { companyId, id }, tx);
        if (Has("amount") && lineSum is { } sum && r.Amount != sum)
            throw ApiException.Unprocessable($"'amount' must equal the sum of the line items ({sum}) once the bill has line items", "amount");

        var sets = new List<string>();
        var p = new DynamicParameters(new { companyId, id, now = Now });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("vendorId", "vendor_id", r.VendorId);
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("invoiceNumber", "invoice_number", r.InvoiceNumber);
        Set("amount", "amount", r.Amount);
        Set("currency", "currency", r.Currency);
        Set("description", "description", r.Description);
        if (Has("customProperties"))
        {
            sets.Add("custom_properties = @customProperties::jsonb");
            p.Add("customProperties", CustomPropertyRequests.ToJson(r.CustomProperties));
        }
        Set("senderBankAccountId", "sender_bank_account_id", r.SenderBankAccountId);
        Set("fiNumber", "fi_number", r.FiNumber);
        Set("norKidReference", "nor_kid_reference", r.NorKidReference);
        Set("swissPaymentReference", "swiss_payment_reference", r.SwissPaymentReference);
        Set("paymentAt", "payment_at", r.PaymentAt);
        Set("issuedDate", "issued_date", r.IssuedDate);
        Set("dueDate", "due_date", r.DueDate);
        Set("approvalNote", "approval_note", r.ApprovalNote);
        Set("purchaseOrderId", "purchase_order_id", r.PurchaseOrderId);
        Set("lineItemsIncludeTax", "line_items_include_tax", r.LineItemsIncludeTax);
        Set("localCurrencyFxRateOverride", "local_fx_rate_override", r.LocalCurrencyFxRateOverride);
        Set("groupCurrencyFxRateOverride", "group_fx_rate_override", r.GroupCurrencyFxRateOverride);
        sets.Add("updated_at = @now");
        sets.Add("version = version + 1");
        await conn.ExecuteAsync($"UPDATE invoice_payables SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx);

        // A changed vendor or invoice number may make the bill a duplicate, or stop it being one.
        if ((Has("vendorId") || Has("invoiceNumber")) && row.State is BillState.InDraft or BillState.Duplicated)
        {
            var updated = (await LoadRowAsync(conn, tx, companyId, id, false))!;
            var duplicateOf = await FindDuplicateAsync(conn, tx, companyId, id, updated.VendorId, updated.InvoiceNumber);
            await conn.ExecuteAsync("""
                UPDATE invoice_payables SET duplicate_of_id = @duplicateOf,
                       state = CASE WHEN @duplicateOf IS NULL THEN 'IN_DRAFT' ELSE 'DUPLICATED' END,
                       failure_reason = CASE WHEN @duplicateOf IS NULL THEN NULL ELSE 'DUPLICATE_INVOICE' END
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId, id, duplicateOf }, tx);
        }
        var model = await LoadModelAsync(conn, tx, companyId, id, false);
        await tx.CommitWriteAsync();
        return model;
    }

    // ---------------------------------------------------------------- lines

    public async Task<BillLineModel?> AddLineAsync(Principal principal, Guid billId, BillLineRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, billId, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, BillState.Editable, "edited");
        var count = await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId", new { companyId, billId }, tx);
        Limits.LinesAfterAdding(count, 1, "lineItems", MaxLines);
        var v = new Validation();
        var vendor = bill.VendorId is { } vid ? await VendorAsync(conn, tx, companyId, vid) : null;
        var line = await ResolveLineAsync(conn, tx, companyId, vendor, r, bill.LineItemsIncludeTax, v);
        v.ThrowIfAny();
        var id = await InsertLineAsync(conn, tx, companyId, billId, line!, Now);
        await RecomputeAmountAsync(conn, tx, companyId, billId);
        var model = await LoadLineAsync(conn, tx, companyId, billId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>PUT replaces the line: every field takes the request's value (absent means none).</summary>
    public async Task<BillLineModel?> ReplaceLineAsync(Principal principal, Guid billId, Guid lineId, BillLineRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, billId, forUpdate: true);
        if (bill is null || await LoadLineAsync(conn, tx, companyId, billId, lineId) is null) return null;
        BillState.Require(bill.State, BillState.Editable, "edited");
        var v = new Validation();
        var vendor = bill.VendorId is { } vid ? await VendorAsync(conn, tx, companyId, vid) : null;
        var line = await ResolveLineAsync(conn, tx, companyId, vendor, r, bill.LineItemsIncludeTax, v);
        v.ThrowIfAny();
        await conn.ExecuteAsync("""
            UPDATE invoice_payable_line_items
               SET amount = @Gross, net_amount = @Net, tax_amount = @Tax, description = @Description, tax_code_id = @TaxCodeId,
                   account_id = @AccountId, amortization_start_date = @AmortizationStartDate, amortization_end_date = @AmortizationEndDate,
                   amortization_template_id = @AmortizationTemplateId, updated_at = @now
             WHERE company_id = @companyId AND invoice_payable_id = @billId AND id = @lineId
            """, new
        {
            line!.Amounts.Gross, line.Amounts.Net, line.Amounts.Tax, line.Request.Description, line.TaxCodeId, line.AccountId,
            line.Request.AmortizationStartDate, line.Request.AmortizationEndDate, line.Request.AmortizationTemplateId,
            now = Now, companyId, billId, lineId,
        }, tx);
        await RecomputeAmountAsync(conn, tx, companyId, billId);
        var model = await LoadLineAsync(conn, tx, companyId, billId, lineId);
        await tx.CommitWriteAsync();
        return model;
    }

    public async Task<BillLineModel?> DeleteLineAsync(Principal principal, Guid billId, Guid lineId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, billId, forUpdate: true);
        var line = bill is null ? null : await LoadLineAsync(conn, tx, companyId, billId, lineId);
        if (line is null) return null;
        BillState.Require(bill!.State, BillState.Editable, "edited");
        await conn.ExecuteAsync("DELETE FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId AND id = @lineId",
            new { companyId, billId, lineId }, tx);
        await RecomputeAmountAsync(conn, tx, companyId, billId);
        await tx.CommitWriteAsync();
        return line;
    }

    sealed record ResolvedLine(BillLineRequest Request, EnteredAmounts Amounts, Guid AccountId, Guid? TaxCodeId);

    /// <summary>Checks references and computes amounts; null (with errors in v) when the line is not usable.</summary>
    async Task<ResolvedLine?> ResolveLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorDefaults? vendor,
        BillLineRequest r, bool includeTax, Validation v, params object[] path)
    {
        object[] P(string f) => [.. path, f];
        v.MaxLength(r.Description, 1000, P("description"));
        CustomPropertyRequests.RefuseUnknownGroups(v, r.CustomProperties, P("customProperties"));
        if (r.AmortizationStartDate is { } s && r.AmortizationEndDate is { } e && e < s)
            v.Add("'amortizationEndDate' must not be before 'amortizationStartDate'", P("amortizationEndDate"));
        var ok = true;
        var taxCodeId = r.TaxCodeId ?? vendor?.DefaultTaxCodeId;
        TaxCodeRow? taxCode = null;
        if (taxCodeId is { } t)
        {
            taxCode = await TaxCodeStore.FindAsync(conn, tx, companyId, t);
            if (taxCode is null) { v.Add($"Tax code {t} does not exist", P("taxCodeId")); ok = false; }
        }
        Guid accountId;
        if (r.AccountId is { } a)
        {
            accountId = a;
            if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @a",
                    new { companyId, a }, tx) == 0)
            { v.Add($"Ledger account {a} does not exist", P("accountId")); ok = false; }
        }
        else accountId = vendor?.DefaultAccountId ?? await SystemAccounts.FindAsync(conn, tx, companyId, "EXPENSE");
        var amounts = BillLineRules.Compute(r.Amount, r.NetAmount, r.TaxAmount, taxCode?.RatePercent, includeTax, v, path);
        return ok && amounts is not null ? new ResolvedLine(r, amounts, accountId, taxCodeId) : null;
    }

    static async Task<Guid> InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid billId, ResolvedLine line, DateTime now)
    {
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO invoice_payable_line_items (company_id, id, invoice_payable_id, position, amount, net_amount, tax_amount, description, tax_code_id,
                                                    account_id, amortization_start_date, amortization_end_date, amortization_template_id,
                                                    created_at, updated_at)
            VALUES (@companyId, @id, @billId,
                    (SELECT COALESCE(max(position), 0) + 1 FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId),
                    @Gross, @Net, @Tax, @Description, @TaxCodeId, @AccountId, @AmortizationStartDate,
                    @AmortizationEndDate, @AmortizationTemplateId, @now, @now)
            """, new
        {
            companyId, id, billId, line.Amounts.Gross, line.Amounts.Net, line.Amounts.Tax, line.Request.Description, line.TaxCodeId,
            line.AccountId, line.Request.AmortizationStartDate, line.Request.AmortizationEndDate, line.Request.AmortizationTemplateId, now,
        }, tx);
        return id;
    }

    /// <summary>Once a bill has lines, its amount is their sum.</summary>
    Task RecomputeAmountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid billId) =>
        conn.ExecuteAsync("""
            UPDATE invoice_payables b SET amount = COALESCE((SELECT sum(l.amount) FROM invoice_payable_line_items l
                                                             WHERE l.company_id = b.company_id AND l.invoice_payable_id = b.id), b.amount),
                   updated_at = @now, version = version + 1
             WHERE b.company_id = @companyId AND b.id = @billId
            """, new { companyId, billId, now = Now }, tx);

    // ---------------------------------------------------------------- approval workflow

    public async Task<BillModel?> SubmitAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, BillState.Submittable, "submitted for approval");
        await StartApprovalAsync(conn, tx, bill);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, false);
    }

    /// <summary>
    /// Records the caller's approval (submitting a draft first). When every step is approved the bill
    /// is posted straight away (APPROVED_ACCOUNTING_ENTRY_PENDING → UNPAID), in the same transaction.
    /// </summary>
    public async Task<BillModel?> ApproveAsync(Principal principal, Guid id, string? note)
    {
        var companyId = principal.CompanyId;
        var identity = principal.UserId ?? principal.CredentialId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, BillState.Approvable, "approved");
        // Approving a draft submits it first; when it needs no approval that would simply post it,
        // which only a role that may post bills may do (an APPROVER approves, it does not post).
        if (bill.State != BillState.ApprovalPending && !BillApproval.MayPost(principal.Role) && !(await ApprovalAsync(conn, tx, bill)).NeedsApproval)
            throw ApiException.Forbidden($"Invoice payable needs no approval; role {principal.Role} may approve bills but not post them");
        var approvalId = bill.State == BillState.ApprovalPending
            ? await conn.ExecuteScalarAsync<Guid>(
                "SELECT id FROM invoice_approvals WHERE company_id = @companyId AND invoice_payable_id = @id AND status = 'IN_PROGRESS'",
                new { companyId, id }, tx)
            : await StartApprovalAsync(conn, tx, bill);
        var steps = await StepsAsync(conn, tx, companyId, approvalId);
        if (steps.Any(s => s.UserId == identity && s.Status == "APPROVED"))
            throw ApiException.Conflict($"Invoice payable is {BillState.ApprovalPending}; {identity} has already approved it and cannot approve it twice");
        var step = StepFor(steps, identity);
        var waiting = steps.Where(s => s.Status == "PENDING").Min(s => s.Priority);
        if (step.Priority > waiting)
            throw ApiException.Conflict($"Invoice payable is {BillState.ApprovalPending}; approvers with priority {waiting} must approve first");
        var now = Now;
        await conn.ExecuteAsync("""
            UPDATE invoice_user_approvals SET status = 'APPROVED', user_id = @identity, note = @note, completed_at = @now, updated_at = @now
             WHERE company_id = @companyId AND id = @stepId
            """, new { companyId, stepId = step.Id, identity, note, now }, tx);
        if (note is not null)
            await conn.ExecuteAsync("UPDATE invoice_payables SET approval_note = @note WHERE company_id = @companyId AND id = @id", new { companyId, id, note }, tx);
        if (steps.Count(s => s.Status != "APPROVED") == 1)
        {
            await conn.ExecuteAsync("""
                UPDATE invoice_approvals SET status = 'APPROVED', note = COALESCE(@note, note), completed_at = @now, updated_at = @now
                 WHERE company_id = @companyId AND id = @approvalId
                """, new { companyId, approvalId, note, now }, tx);
            await SetStateAsync(conn, tx, companyId, id, BillState.ApprovedEntryPending);
            await PostBillAsync(conn, tx, companyId, id, identity);
        }
        else
            await conn.ExecuteAsync("UPDATE invoice_approvals SET updated_at = @now WHERE company_id = @companyId AND id = @approvalId",
                new { companyId, approvalId, now }, tx);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, true);
    }

    public async Task<BillModel?> DeclineAsync(Principal principal, Guid id, string? note)
    {
        var companyId = principal.CompanyId;
        var identity = principal.UserId ?? principal.CredentialId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, new HashSet<string> { BillState.ApprovalPending }, "declined");
        var approvalId = await conn.ExecuteScalarAsync<Guid>(
            "SELECT id FROM invoice_approvals WHERE company_id = @companyId AND invoice_payable_id = @id AND status = 'IN_PROGRESS'",
            new { companyId, id }, tx);
        var steps = await StepsAsync(conn, tx, companyId, approvalId);
        if (steps.Any(s => s.UserId == identity && s.Status == "APPROVED"))
            throw ApiException.Conflict($"Invoice payable is {BillState.ApprovalPending}; {identity} has already approved it");
        var step = StepFor(steps, identity);
        var now = Now;
        await conn.ExecuteAsync("""
            UPDATE invoice_user_approvals SET status = 'DECLINED', user_id = @identity, note = @note, completed_at = @now, updated_at = @now
             WHERE company_id = @companyId AND id = @stepId;
            UPDATE invoice_approvals SET status = 'DECLINED', note = @note, completed_at = @now, updated_at = @now
             WHERE company_id = @companyId AND id = @approvalId;
            UPDATE invoice_payables SET state = 'DECLINED', approval_note = COALESCE(@note, approval_note), updated_at = @now, version = version + 1
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, stepId = step.Id, approvalId, id, identity, note, now }, tx);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, false);
    }

    /// <summary>The caller's own pending step when the vendor names approvers (403 otherwise); else the open step.</summary>
    static StepRow StepFor(List<StepRow> steps, Guid identity)
    {
        if (steps.Any(s => s.Named))
            return steps.FirstOrDefault(s => s.Named && s.UserId == identity && s.Status == "PENDING")
                   ?? throw ApiException.Forbidden($"{identity} is not one of this vendor's pending approvers");
        return steps.First(s => s.Status == "PENDING");
    }

    async Task<Guid> StartApprovalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BillRow bill)
    {
        var now = Now;
        var approvalId = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO invoice_approvals (company_id, id, invoice_payable_id, status, created_at, updated_at)
            VALUES (@CompanyId, @approvalId, @Id, 'IN_PROGRESS', @now, @now);
            INSERT INTO invoice_user_approvals (company_id, id, approval_id, user_id, named, priority, status, created_at, updated_at)
            SELECT @CompanyId, gen_random_uuid(), @approvalId, a.user_id, true, a.priority, 'PENDING', @now, @now
              FROM vendor_approvers a WHERE a.company_id = @CompanyId AND a.vendor_id = @VendorId;
            INSERT INTO invoice_user_approvals (company_id, id, approval_id, user_id, named, priority, status, created_at, updated_at)
            SELECT @CompanyId, gen_random_uuid(), @approvalId, NULL, false, 1, 'PENDING', @now, @now
             WHERE NOT EXISTS (SELECT 1 FROM vendor_approvers a WHERE a.company_id = @CompanyId AND a.vendor_id = @VendorId);
            UPDATE invoice_payables SET state = 'APPROVAL_PENDING', updated_at = @now, version = version + 1
             WHERE company_id = @CompanyId AND id = @Id
            """, new { bill.CompanyId, bill.Id, bill.VendorId, approvalId, now }, tx);
        return approvalId;
    }

    static async Task<List<StepRow>> StepsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid approvalId) =>
        (await conn.QueryAsync<StepRow>(
            $"SELECT {StepRow.Columns} FROM invoice_user_approvals WHERE company_id = @companyId AND approval_id = @approvalId ORDER BY priority, created_at, id",
            new { companyId, approvalId }, tx)).ToList();

    /// <summary>
    /// Approval needed: the vendor names approvers, or the bill, converted into the company currency at
    /// the rate its posting uses, is at or above the company's threshold (<see cref="BillApproval"/>).
    /// </summary>
    async Task<BillApprovalDecision> ApprovalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BillRow bill)
    {
        var vendorHasApprovers = bill.VendorId is { } vendorId && await conn.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM vendor_approvers WHERE company_id = @companyId AND vendor_id = @vendorId)",
            new { companyId = bill.CompanyId, vendorId }, tx);
        var threshold = await conn.ExecuteScalarAsync<long?>(
            "SELECT amount_threshold FROM invoice_approval_rules WHERE company_id = @companyId", new { companyId = bill.CompanyId }, tx);
        var currency = bill.Currency.Trim();
        var (_, company) = await CurrenciesOfAsync(conn, tx, bill.CompanyId, bill.CompanyEntityId);
        var rate = vendorHasApprovers || threshold is null || currency == company
            ? 1m
            : bill.GroupFxRateOverride ?? await RateAsync(conn, tx, currency, company, bill.IssuedDate ?? Today, "groupCurrencyFxRateOverride");
        return BillApproval.Decide(new BillApprovalInput(vendorHasApprovers, threshold, company, bill.Amount ?? 0, currency, rate));
    }

    public async Task<IReadOnlyList<ApprovalModel>> ListApprovalsAsync(Guid companyId, Guid[] billIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        var approvals = (await conn.QueryAsync<ApprovalRow>("""
            SELECT a.id, a.invoice_payable_id, a.status, a.note, a.completed_at, a.created_at, a.updated_at, b.invoice_number,
                   b.amount AS invoice_amount, trim(b.currency) AS invoice_currency, b.issued_date AS invoice_issued_date, b.due_date AS invoice_due_date
              FROM invoice_approvals a JOIN invoice_payables b ON b.company_id = a.company_id AND b.id = a.invoice_payable_id
             WHERE a.company_id = @companyId AND (cardinality(@billIds) = 0 OR a.invoice_payable_id = ANY(@billIds))
             ORDER BY a.created_at DESC, a.id DESC LIMIT 200
            """, new { companyId, billIds })).ToList();
        var ids = approvals.Select(a => a.Id).ToArray();
        var steps = (await conn.QueryAsync<StepRow>(
                $"SELECT {StepRow.Columns} FROM invoice_user_approvals WHERE company_id = @companyId AND approval_id = ANY(@ids) ORDER BY priority, created_at, id",
                new { companyId, ids }))
            .ToLookup(s => s.ApprovalId);
        return approvals.Select(a => new ApprovalModel(a.Id, companyId, a.InvoicePayableId, a.InvoiceNumber, a.InvoiceAmount ?? 0, a.InvoiceCurrency,
            a.InvoiceIssuedDate, a.InvoiceDueDate, steps[a.Id].Select(s => s.ToModel()).ToList(), a.Note, a.Status, a.CompletedAt, a.UpdatedAt,
            a.CreatedAt)).ToList();
    }

    // ---------------------------------------------------------------- posting

    /// <summary>Posts an IN_DRAFT bill that needs no approval, or an approved one.</summary>
    public async Task<BillModel?> PostAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, BillState.Postable, "posted");
        if (bill.State == BillState.InDraft && await ApprovalAsync(conn, tx, bill) is { NeedsApproval: true, Reason: var reason })
            throw ApiException.Conflict($"Invoice payable is {bill.State} and needs approval before posting ({reason}); submit it for approval");
        await PostBillAsync(conn, tx, companyId, id, principal.UserId ?? principal.CredentialId);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, true);
    }

    /// <summary>Dr each line's account (net) and input tax, Cr accounts payable (gross) with the vendor as business partner.</summary>
    async Task PostBillAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid createdBy)
    {
        var bill = (await LoadRowAsync(conn, tx, companyId, id, forUpdate: true))!;
        var lines = await LoadLinesAsync(conn, tx, companyId, id);
        var v = new Validation();
        if (bill.VendorId is null) v.Required(null, "vendorId");
        if (lines.Count == 0) v.Add("A bill needs line items to be posted", "lineItems");
        else if (lines.Sum(l => l.Amount) == 0) v.Add("A bill with a zero amount cannot be posted", "amount");
        v.ThrowIfAny(422, "The invoice payable is not complete enough to post");

        var currency = bill.Currency.Trim();
        var postingDate = bill.IssuedDate ?? Today;
        var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, bill.CompanyEntityId);
        var localRate = bill.LocalFxRateOverride ?? await RateAsync(conn, tx, currency, local, postingDate, "localCurrencyFxRateOverride");
        var groupRate = bill.GroupFxRateOverride ?? await RateAsync(conn, tx, currency, group, postingDate, "groupCurrencyFxRateOverride");

        var apAccount = await SystemAccounts.FindAsync(conn, tx, companyId, "AP");
        var taxAccounts = new Dictionary<Guid, Guid>();
        var postingLines = new List<PostingLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.NetAmount != 0)
                postingLines.Add(new PostingLine(line.AccountId, DcSign.Debit, line.NetAmount, line.Description, line.Id, line.TaxCodeId,
                    Path: ["lineItems", i, "accountId"]));
            if (line.TaxAmount == 0) continue;
            var key = line.TaxCodeId ?? Guid.Empty;
            if (!taxAccounts.TryGetValue(key, out var taxAccount))
            {
                var code = line.TaxCodeId is { } t ? await TaxCodeStore.FindAsync(conn, tx, companyId, t) : null;
                taxAccounts[key] = taxAccount = code?.InputAccountId ?? await SystemAccounts.FindAsync(conn, tx, companyId, "INPUT_TAX");
            }
            postingLines.Add(new PostingLine(taxAccount, DcSign.Debit, line.TaxAmount, line.Description, line.Id, line.TaxCodeId,
                Path: ["lineItems", i, "taxAmount"]));
        }
        var total = lines.Sum(l => l.Amount);
        postingLines.Add(new PostingLine(apAccount, DcSign.Credit, total, bill.Description ?? bill.InvoiceNumber, Path: ["amount"]));

        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, createdBy,
            new PostingDocument(id, "AP", bill.CompanyEntityId, "PRIMARY", null, bill.Description ?? bill.InvoiceNumber, currency, postingDate,
                bill.IssuedDate, null, bill.VendorName, bill.VendorId, bill.LineItemsIncludeTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));
        var apLine = prepared.Lines[^1];

        // The gap-free number's row lock is held until commit: take it only once everything is checked.
        var documentNumber = await DocumentNumbers.NextAsync(conn, tx, companyId, bill.CompanyEntityId, "AP", postingDate.Year);
        await conn.ExecuteAsync("""
            UPDATE invoice_payables SET state = 'UNPAID', amount = @total, document_number = @documentNumber, posting_date = @postingDate,
                   posted_transaction_id = @transactionId, local_fx_rate = @localRate, group_fx_rate = @groupRate,
                   booked_local_amount = @bookedLocal, booked_group_amount = @bookedGroup, updated_at = @now, version = version + 1
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId, id, total, documentNumber, postingDate, transactionId, localRate, groupRate, bookedLocal = apLine.LocalAmount,
            bookedGroup = apLine.GroupAmount, now = Now,
        }, tx);
        await engine.WriteAsync(conn, tx, prepared, documentNumber);

        // A bill that references a purchase order consumes it; billing beyond what was ordered is
        // flagged on the bill (a PURCHASE_ORDER_EXCEEDED error in its failureContext), not refused.
        if (bill.PurchaseOrderId is { } purchaseOrderId)
        {
            var billing = await PurchaseOrders.PurchaseOrderBilling.RecordBilledAsync(conn, tx, companyId, purchaseOrderId, total);
            if (billing.OverBilled)
                await conn.ExecuteAsync("""
                    UPDATE invoice_payables SET purchase_order_exceeded = true WHERE company_id = @companyId AND id = @id
                    """, new { companyId, id }, tx);
        }

        // Linked credit notes are applied as CN clearings: COMPLETED when they clear the bill, else UNPAID.
        var linked = await conn.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM credit_note_links WHERE company_id = @companyId AND invoice_payable_id = @id AND clearing_id IS NULL)",
            new { companyId, id }, tx);
        if (!linked) return;
        var outstanding = await CreditNoteClearing.ApplyPendingAsync(conn, tx, engine, companyId, id, createdBy, Now);
        if (outstanding == 0) await SetStateAsync(conn, tx, companyId, id, BillState.Completed);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, outstanding == 0 ? "CLEARED" : "PARTIALLY_CLEARED");
    }

    // ---------------------------------------------------------------- payments

    /// <summary>Records a bank payment (BP document): Dr accounts payable, Cr the bank's ledger account.</summary>
    public async Task<BillModel?> MarkAsPaidAsync(Principal principal, Guid id, MarkAsPaidRequest r)
    {
        var companyId = principal.CompanyId;
        var v = new Validation();
        if (r.PaymentOption is null) v.Required(null, "paymentOption");
        else if (r.PaymentOption is not ("FULL" or "PARTIAL")) v.Add("'paymentOption' must be FULL or PARTIAL", "paymentOption");
        if (r.PaymentOption == "PARTIAL")
        {
            if (r.Amount is null) v.Required(null, "amount");
            else if (r.Amount <= 0) v.Add("'amount' must be greater than zero", "amount");
        }
        else if (r.Amount is <= 0) v.Add("'amount' must be greater than zero", "amount");
        if (r.Amount > 0) v.Amount(r.Amount, "amount");
        v.MaxLength(r.Comment, 1000, "comment");
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, BillState.Payable, "paid");
        var currency = bill.Currency.Trim();
        var payments = await ActivePaymentsAsync(conn, tx, companyId, id);
        var outstanding = bill.Amount!.Value - payments.Sum(p => p.Amount);
        var pay = r.PaymentOption == "FULL" ? outstanding : r.Amount!.Value;
        if (pay > outstanding)
            throw ApiException.Unprocessable($"Payment of {pay} exceeds the outstanding balance of {outstanding}", "amount");

        Guid bankLedgerAccount;
        var bankAccountId = r.BankAccountId ?? bill.SenderBankAccountId;
        if (bankAccountId is { } bankId)
        {
            var bank = await conn.QuerySingleOrDefaultAsync<(Guid LedgerAccountId, string Currency)>(
                "SELECT ledger_account_id, trim(currency) FROM bank_accounts WHERE company_id = @companyId AND id = @bankId", new { companyId, bankId }, tx);
            var field = r.BankAccountId is null ? "senderBankAccountId" : "bankAccountId";
            if (bank.LedgerAccountId == Guid.Empty) throw ApiException.BadRequest($"Bank account {bankId} does not exist", field);
            if (bank.Currency != currency)
                throw ApiException.Unprocessable($"Bank account {bankId} is in {bank.Currency}; the bill is in {currency}", field);
            bankLedgerAccount = bank.LedgerAccountId;
        }
        else bankLedgerAccount = await SystemAccounts.FindAsync(conn, tx, companyId, "BANK");

        var paymentAt = r.PaymentAt ?? Now;
        var paymentDate = DateOnly.FromDateTime(paymentAt);
        var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, bill.CompanyEntityId);
        var paidLocalRate = await RateAsync(conn, tx, currency, local, paymentDate, "paymentAt");
        var paidGroupRate = await RateAsync(conn, tx, currency, group, paymentDate, "paymentAt");
        // The open item is cleared at what it was booked at; the last payment takes whatever is left, so rounding never strands a cent.
        var clearsAll = pay == outstanding;
        var bookedLocal = clearsAll ? bill.BookedLocalAmount!.Value - payments.Sum(p => p.BookedLocalAmount) : Money.Convert(pay, currency, local, bill.LocalFxRate!.Value);
        var bookedGroup = clearsAll ? bill.BookedGroupAmount!.Value - payments.Sum(p => p.BookedGroupAmount) : Money.Convert(pay, currency, group, bill.GroupFxRate!.Value);
        var paidLocal = Money.Convert(pay, currency, local, paidLocalRate);
        var paidGroup = Money.Convert(pay, currency, group, paidGroupRate);
        var needsFx = bookedLocal != paidLocal || bookedGroup != paidGroup;
        var lines = FxSettlement.Lines(await SystemAccounts.FindAsync(conn, tx, companyId, "AP"), DcSign.Credit, bankLedgerAccount, pay,
            bookedLocal, paidLocal, bookedGroup, paidGroup,
            needsFx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_GAIN") : Guid.Empty,
            needsFx ? await SystemAccounts.FindAsync(conn, tx, companyId, "FX_LOSS") : Guid.Empty);

        var paymentId = Ids.New();
        var transactionId = Ids.New();
        var description = $"Payment of {bill.InvoiceNumber ?? bill.DocumentNumber}";
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, principal.UserId ?? principal.CredentialId,
            new PostingDocument(paymentId, "BP", bill.CompanyEntityId, "PRIMARY", null, description, currency, paymentDate, paymentDate, null,
                bill.VendorName, bill.VendorId),
            lines, paidLocalRate, paidGroupRate, TransactionId: transactionId));
        var documentNumber = await DocumentNumbers.NextAsync(conn, tx, companyId, bill.CompanyEntityId, "BP", paymentDate.Year);
        var now = Now;
        await conn.ExecuteAsync("""
            INSERT INTO invoice_payable_payments (company_id, id, invoice_payable_id, type, amount, currency, payment_date, bank_account_id, comment,
                                                  document_number, booked_local_amount, booked_group_amount, transaction_id, created_by, created_at)
            VALUES (@companyId, @paymentId, @id, 'BP', @pay, @currency, @paymentDate, @bankAccountId, @Comment, @documentNumber, @bookedLocal,
                    @bookedGroup, @transactionId, @createdBy, @now);
            UPDATE invoice_payables SET state = @state, payment_at = @paymentAt, updated_at = @now, version = version + 1
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId, paymentId, id, pay, currency, paymentDate, bankAccountId, r.Comment, documentNumber, bookedLocal, bookedGroup,
            transactionId, createdBy = principal.UserId ?? principal.CredentialId, now, paymentAt,
            state = BillState.AfterClearing(bill.Amount.Value, outstanding - pay, anyBankPayment: true),
        }, tx);
        await engine.WriteAsync(conn, tx, prepared, documentNumber);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, clearsAll ? "CLEARED" : "PARTIALLY_CLEARED");
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, true);
    }

    /// <summary>Reverses one clearing through the engine and reopens its amount.</summary>
    public async Task<BillModel?> ReverseClearingAsync(Principal principal, Guid id, ReverseClearingRequest r)
    {
        var companyId = principal.CompanyId;
        var v = new Validation();
        v.Required(r.ClearingAccountingDocumentId, "clearingAccountingDocumentId");
        if (r.ClearingType is null) v.Required(null, "clearingType");
        else if (r.ClearingType is not ("BP" or "CN")) v.Add("'clearingType' must be BP or CN", "clearingType");
        v.ThrowIfAny();

        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        var payment = await conn.QuerySingleOrDefaultAsync<PaymentRow>(
            $"SELECT {PaymentRow.Columns} FROM invoice_payable_payments WHERE company_id = @companyId AND invoice_payable_id = @id AND id = @docId AND type = @type",
            new { companyId, id, docId = r.ClearingAccountingDocumentId, type = r.ClearingType }, tx)
            ?? throw ApiException.NotFound($"Clearing {r.ClearingType} {r.ClearingAccountingDocumentId} of this invoice payable");
        if (payment.ReversedAt is not null) throw ApiException.Conflict($"Clearing {payment.DocumentNumber} was already reversed");
        // A credit note applied at the bill's post leaves it COMPLETED (or UNPAID when partly cleared): its clearing may be reversed too.
        BillState.Require(bill.State, payment.Type == "CN" ? BillState.Posted : new HashSet<string> { BillState.PartiallyPaid, BillState.Paid },
            "have a clearing reversed");

        var reversal = await engine.ReverseAsync(conn, tx, companyId, payment.TransactionId, null, principal.UserId ?? principal.CredentialId);
        var active = await ActivePaymentsAsync(conn, tx, companyId, id);
        var outstanding = bill.Amount!.Value - active.Sum(p => p.Amount) + payment.Amount;
        var state = BillState.AfterClearing(bill.Amount.Value, outstanding, active.Any(p => p.Type == "BP" && p.Id != payment.Id));
        var now = Now;
        await conn.ExecuteAsync("""
            UPDATE invoice_payable_payments SET reversed_at = @now, reversal_transaction_id = @reversalId WHERE company_id = @companyId AND id = @paymentId;
            UPDATE invoice_payables SET state = @state, updated_at = @now, version = version + 1 WHERE company_id = @companyId AND id = @id
            """, new { companyId, paymentId = payment.Id, reversalId = reversal.Id, id, state, now }, tx);
        // The payment no longer has any ledger effect, so its document is archived (shouldArchiveClearingDocument changes nothing more).
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, payment.Id, "ARCHIVED");
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, state == BillState.Unpaid ? "POSTED" : "PARTIALLY_CLEARED");
        if (payment.Type == "CN")
        {
            // A reversed credit note clearing ends its link, so the note's amount is available again.
            var noteId = await conn.ExecuteScalarAsync<Guid?>(
                "DELETE FROM credit_note_links WHERE company_id = @companyId AND clearing_id = @paymentId RETURNING credit_note_id",
                new { companyId, paymentId = payment.Id }, tx);
            if (noteId is { } n) await CreditNoteClearing.RefreshNoteStatusAsync(conn, tx, companyId, n);
        }
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, true);
    }

    /// <summary>Cancels a bill before payment; a posted (UNPAID) bill's AP entry is reversed, never deleted.</summary>
    public async Task<BillModel?> CancelAsync(Principal principal, Guid id, string? reason)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var bill = await LoadRowAsync(conn, tx, companyId, id, forUpdate: true);
        if (bill is null) return null;
        BillState.Require(bill.State, BillState.Cancellable, "cancelled");
        var links = await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM credit_note_links WHERE company_id = @companyId AND invoice_payable_id = @id", new { companyId, id }, tx);
        if (links > 0)
            throw ApiException.Conflict($"Invoice payable is {bill.State} and has {links} linked credit note(s); unlink them before cancelling");
        Guid? reversalId = null;
        if (bill.State == BillState.Unpaid)
        {
            reversalId = (await engine.ReverseAsync(conn, tx, companyId, bill.PostedTransactionId!.Value, null, principal.UserId ?? principal.CredentialId)).Id;
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, "ARCHIVED");
            // A cancelled bill no longer consumes its purchase order.
            if (bill.PurchaseOrderId is { } purchaseOrderId)
                await PurchaseOrders.PurchaseOrderBilling.ReleaseBilledAsync(conn, tx, companyId, purchaseOrderId, bill.Amount ?? 0);
        }
        var now = Now;
        await conn.ExecuteAsync("""
            UPDATE invoice_approvals SET status = 'CANCELLED', completed_at = @now, updated_at = @now
             WHERE company_id = @companyId AND invoice_payable_id = @id AND status = 'IN_PROGRESS';
            UPDATE invoice_payables SET state = 'CANCELLED', cancellation_reason = @reason, canceled_at = @now, reversal_transaction_id = @reversalId,
                   updated_at = @now, version = version + 1
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, reason, now, reversalId }, tx);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id, false);
    }

    // ---------------------------------------------------------------- vendor approvers and rules

    public async Task<bool> SetVendorApproversAsync(Guid companyId, Guid vendorId, VendorApproversRequest r)
    {
        var v = new Validation();
        var approvers = r.Approvers ?? [];
        if (r.Approvers is null) v.Required(null, "approvers");
        if (approvers.Count > 20) v.Add("At most 20 approvers", "approvers");
        for (var i = 0; i < approvers.Count; i++)
        {
            v.Required(approvers[i].UserId, "approvers", i, "userId");
            if (approvers[i].Priority is < 1) v.Add("'priority' must be at least 1", "approvers", i, "priority");
            if (approvers[i].UserId is { } u && approvers.Take(i).Any(a => a.UserId == u)) v.Add($"{u} is listed twice", "approvers", i, "userId");
        }
        v.ThrowIfAny();
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (await VendorAsync(conn, tx, companyId, vendorId, forUpdate: true) is null) return false;
        var ids = approvers.Select(a => a.UserId!.Value).ToArray();
        // An approver is a user of the company or one of its API keys (keys approve as themselves).
        var known = (await conn.QueryAsync<Guid>("""
            SELECT id FROM users WHERE company_id = @companyId AND id = ANY(@ids)
            UNION SELECT id FROM api_keys WHERE company_id = @companyId AND id = ANY(@ids) AND revoked_at IS NULL
            """, new { companyId, ids }, tx)).ToHashSet();
        for (var i = 0; i < approvers.Count; i++)
            if (!known.Contains(approvers[i].UserId!.Value)) v.Add($"User {approvers[i].UserId} does not exist", "approvers", i, "userId");
        v.ThrowIfAny();
        await conn.ExecuteAsync("DELETE FROM vendor_approvers WHERE company_id = @companyId AND vendor_id = @vendorId", new { companyId, vendorId }, tx);
        var now = Now;
        for (var i = 0; i < approvers.Count; i++)
            await conn.ExecuteAsync("""
                INSERT INTO vendor_approvers (company_id, id, vendor_id, user_id, priority, created_at)
                VALUES (@companyId, @id, @vendorId, @userId, @priority, @now)
                """, new { companyId, id = Ids.New(), vendorId, userId = approvers[i].UserId, priority = approvers[i].Priority ?? i + 1, now }, tx);
        await tx.CommitWriteAsync();
        return true;
    }

    public async Task<ApprovalRuleModel> GetRuleAsync(Guid companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var row = await conn.QuerySingleOrDefaultAsync<RuleRow>(
            "SELECT amount_threshold, updated_at FROM invoice_approval_rules WHERE company_id = @companyId", new { companyId });
        return new ApprovalRuleModel(companyId, row?.AmountThreshold, row?.UpdatedAt);
    }

    public async Task<ApprovalRuleModel> SetRuleAsync(Guid companyId, ApprovalRuleRequest r)
    {
        if (r.AmountThreshold is < 0) throw ApiException.BadRequest("'amountThreshold' must not be negative", "amountThreshold");
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO invoice_approval_rules (company_id, amount_threshold, updated_at) VALUES (@companyId, @AmountThreshold, @now)
            ON CONFLICT (company_id) DO UPDATE SET amount_threshold = EXCLUDED.amount_threshold, updated_at = EXCLUDED.updated_at
            """, new { companyId, r.AmountThreshold, now = Now });
        return await GetRuleAsync(companyId);
    }

    // ---------------------------------------------------------------- helpers

    sealed class VendorDefaults
    {
        public Guid Id { get; set; }
        public Guid? DefaultAccountId { get; set; }
        public Guid? DefaultTaxCodeId { get; set; }
    }

    sealed class RuleRow
    {
        public long? AmountThreshold { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    static Task<VendorDefaults?> VendorAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid vendorId, bool forUpdate = false) =>
        conn.QuerySingleOrDefaultAsync<VendorDefaults>(
            "SELECT id, default_account_id, default_tax_code_id FROM vendors WHERE company_id = @companyId AND id = @vendorId" + (forUpdate ? " FOR UPDATE" : ""),
            new { companyId, vendorId }, tx);

    static async Task<bool> BankAccountExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM bank_accounts WHERE company_id = @companyId AND id = @id)", new { companyId, id }, tx);

    /// <summary>Another live bill of the same vendor with the same invoice number (serialised per key with an advisory lock).</summary>
    static async Task<Guid?> FindDuplicateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid? vendorId, string? invoiceNumber)
    {
        if (vendorId is null || string.IsNullOrWhiteSpace(invoiceNumber)) return null;
        var number = invoiceNumber.Trim().ToLowerInvariant();
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"bill:{companyId}:{vendorId}:{number}" }, tx);
        return await conn.ExecuteScalarAsync<Guid?>("""
            SELECT id FROM invoice_payables
             WHERE company_id = @companyId AND vendor_id = @vendorId AND lower(trim(invoice_number)) = @number AND id <> @id
               AND state NOT IN ('CANCELLED', 'DUPLICATED')
             ORDER BY created_at LIMIT 1
            """, new { companyId, vendorId, number, id }, tx);
    }

    static Task SetStateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, string state) =>
        conn.ExecuteAsync("UPDATE invoice_payables SET state = @state, updated_at = now(), version = version + 1 WHERE company_id = @companyId AND id = @id",
            new { companyId, id, state }, tx);

    static Task<BillRow?> LoadRowAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool forUpdate) =>
        conn.QuerySingleOrDefaultAsync<BillRow>(
            $"SELECT {BillRow.Columns} FROM {BillRow.From} WHERE b.company_id = @companyId AND b.id = @id" + (forUpdate ? " FOR UPDATE OF b" : ""),
            new { companyId, id }, tx);

    static async Task<List<BillLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        (await conn.QueryAsync<BillLineRow>(
            $"SELECT {BillLineRow.Columns} FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @id ORDER BY position",
            new { companyId, id }, tx)).ToList();

    static async Task<BillLineModel?> LoadLineAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid billId, Guid lineId) =>
        (await conn.QuerySingleOrDefaultAsync<BillLineRow>(
            $"SELECT {BillLineRow.Columns} FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId AND id = @lineId",
            new { companyId, billId, lineId }, tx))?.ToModel();

    static async Task<List<PaymentRow>> ActivePaymentsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid billId) =>
        (await conn.QueryAsync<PaymentRow>(
            $"SELECT {PaymentRow.Columns} FROM invoice_payable_payments WHERE company_id = @companyId AND invoice_payable_id = @billId AND reversed_at IS NULL ORDER BY created_at, id",
            new { companyId, billId }, tx)).ToList();

    async Task<BillModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool includeOutstanding)
    {
        var row = await LoadRowAsync(conn, tx, companyId, id, false);
        if (row is null) return null;
        long? outstanding = null;
        if (BillState.Posted.Contains(row.State))
            outstanding = row.Amount - (await ActivePaymentsAsync(conn, tx, companyId, id)).Sum(p => p.Amount);
        else if (includeOutstanding && row.State != BillState.Cancelled) outstanding = row.Amount;
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [row.CustomPropertiesJson]);
        return row.ToModel(await LoadLinesAsync(conn, tx, companyId, id), outstanding, properties[0]);
    }

    /// <summary>
    /// Replaces the bill's custom properties whatever its state (Light allows it after posting, e.g. a
    /// reconciliation link): groups left out are removed. Touches no ledger line.
    /// </summary>
    public async Task<BillModel?> ReplaceCustomPropertiesAsync(Guid companyId, Guid id, IReadOnlyList<SetCustomPropertyRequest>? properties)
    {
        var v = new Validation();
        await using var conn = await db.OpenConnectionAsync();
        await CustomPropertyRequests.ValidateAsync(conn, null, companyId, "BILL", properties, v, "customProperties");
        v.ThrowIfAny();
        var changed = await conn.ExecuteAsync("""
            UPDATE invoice_payables SET custom_properties = @json::jsonb, updated_at = @now, version = version + 1
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, json = CustomPropertyRequests.ToJson(properties ?? []), now = Now });
        return changed == 0 ? null : await LoadModelAsync(conn, null, companyId, id, includeOutstanding: true);
    }
}
