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
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.Products;
using Npgsql;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>
/// Sales invoices: SQL, and the state changes that reach the ledger (open, reset, archive,
/// payments), each posting through <see cref="PostingEngine"/> in the same transaction as the
/// invoice row it changes, which is locked FOR UPDATE first.
/// </summary>
public sealed class InvoiceStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    public async Task<InvoiceModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<InvoiceModel> CreateAsync(Principal principal, InvoiceRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var id = await CreateInTransactionAsync(conn, tx, principal, r);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, principal.CompanyId, id))!;
    }

    /// <summary>
    /// The creation path inside the caller's transaction (contract billing writes its once-per-period key in the same one).
    /// The caller validates the request (InvoiceRequest.Validate); returns the new DRAFT invoice's id.
    /// </summary>
    public async Task<Guid> CreateInTransactionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, InvoiceRequest r,
        Guid? contractId = null)
    {
        var companyId = principal.CompanyId;
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var currency = r.Currency ?? (await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId",
            new { companyId }, tx))!;
        if (r.CustomerId is { } customerId) await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, customerId, "customerId");
        if (r.PayeeBankAccountId is { } bank) await RequireBankAccountAsync(conn, tx, companyId, bank, "payeeBankAccountId");

        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        var dueDate = r.DueDate ?? (r.NetTerms is { } terms ? (r.InvoiceDate ?? DateOnly.FromDateTime(now)).AddDays(terms) : null);
        await UniqueNumber(() => conn.ExecuteAsync("""
            INSERT INTO invoice_receivables (company_id, id, company_entity_id, customer_id, contract_id, state, invoice_number, description, currency, payment_type,
                                             payee_bank_account_id, invoice_date, posting_date, due_date, net_terms, invoice_template_id,
                                             invoice_template_additional_text, po_number, reference, are_lines_with_tax, local_fx_rate, group_fx_rate,
                                             created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @CustomerId, @contractId, 'DRAFT', @InvoiceNumber, @Description, @currency, @PaymentType, @PayeeBankAccountId,
                    @InvoiceDate, @PostingDate, @dueDate, @NetTerms, @InvoiceTemplateId, @InvoiceTemplateAdditionalText, @PoNumber, @Reference,
                    @linesWithTax, @LocalCurrencyFxRate, @GroupCurrencyFxRate, @userId, @userId, @now, @now)
            """, new
        {
            companyId, id, entityId, r.CustomerId, contractId, InvoiceNumber = r.InvoiceNumber?.Trim(), r.Description, currency, r.PaymentType, r.PayeeBankAccountId,
            r.InvoiceDate, r.PostingDate, dueDate, r.NetTerms, r.InvoiceTemplateId, r.InvoiceTemplateAdditionalText, r.PoNumber, r.Reference,
            linesWithTax = r.AreLinesWithTax ?? true, r.LocalCurrencyFxRate, r.GroupCurrencyFxRate, userId = principal.UserId, now,
        }, tx));
        var lines = r.Lines ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            var computed = await ComputeLineAsync(conn, tx, companyId, currency, r.AreLinesWithTax ?? true, LineInput.From(lines[i]), "lines", i);
            await InsertLineAsync(conn, tx, companyId, id, Ids.New(), lines[i], computed, now);
        }
        await UpdateTotalAsync(conn, tx, companyId, id);
        return id;
    }

    /// <summary>PATCH on a draft: present fields change (null clears), absent ones stay. A new currency or tax mode reprices every line.</summary>
    public async Task<InvoiceModel?> PatchAsync(Principal principal, Guid id, InvoiceRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        InvoiceStates.EnsureEditable(row.State);
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        if (r.CustomerId is { } customerId) await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, customerId, "customerId");
        if (r.PayeeBankAccountId is { } bank) await RequireBankAccountAsync(conn, tx, companyId, bank, "payeeBankAccountId");

        var sets = new List<string> { "updated_at = @now", "updated_by = @userId" };
        var p = new DynamicParameters(new { companyId, id, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("currency", "currency", r.Currency);
        Set("paymentType", "payment_type", r.PaymentType);
        Set("invoiceDate", "invoice_date", r.InvoiceDate);
        Set("postingDate", "posting_date", r.PostingDate);
        Set("customerId", "customer_id", r.CustomerId);
        Set("areLinesWithTax", "are_lines_with_tax", r.AreLinesWithTax);
        Set("netTerms", "net_terms", r.NetTerms);
        Set("invoiceNumber", "invoice_number", r.InvoiceNumber?.Trim());
        Set("payeeBankAccountId", "payee_bank_account_id", r.PayeeBankAccountId);
        Set("invoiceTemplateId", "invoice_template_id", r.InvoiceTemplateId);
        Set("description", "description", r.Description);
        Set("poNumber", "po_number", r.PoNumber);
        Set("reference", "reference", r.Reference);
        Set("invoiceTemplateAdditionalText", "invoice_template_additional_text", r.InvoiceTemplateAdditionalText);
        if (Has("dueDate")) Set("dueDate", "due_date", r.DueDate);
        else if (r.NetTerms is { } terms)
        {
            // netTerms sets the due date from the invoice date (the new one if sent).
            sets.Add("due_date = @derivedDue");
            var from = (Has("invoiceDate") ? r.InvoiceDate : row.InvoiceDate) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            p.Add("derivedDue", from.AddDays(terms));
        }
        await UniqueNumber(() => conn.ExecuteAsync($"UPDATE invoice_receivables SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx));

        if ((r.Currency is { } c && c != row.Currency) || (r.AreLinesWithTax is { } t && t != row.AreLinesWithTax))
            await RepriceLinesAsync(conn, tx, companyId, id);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    public async Task<InvoiceLineModel?> CreateLineAsync(Principal principal, Guid invoiceId, InvoiceLineRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, invoiceId);
        if (row is null) return null;
        InvoiceStates.EnsureEditable(row.State);
        if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoice_receivable_lines WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId",
                new { companyId, invoiceId }, tx) >= InvoiceRequest.MaxLines)
            throw ApiException.Unprocessable($"An invoice has at most {InvoiceRequest.MaxLines} lines");
        var computed = await ComputeLineAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, LineInput.From(r));
        var lineId = Ids.New();
        await InsertLineAsync(conn, tx, companyId, invoiceId, lineId, r, computed, clock.GetUtcNow().UtcDateTime);
        await UpdateTotalAsync(conn, tx, companyId, invoiceId);
        await tx.CommitWriteAsync();
        return (await LoadLinesAsync(conn, null, companyId, invoiceId)).Single(l => l.Id == lineId).ToModel();
    }

    public async Task<InvoiceLineModel?> UpdateLineAsync(Principal principal, Guid invoiceId, Guid lineId, InvoiceLineRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, invoiceId);
        if (row is null) return null;
        var line = (await LoadLinesAsync(conn, tx, companyId, invoiceId)).SingleOrDefault(l => l.Id == lineId);
        if (line is null) return null;
        InvoiceStates.EnsureEditable(row.State);

        var merged = new LineInput(
            r.ProductId ?? line.ProductId, r.Quantity ?? line.Quantity,
            Has("taxCodeId") ? r.TaxCodeId : line.TaxCodeId, Has("accountId") ? r.AccountId : line.AccountId,
            Has("discount") ? r.Discount : line.Discount, Has("priceOverwrite") ? r.PriceOverwrite : line.PriceOverwrite,
            Has("taxAmountOverwrite") ? r.TaxAmountOverwrite : line.TaxAmountOverwrite);
        var computed = await ComputeLineAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, merged);

        var sets = new List<string>
        {
            "product_id = @ProductId", "quantity = @Quantity", "tax_code_id = @TaxCodeId", "account_id = @AccountId", "discount_type = @DiscountType",
            "discount_value = @DiscountValue", "price_overwrite = @PriceOverwrite", "tax_amount_overwrite = @TaxAmountOverwrite",
            "unit_price = @UnitPrice", "discount_amount = @DiscountAmount", "net_amount = @NetAmount", "tax_amount = @TaxAmount",
            "gross_amount = @GrossAmount", "updated_at = @now",
        };
        var p = new DynamicParameters(new
        {
            companyId, lineId, merged.ProductId, merged.Quantity, TaxCodeId = computed.TaxCodeId, merged.AccountId,
            DiscountType = merged.Discount?.Type, DiscountValue = merged.Discount?.Value, merged.PriceOverwrite, merged.TaxAmountOverwrite,
            computed.Amounts.UnitPrice, computed.Amounts.DiscountAmount, computed.Amounts.NetAmount, computed.Amounts.TaxAmount,
            computed.Amounts.GrossAmount, now = clock.GetUtcNow().UtcDateTime,
        });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("productNameOverwrite", "product_name_overwrite", r.ProductNameOverwrite);
        Set("avataxCode", "avatax_code", r.AvataxCode);
        Set("billingStart", "billing_start", r.BillingStart);
        Set("billingEnd", "billing_end", r.BillingEnd);
        Set("accrualTemplateId", "accrual_template_id", r.AccrualTemplateId);
        Set("accrualStartDate", "accrual_start_date", r.AccrualStartDate);
        Set("accrualEndDate", "accrual_end_date", r.AccrualEndDate);
        await conn.ExecuteAsync($"UPDATE invoice_receivable_lines SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @lineId", p, tx);
        await UpdateTotalAsync(conn, tx, companyId, invoiceId);
        await tx.CommitWriteAsync();
        return (await LoadLinesAsync(conn, null, companyId, invoiceId)).Single(l => l.Id == lineId).ToModel();
    }

    public async Task<bool> DeleteLineAsync(Principal principal, Guid invoiceId, Guid lineId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, invoiceId);
        if (row is null) return false;
        var exists = await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM invoice_receivable_lines WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId AND id = @lineId",
            new { companyId, invoiceId, lineId }, tx) > 0;
        if (!exists) return false;
        InvoiceStates.EnsureEditable(row.State);
        await conn.ExecuteAsync("DELETE FROM invoice_receivable_lines WHERE company_id = @companyId AND id = @lineId", new { companyId, lineId }, tx);
        await UpdateTotalAsync(conn, tx, companyId, invoiceId);
        await tx.CommitWriteAsync();
        return true;
    }

    /// <summary>
    /// DRAFT → OPEN: checks the invoice is complete, posts Dr AR (gross, customer as partner) / Cr revenue per line (net) /
    /// Cr output tax, and assigns the entity's next invoice number (kept if the invoice already has one) just before the write.
    /// </summary>
    public async Task<InvoiceModel?> OpenAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        InvoiceStates.EnsureCanOpen(row.State);
        var lines = await LoadLinesAsync(conn, tx, companyId, id);
        var v = new Validation();
        if (row.CustomerId is null) v.Required(null, "customerId");
        if (lines.Count == 0) v.Add("An invoice needs at least one line to be opened", "lines");
        else if (row.Amount == 0) v.Add("An invoice with a total of 0 cannot be opened", "lines");
        v.ThrowIfAny(422, "The invoice is not complete enough to open");
        var customer = await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, row.CustomerId!.Value, "customerId");

        var now = clock.GetUtcNow().UtcDateTime;
        var postingDate = row.PostingDate ?? row.InvoiceDate ?? DateOnly.FromDateTime(now);
        var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
        Guid? revenue = null, outputTax = null;
        var postingLines = new List<PostingLine> { new(receivable, DcSign.Debit, row.Amount, row.Description, Path: ["amount"]) };
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var product = await ProductStore.FindAsync(conn, tx, companyId, line.ProductId);
            var account = line.AccountId ?? product?.DefaultLedgerAccountId ?? (revenue ??= await SystemAccounts.FindAsync(conn, tx, companyId, "REVENUE"));
            var label = line.ProductNameOverwrite ?? product?.Name;
            if (line.NetAmount > 0)
                postingLines.Add(new PostingLine(account, DcSign.Credit, line.NetAmount, label, line.Id, line.TaxCodeId, Path: ["lines", i, "accountId"]));
            if (line.TaxAmount > 0)
            {
                var code = line.TaxCodeId is { } taxId ? await TaxCodeStore.FindAsync(conn, tx, companyId, taxId) : null;
                var taxAccount = code?.OutputAccountId ?? (outputTax ??= await SystemAccounts.FindAsync(conn, tx, companyId, "OUTPUT_TAX"));
                postingLines.Add(new PostingLine(taxAccount, DcSign.Credit, line.TaxAmount, label, line.Id, line.TaxCodeId, code?.Code,
                    Path: ["lines", i, "taxCodeId"]));
            }
        }
        var (localRate, groupRate) = await RatesAsync(conn, tx, companyId, row, postingDate);
        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
            new PostingDocument(id, "AR", row.CompanyEntityId, "PRIMARY", row.InvoiceNumber, row.Description, row.Currency, postingDate,
                row.InvoiceDate ?? postingDate, null, customer.Name, customer.Id, row.AreLinesWithTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));

        // The gap-free number's row lock is held until commit: taken only once everything is checked.
        var number = row.InvoiceNumber ?? await NextInvoiceNumberAsync(conn, tx, companyId, row.CompanyEntityId);
        await UniqueNumber(() => conn.ExecuteAsync("""
            UPDATE invoice_receivables SET state = 'OPEN', invoice_number = @number, posting_date = @postingDate, posted_transaction_id = @transactionId,
                   local_fx_rate = @localRate, group_fx_rate = @groupRate, opened_at = @now, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, number, postingDate, transactionId, localRate, groupRate, now, userId = principal.UserId }, tx));
        await engine.WriteAsync(conn, tx, prepared, number);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>OPEN → DRAFT: the opening posting is reversed; the invoice keeps its number for the next opening.</summary>
    public async Task<InvoiceModel?> ResetAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        InvoiceStates.EnsureCanReset(row.State, row.PaidAmount);
        await ReverseOpeningAsync(conn, tx, principal, row);
        await SetStateAsync(conn, tx, principal, id, InvoiceStates.Draft);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>DRAFT or OPEN (without payments) → ARCHIVED; an open invoice's posting is reversed first.</summary>
    public async Task<InvoiceModel?> ArchiveAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        InvoiceStates.EnsureCanArchive(row.State, row.PaidAmount);
        if (row.State == InvoiceStates.Open) await ReverseOpeningAsync(conn, tx, principal, row);
        await SetStateAsync(conn, tx, principal, id, InvoiceStates.Archived);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>ARCHIVED → DRAFT (Light: "unarchives an invoice receivable and reverts it to draft").</summary>
    public async Task<InvoiceModel?> UnarchiveAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        InvoiceStates.EnsureCanUnarchive(row.State);
        await SetStateAsync(conn, tx, principal, id, InvoiceStates.Draft);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>A bank payment: Dr the bank's ledger account / Cr AR (document type BP) → PARTIALLY_PAID or PAID; overpayment is a 422.</summary>
    public async Task<InvoiceModel?> RecordPaymentAsync(Principal principal, Guid id, PaymentRequest r)
    {
        var v = new Validation();
        v.Required(r.PaymentDate, "paymentDate");
        v.Required(r.AmountInInvoiceCurrency, "amountInInvoiceCurrency");
        if (r.AmountInInvoiceCurrency is <= 0) v.Add("'amountInInvoiceCurrency' must be positive", "amountInInvoiceCurrency");
        else v.Amount(r.AmountInInvoiceCurrency, "amountInInvoiceCurrency");
        v.ThrowIfAny();
        var amount = r.AmountInInvoiceCurrency!.Value;
        var paymentDate = r.PaymentDate!.Value;

        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        InvoiceStates.EnsureCanReceivePayment(row.State);
        var open = row.Amount - row.PaidAmount;
        if (amount > open)
            throw ApiException.Unprocessable($"The payment ({amount}) exceeds the invoice's open amount ({open} {row.Currency})", "amountInInvoiceCurrency");
        var bankLedgerAccount = r.BankAccountId is { } bankId
            ? await RequireBankAccountAsync(conn, tx, companyId, bankId, "bankAccountId")
            : await SystemAccounts.FindAsync(conn, tx, companyId, "BANK");
        var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
        var customer = await CustomerStore.FindAsync(conn, tx, companyId, row.CustomerId!.Value);

        var paymentId = Ids.New();
        var transactionId = Ids.New();
        var description = $"Payment of invoice {row.InvoiceNumber}";
        var (localRate, groupRate) = await RatesAsync(conn, tx, companyId, row, paymentDate);
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
            new PostingDocument(paymentId, "BP", row.CompanyEntityId, "PRIMARY", null, description, row.Currency, paymentDate, paymentDate, null,
                customer?.Name, row.CustomerId),
            [
                new PostingLine(bankLedgerAccount, DcSign.Debit, amount, description, Path: ["bankAccountId"]),
                new PostingLine(receivable, DcSign.Credit, amount, description, Path: ["amountInInvoiceCurrency"]),
            ], localRate, groupRate, TransactionId: transactionId));
        var number = await DocumentNumbers.NextAsync(conn, tx, companyId, row.CompanyEntityId, "BP", paymentDate.Year);
        var now = clock.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync("""
            INSERT INTO invoice_receivable_payments (company_id, id, invoice_receivable_id, amount, currency, payment_date, bank_account_id,
                                                     ledger_transaction_id, created_by, created_at)
            VALUES (@companyId, @paymentId, @id, @amount, @Currency, @paymentDate, @BankAccountId, @transactionId, @userId, @now);
            UPDATE invoice_receivables SET paid_amount = paid_amount + @amount, state = @state, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            companyId, paymentId, id, amount, row.Currency, paymentDate, r.BankAccountId, transactionId, userId = principal.UserId, now,
            state = InvoiceStates.AfterPayment(row.PaidAmount + amount, row.Amount),
        }, tx);
        await engine.WriteAsync(conn, tx, prepared, number);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<IReadOnlyList<InvoicePaymentModel>?> ListPaymentsAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoice_receivables WHERE company_id = @companyId AND id = @id", new { companyId, id }) == 0)
            return null;
        return (await conn.QueryAsync<PaymentRow>("""
            SELECT id, invoice_receivable_id, amount, currency, payment_date, created_at FROM invoice_receivable_payments
             WHERE company_id = @companyId AND invoice_receivable_id = @id ORDER BY created_at, id
            """, new { companyId, id })).Select(p => new InvoicePaymentModel(p.Id, p.InvoiceReceivableId, p.Amount, p.PaymentDate, p.Currency, p.CreatedAt))
            .ToList();
    }

    /// <summary>
    /// A customer credit applied to (delta &gt; 0) or taken off (delta &lt; 0) an OPEN / PARTIALLY_PAID / PAID invoice: it counts
    /// toward the paid amount like a payment, and the state follows (OPEN when nothing is paid any more). The caller holds the lock.
    /// </summary>
    public static Task<InvoiceRow?> LockForClearingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        LockAsync(conn, tx, companyId, id);

    public static Task ApplyClearingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, long delta, Guid? userId, DateTime now) =>
        conn.ExecuteAsync("""
            UPDATE invoice_receivables
               SET paid_amount = paid_amount + @delta, updated_at = @now, updated_by = @userId,
                   state = CASE WHEN paid_amount + @delta = 0 THEN 'OPEN' WHEN paid_amount + @delta >= amount THEN 'PAID' ELSE 'PARTIALLY_PAID' END
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, delta, userId, now }, tx);

    async Task ReverseOpeningAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, InvoiceRow row)
    {
        if (row.PostedTransactionId is not { } posted) return;
        await engine.ReverseAsync(conn, tx, principal.CompanyId, posted, null, principal.UserId);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, principal.CompanyId, row.Id, "REVERSED");
    }

    Task SetStateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, Guid id, string state) =>
        conn.ExecuteAsync("""
            UPDATE invoice_receivables
               SET state = @state, updated_at = @now, updated_by = @userId,
                   posted_transaction_id = CASE WHEN @state = 'DRAFT' OR @state = 'ARCHIVED' THEN NULL ELSE posted_transaction_id END,
                   opened_at = CASE WHEN @state = 'DRAFT' OR @state = 'ARCHIVED' THEN NULL ELSE opened_at END
             WHERE company_id = @companyId AND id = @id
            """, new { companyId = principal.CompanyId, id, state, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId }, tx);

    /// <summary>The entity's next invoice number: seed_invoice_number first, then +1 without gaps (row lock held to commit).</summary>
    static async Task<string> NextInvoiceNumberAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId) =>
        (await conn.ExecuteScalarAsync<long>("""
            INSERT INTO invoice_number_sequences AS s (company_id, company_entity_id, next_value)
            SELECT company_id, id, seed_invoice_number + 1 FROM company_entities WHERE company_id = @companyId AND id = @entityId
            ON CONFLICT (company_id, company_entity_id) DO UPDATE SET next_value = s.next_value + 1
            RETURNING next_value - 1
            """, new { companyId, entityId }, tx)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    static async Task<(decimal Local, decimal Group)> RatesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, InvoiceRow row, DateOnly date)
    {
        var (local, group) = await conn.QuerySingleAsync<(string, string)>("""
            SELECT trim(e.local_currency), trim(c.base_currency) FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = @companyId AND e.id = @entityId
            """, new { companyId, entityId = row.CompanyEntityId }, tx);
        return (row.LocalFxRate ?? await RateAsync(conn, tx, row.Currency, local, date, "localCurrencyFxRate"),
            row.GroupFxRate ?? await RateAsync(conn, tx, row.Currency, group, date, "groupCurrencyFxRate"));
    }

    /// <summary>Inputs that decide a line's amounts (the rest of a line is descriptive).</summary>
    sealed record LineInput(Guid ProductId, decimal Quantity, Guid? TaxCodeId, Guid? AccountId, LineDiscount? Discount, long? PriceOverwrite,
        long? TaxAmountOverwrite)
    {
        public static LineInput From(InvoiceLineRequest r) =>
            new(r.ProductId!.Value, r.Quantity ?? 1m, r.TaxCodeId, r.AccountId, r.Discount, r.PriceOverwrite, r.TaxAmountOverwrite);
    }

    sealed record ComputedLine(PricedLine Amounts, Guid? TaxCodeId);

    /// <summary>Prices a line: product (ACTIVE, priced in the currency unless priceOverwrite), tax code (the line's or the product's default).</summary>
    static async Task<ComputedLine> ComputeLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string currency, bool linesWithTax,
        LineInput input, params object[] at)
    {
        var product = await ProductStore.FindAsync(conn, tx, companyId, input.ProductId)
                      ?? throw ApiException.BadRequest($"Product {input.ProductId} does not exist", [.. at, "productId"]);
        if (product.State != "ACTIVE")
            throw ApiException.Unprocessable($"Product {product.Id} is {product.State} and cannot be invoiced", [.. at, "productId"]);
        var unitPrice = input.PriceOverwrite ?? product.PriceIn(currency)
                        ?? throw ApiException.Unprocessable($"Product {product.Id} has no price in {currency}; give priceOverwrite", [.. at, "productId"]);
        var taxCodeId = input.TaxCodeId ?? product.DefaultTaxId;
        var rate = 0m;
        if (taxCodeId is { } taxId)
        {
            var code = await TaxCodeStore.FindAsync(conn, tx, companyId, taxId)
                       ?? throw ApiException.BadRequest($"Tax code {taxId} does not exist", [.. at, "taxCodeId"]);
            if (code.Status != "ACTIVE") throw ApiException.Unprocessable($"Tax code {code.Code} is {code.Status}", [.. at, "taxCodeId"]);
            rate = code.RatePercent;
        }
        if (input.AccountId is { } accountId && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @accountId", new { companyId, accountId }, tx) == 0)
            throw ApiException.BadRequest($"Ledger account {accountId} does not exist", [.. at, "accountId"]);
        var amounts = LineMath.Price(unitPrice, input.Quantity, input.Discount, rate, input.TaxAmountOverwrite, linesWithTax, at);
        return new ComputedLine(amounts, taxCodeId);
    }

    async Task RepriceLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid invoiceId)
    {
        var row = (await LockAsync(conn, tx, companyId, invoiceId))!;
        var lines = await LoadLinesAsync(conn, tx, companyId, invoiceId);
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var computed = await ComputeLineAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax,
                new LineInput(l.ProductId, l.Quantity, l.TaxCodeId, l.AccountId, l.Discount, l.PriceOverwrite, l.TaxAmountOverwrite), "lines", i);
            await conn.ExecuteAsync("""
                UPDATE invoice_receivable_lines SET unit_price = @UnitPrice, discount_amount = @DiscountAmount, net_amount = @NetAmount,
                       tax_amount = @TaxAmount, gross_amount = @GrossAmount, updated_at = @now
                 WHERE company_id = @companyId AND id = @id
                """, new
            {
                companyId, l.Id, computed.Amounts.UnitPrice, computed.Amounts.DiscountAmount, computed.Amounts.NetAmount, computed.Amounts.TaxAmount,
                computed.Amounts.GrossAmount, now = clock.GetUtcNow().UtcDateTime,
            }, tx);
        }
        await UpdateTotalAsync(conn, tx, companyId, invoiceId);
    }

    static Task InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid invoiceId, Guid lineId, InvoiceLineRequest r,
        ComputedLine computed, DateTime now) =>
        conn.ExecuteAsync("""
            INSERT INTO invoice_receivable_lines (company_id, id, invoice_receivable_id, product_id, quantity, tax_code_id, account_id, discount_type,
                                                  discount_value, unit_price, discount_amount, net_amount, tax_amount, gross_amount, price_overwrite,
                                                  product_name_overwrite, tax_amount_overwrite, avatax_code, billing_start, billing_end,
                                                  accrual_template_id, accrual_start_date, accrual_end_date, created_at, updated_at)
            VALUES (@companyId, @lineId, @invoiceId, @ProductId, @quantity, @taxCodeId, @AccountId, @discountType, @discountValue, @UnitPrice,
                    @DiscountAmount, @NetAmount, @TaxAmount, @GrossAmount, @PriceOverwrite, @ProductNameOverwrite, @TaxAmountOverwrite, @AvataxCode,
                    @BillingStart, @BillingEnd, @AccrualTemplateId, @AccrualStartDate, @AccrualEndDate, @now, @now)
            """, new
        {
            companyId, lineId, invoiceId, r.ProductId, quantity = r.Quantity ?? 1m, taxCodeId = computed.TaxCodeId, r.AccountId,
            discountType = r.Discount?.Type, discountValue = r.Discount?.Value, computed.Amounts.UnitPrice, computed.Amounts.DiscountAmount,
            computed.Amounts.NetAmount, computed.Amounts.TaxAmount, computed.Amounts.GrossAmount, r.PriceOverwrite, r.ProductNameOverwrite,
            r.TaxAmountOverwrite, r.AvataxCode, r.BillingStart, r.BillingEnd, r.AccrualTemplateId, r.AccrualStartDate, r.AccrualEndDate, now,
        }, tx);

    static async Task UpdateTotalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid invoiceId)
    {
        try
        {
            await conn.ExecuteAsync("""
                UPDATE invoice_receivables
                   SET amount = (SELECT COALESCE(sum(gross_amount), 0) FROM invoice_receivable_lines
                                  WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId)
                 WHERE company_id = @companyId AND id = @invoiceId
                """, new { companyId, invoiceId }, tx);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw ApiException.Unprocessable("The invoice total is too large", "lines");
        }
    }

    static async Task UniqueNumber(Func<Task<int>> write)
    {
        try
        {
            await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "invoice_receivables_number")
        {
            throw ApiException.Conflict("Another invoice of this entity already has this invoice number");
        }
    }

    /// <summary>A bank account of the company; returns its ledger account (400 when unknown).</summary>
    static async Task<Guid> RequireBankAccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid bankAccountId, string field) =>
        await conn.ExecuteScalarAsync<Guid?>("SELECT ledger_account_id FROM bank_accounts WHERE company_id = @companyId AND id = @bankAccountId",
            new { companyId, bankAccountId }, tx)
        ?? throw ApiException.BadRequest($"Bank account {bankAccountId} does not exist", field);

    static Task<InvoiceRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<InvoiceRow>(
            $"SELECT {InvoiceRow.Columns} FROM invoice_receivables i WHERE company_id = @companyId AND id = @id FOR UPDATE OF i", new { companyId, id }, tx);

    static async Task<List<InvoiceLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid invoiceId) =>
        (await conn.QueryAsync<InvoiceLineRow>(
            $"SELECT {InvoiceLineRow.Columns} FROM invoice_receivable_lines WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId ORDER BY id",
            new { companyId, invoiceId }, tx)).ToList();

    static async Task<InvoiceModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<InvoiceRow>(
            $"SELECT {InvoiceRow.Columns} FROM invoice_receivables i WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);
        return row?.ToModel((await LoadLinesAsync(conn, tx, companyId, id)).Select(l => l.ToModel()).ToList());
    }

    sealed class PaymentRow
    {
        public Guid Id { get; set; }
        public Guid InvoiceReceivableId { get; set; }
        public long Amount { get; set; }
        public string Currency { get; set; } = "";
        public DateOnly PaymentDate { get; set; }
        public DateTime CreatedAt { get; set; }
    }
}

public sealed class InvoiceRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid CompanyEntityId { get; set; }
    public Guid? CustomerId { get; set; }
    public string? CustomerName { get; set; }
    public Guid? ContractId { get; set; }
    public string State { get; set; } = "";
    public string? InvoiceNumber { get; set; }
    public string? Description { get; set; }
    public string Currency { get; set; } = "";
    public string? PaymentType { get; set; }
    public Guid? PayeeBankAccountId { get; set; }
    public DateOnly? InvoiceDate { get; set; }
    public DateOnly? PostingDate { get; set; }
    public DateOnly EffectivePostingDate { get; set; }
    public DateOnly EffectiveInvoiceDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public int? NetTerms { get; set; }
    public Guid? InvoiceTemplateId { get; set; }
    public string? InvoiceTemplateAdditionalText { get; set; }
    public string? PoNumber { get; set; }
    public string? Reference { get; set; }
    public bool AreLinesWithTax { get; set; }
    public decimal? LocalFxRate { get; set; }
    public decimal? GroupFxRate { get; set; }
    public long Amount { get; set; }
    public long PaidAmount { get; set; }
    public Guid? PostedTransactionId { get; set; }
    public DateTime? OpenedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The posting date shown before opening falls back to the invoice date, then to the creation day (UTC).</summary>
    public const string EffectivePostingSql = "COALESCE(i.posting_date, i.invoice_date, (i.created_at AT TIME ZONE 'UTC')::date)";
    public const string EffectiveInvoiceSql = "COALESCE(i.invoice_date, i.posting_date, (i.created_at AT TIME ZONE 'UTC')::date)";
    public const string CustomerNameSql = "(SELECT c.name FROM customers c WHERE c.company_id = i.company_id AND c.id = i.customer_id)";

    public const string Columns =
        "i.company_id, i.id, i.company_entity_id, i.customer_id, i.contract_id, i.state, i.invoice_number, i.description, i.currency, i.payment_type, " +
        "i.payee_bank_account_id, i.invoice_date, i.posting_date, i.due_date, i.net_terms, i.invoice_template_id, i.invoice_template_additional_text, " +
        "i.po_number, i.reference, i.are_lines_with_tax, i.local_fx_rate, i.group_fx_rate, i.amount, i.paid_amount, i.posted_transaction_id, " +
        "i.opened_at, i.updated_by, i.created_at, i.updated_at, " +
        EffectivePostingSql + " AS effective_posting_date, " + EffectiveInvoiceSql + " AS effective_invoice_date, " + CustomerNameSql + " AS customer_name";

    public InvoiceModel ToModel(IReadOnlyList<InvoiceLineModel>? lines) => new(
        Id, CompanyId, ContractId, CompanyEntityId, Amount, PaymentType, PayeeBankAccountId, InvoiceDate, EffectiveInvoiceDate, EffectivePostingDate,
        DueDate, NetTerms, CustomerId, InvoiceTemplateId, InvoiceTemplateAdditionalText, InvoiceNumber, State, OpenedAt, PoNumber, Reference,
        Description, Currency, "LIGHT", AreLinesWithTax, LocalFxRate, GroupFxRate, lines, [], CreatedAt, UpdatedAt, UpdatedBy);
}

public sealed class InvoiceLineRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid InvoiceReceivableId { get; set; }
    public Guid ProductId { get; set; }
    public decimal Quantity { get; set; }
    public Guid? TaxCodeId { get; set; }
    public Guid? AccountId { get; set; }
    public string? DiscountType { get; set; }
    public decimal? DiscountValue { get; set; }
    public long UnitPrice { get; set; }
    public long DiscountAmount { get; set; }
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public long GrossAmount { get; set; }
    public long? PriceOverwrite { get; set; }
    public string? ProductNameOverwrite { get; set; }
    public long? TaxAmountOverwrite { get; set; }
    public string? AvataxCode { get; set; }
    public DateOnly? BillingStart { get; set; }
    public DateOnly? BillingEnd { get; set; }
    public Guid? AccrualTemplateId { get; set; }
    public DateOnly? AccrualStartDate { get; set; }
    public DateOnly? AccrualEndDate { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns =
        "company_id, id, invoice_receivable_id, product_id, quantity, tax_code_id, account_id, discount_type, discount_value, unit_price, " +
        "discount_amount, net_amount, tax_amount, gross_amount, price_overwrite, product_name_overwrite, tax_amount_overwrite, avatax_code, " +
        "billing_start, billing_end, accrual_template_id, accrual_start_date, accrual_end_date, created_at, updated_at";

    public LineDiscount? Discount => DiscountType is null ? null : new LineDiscount(DiscountType, DiscountValue);

    public InvoiceLineModel ToModel() => new(
        Id, CompanyId, InvoiceReceivableId, ProductId, Quantity, TaxCodeId, AccountId, Discount, DiscountAmount, NetAmount, TaxAmount, AvataxCode,
        BillingStart, BillingEnd, PriceOverwrite, ProductNameOverwrite, CreatedAt, UpdatedAt, AccrualTemplateId, AccrualStartDate, AccrualEndDate, []);
}
