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
using Ledgerlight.Receivables.Invoices;
using Ledgerlight.Receivables.Products;
using Npgsql;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>
/// Customer credits: SQL and the state changes that reach the ledger. Posting (document type CN):
/// Dr revenue per line (net), Dr output tax, Cr AR (gross, customer as partner). Applying a posted
/// credit to an open invoice posts a CN clearing (Dr AR / Cr AR, customer as partner) and counts
/// toward the invoice's paid amount; unlinking reverses that clearing. Rows are locked FOR UPDATE
/// (credit first, then invoice) before any change.
/// </summary>
public sealed class CustomerCreditStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    public async Task<CustomerCreditModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<CustomerCreditModel> CreateAsync(Principal principal, CustomerCreditRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var currency = r.Currency ?? (await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId",
            new { companyId }, tx))!;
        if (r.CustomerId is { } customerId) await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, customerId, "customerId");
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        var linesWithTax = r.AreLinesWithTax ?? true;
        await conn.ExecuteAsync("""
            INSERT INTO customer_credits (company_id, id, company_entity_id, customer_id, status, document_number, description, currency, document_date,
                                          document_template_id, are_lines_with_tax, local_fx_rate, group_fx_rate, amount, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @CustomerId, 'DRAFT', @documentNumber, @Description, @currency, @DocumentDate, @DocumentTemplateId,
                    @linesWithTax, @LocalCurrencyFxRate, @GroupCurrencyFxRate, @declared, @userId, @userId, @now, @now)
            """, new
        {
            companyId, id, entityId, r.CustomerId, declared = r.Amount ?? 0, documentNumber = r.DocumentNumber?.Trim(), r.Description, currency, r.DocumentDate,
            r.DocumentTemplateId, linesWithTax, r.LocalCurrencyFxRate, r.GroupCurrencyFxRate, userId = principal.UserId, now,
        }, tx);
        var lines = r.Lines ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            var input = LineInput.From(lines[i], linesWithTax, "lines", i);
            var computed = await ComputeLineAsync(conn, tx, companyId, currency, linesWithTax, input, "lines", i);
            await InsertLineAsync(conn, tx, companyId, id, Ids.New(), lines[i], input, computed, now);
        }
        // As bills: the header amount stands until the credit has lines; from then on the total is their sum.
        var total = await UpdateTotalAsync(conn, tx, companyId, id);
        if (lines.Count > 0) CheckDeclaredAmount(r.Amount, total);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, companyId, id))!;
    }

    /// <summary>PATCH on a draft: present fields change (null clears), absent ones stay. A new currency or tax mode reprices every line.</summary>
    public async Task<CustomerCreditModel?> PatchAsync(Principal principal, Guid id, CustomerCreditRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        CustomerCreditStates.EnsureEditable(row.Status);
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        if (r.CustomerId is { } customerId) await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, customerId, "customerId");

        var sets = new List<string> { "updated_at = @now", "updated_by = @userId" };
        var p = new DynamicParameters(new { companyId, id, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("customerId", "customer_id", r.CustomerId);
        Set("documentDate", "document_date", r.DocumentDate);
        Set("areLinesWithTax", "are_lines_with_tax", r.AreLinesWithTax);
        Set("description", "description", r.Description);
        Set("currency", "currency", r.Currency);
        Set("documentNumber", "document_number", r.DocumentNumber?.Trim());
        Set("documentTemplateId", "document_template_id", r.DocumentTemplateId);
        await conn.ExecuteAsync($"UPDATE customer_credits SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx);

        var total = row.Amount;
        if ((r.Currency is { } c && c != row.Currency) || (r.AreLinesWithTax is { } t && t != row.AreLinesWithTax))
            total = await RepriceLinesAsync(conn, tx, companyId, id);
        var hasLines = await conn.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM customer_credit_lines WHERE company_id = @companyId AND customer_credit_id = @id)", new { companyId, id }, tx);
        if (hasLines) CheckDeclaredAmount(r.Amount, total);
        else if (Has("amount"))
            await conn.ExecuteAsync("UPDATE customer_credits SET amount = @amount WHERE company_id = @companyId AND id = @id",
                new { companyId, id, amount = r.Amount ?? 0 }, tx);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    public async Task<CustomerCreditLineModel?> CreateLineAsync(Principal principal, Guid creditId, CustomerCreditLineRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, creditId);
        if (row is null) return null;
        CustomerCreditStates.EnsureEditable(row.Status);
        if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM customer_credit_lines WHERE company_id = @companyId AND customer_credit_id = @creditId",
                new { companyId, creditId }, tx) >= CustomerCreditRequest.MaxLines)
            throw ApiException.Unprocessable($"A customer credit has at most {CustomerCreditRequest.MaxLines} lines");
        var input = LineInput.From(r, row.AreLinesWithTax);
        var computed = await ComputeLineAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, input);
        var lineId = Ids.New();
        await InsertLineAsync(conn, tx, companyId, creditId, lineId, r, input, computed, clock.GetUtcNow().UtcDateTime);
        await UpdateTotalAsync(conn, tx, companyId, creditId);
        await tx.CommitWriteAsync();
        return (await LoadLinesAsync(conn, null, companyId, creditId)).Single(l => l.Id == lineId).ToModel();
    }

    public async Task<CustomerCreditLineModel?> UpdateLineAsync(Principal principal, Guid creditId, Guid lineId, CustomerCreditLineRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, creditId);
        if (row is null) return null;
        var line = (await LoadLinesAsync(conn, tx, companyId, creditId)).SingleOrDefault(l => l.Id == lineId);
        if (line is null) return null;
        CustomerCreditStates.EnsureEditable(row.Status);

        var amountField = row.AreLinesWithTax ? "grossTransactionAmount" : "netTransactionAmount";
        var given = LineInput.From(r, row.AreLinesWithTax);
        var merged = new LineInput(
            r.ProductId ?? line.ProductId, r.Quantity ?? line.Quantity,
            Has("ledgerTaxId") ? r.LedgerTaxId : line.TaxCodeId, Has("ledgerAccountId") ? r.LedgerAccountId : line.AccountId,
            Has(amountField) ? given.AmountOverwrite : line.AmountOverwrite,
            Has("taxTransactionAmount") ? given.TaxAmountOverwrite : line.TaxAmountOverwrite);
        var computed = await ComputeLineAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, merged);

        var sets = new List<string>
        {
            "product_id = @ProductId", "quantity = @Quantity", "tax_code_id = @TaxCodeId", "account_id = @AccountId",
            "amount_overwrite = @AmountOverwrite", "tax_amount_overwrite = @TaxAmountOverwrite", "unit_price = @UnitPrice",
            "net_amount = @NetAmount", "tax_amount = @TaxAmount", "gross_amount = @GrossAmount", "updated_at = @now",
        };
        var p = new DynamicParameters(new
        {
            companyId, lineId, merged.ProductId, merged.Quantity, computed.TaxCodeId, merged.AccountId, merged.AmountOverwrite, merged.TaxAmountOverwrite,
            computed.Amounts.UnitPrice, computed.Amounts.NetAmount, computed.Amounts.TaxAmount, computed.Amounts.GrossAmount,
            now = clock.GetUtcNow().UtcDateTime,
        });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("description", "description", r.Description);
        Set("avataxCode", "avatax_code", r.AvataxCode);
        Set("accrualTemplateId", "accrual_template_id", r.AccrualTemplateId);
        Set("accrualStartDate", "accrual_start_date", r.AccrualStartDate);
        Set("accrualEndDate", "accrual_end_date", r.AccrualEndDate);
        await conn.ExecuteAsync($"UPDATE customer_credit_lines SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @lineId", p, tx);
        await UpdateTotalAsync(conn, tx, companyId, creditId);
        await tx.CommitWriteAsync();
        return (await LoadLinesAsync(conn, null, companyId, creditId)).Single(l => l.Id == lineId).ToModel();
    }

    public async Task<bool> DeleteLineAsync(Principal principal, Guid creditId, Guid lineId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, creditId);
        if (row is null) return false;
        var exists = await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM customer_credit_lines WHERE company_id = @companyId AND customer_credit_id = @creditId AND id = @lineId",
            new { companyId, creditId, lineId }, tx) > 0;
        if (!exists) return false;
        CustomerCreditStates.EnsureEditable(row.Status);
        await conn.ExecuteAsync("DELETE FROM customer_credit_lines WHERE company_id = @companyId AND id = @lineId", new { companyId, lineId }, tx);
        await UpdateTotalAsync(conn, tx, companyId, creditId);
        await tx.CommitWriteAsync();
        return true;
    }

    /// <summary>DRAFT → POSTED: Dr revenue per line (net) and output tax, Cr AR gross with the customer as partner; numbered CN-year-n late.</summary>
    public async Task<CustomerCreditModel?> PostAsync(Principal principal, Guid id, EmailInfo? email = null)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        CustomerCreditStates.EnsureCanPost(row.Status);
        var lines = await LoadLinesAsync(conn, tx, companyId, id);
        var v = new Validation();
        if (row.CustomerId is null) v.Required(null, "customerId");
        if (lines.Count == 0) v.Add("A customer credit needs at least one line to be posted", "lines");
        else if (row.Amount == 0) v.Add("A customer credit with a total of 0 cannot be posted", "lines");
        v.ThrowIfAny(422, "The customer credit is not complete enough to post");
        var customer = await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, row.CustomerId!.Value, "customerId");

        var now = clock.GetUtcNow().UtcDateTime;
        var postingDate = row.DocumentDate ?? DateOnly.FromDateTime(now);
        var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
        Guid? revenue = null, outputTax = null;
        var postingLines = new List<PostingLine> { new(receivable, DcSign.Credit, row.Amount, row.Description, Path: ["amount"]) };
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var product = await ProductStore.FindAsync(conn, tx, companyId, line.ProductId);
            var account = line.AccountId ?? product?.DefaultLedgerAccountId ?? (revenue ??= await SystemAccounts.FindAsync(conn, tx, companyId, "REVENUE"));
            var label = line.Description ?? product?.Name;
            if (line.NetAmount > 0)
                postingLines.Add(new PostingLine(account, DcSign.Debit, line.NetAmount, label, line.Id, line.TaxCodeId, Path: ["lines", i, "ledgerAccountId"]));
            if (line.TaxAmount > 0)
            {
                var code = line.TaxCodeId is { } taxId ? await TaxCodeStore.FindAsync(conn, tx, companyId, taxId) : null;
                var taxAccount = code?.OutputAccountId ?? (outputTax ??= await SystemAccounts.FindAsync(conn, tx, companyId, "OUTPUT_TAX"));
                postingLines.Add(new PostingLine(taxAccount, DcSign.Debit, line.TaxAmount, label, line.Id, line.TaxCodeId, code?.Code,
                    Path: ["lines", i, "ledgerTaxId"]));
            }
        }
        var (localRate, groupRate) = await RatesAsync(conn, tx, companyId, row, postingDate);
        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
            new PostingDocument(id, "CN", row.CompanyEntityId, "PRIMARY", row.DocumentNumber, row.Description, row.Currency, postingDate,
                row.DocumentDate ?? postingDate, null, customer.Name, customer.Id, row.AreLinesWithTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));
        var number = row.DocumentNumber ?? await DocumentNumbers.NextAsync(conn, tx, companyId, row.CompanyEntityId, "CN", postingDate.Year);
        await conn.ExecuteAsync("""
            UPDATE customer_credits SET status = 'POSTED', document_number = @number, posting_date = @postingDate, posted_transaction_id = @transactionId,
                   local_fx_rate = @localRate, group_fx_rate = @groupRate, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, number, postingDate, transactionId, localRate, groupRate, now, userId = principal.UserId }, tx);
        await engine.WriteAsync(conn, tx, prepared, number);
        // post-and-send-email: the e-mail is queued with the posting (same transaction); CustomerCreditEmailJobHandler sends it.
        if (email is not null)
            await Storage.Jobs.JobQueue.EnqueueAsync(conn, tx, companyId, EmailJobKind, new { customerCreditId = id, documentNumber = number, email });
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>Job kind of a queued customer-credit e-mail (sent by CustomerCreditEmailJobHandler).</summary>
    public const string EmailJobKind = "customer-credit-email";

    /// <summary>DRAFT, or POSTED without applications (posting reversed) → ARCHIVED.</summary>
    public async Task<CustomerCreditModel?> ArchiveAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        CustomerCreditStates.EnsureCanArchive(row.Status);
        if (row.PostedTransactionId is { } posted)
        {
            await engine.ReverseAsync(conn, tx, companyId, posted, null, principal.UserId);
            await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, id, "REVERSED");
        }
        await SetStatusAsync(conn, tx, principal, id, CustomerCreditStates.Archived, clearPosting: true);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>ARCHIVED → DRAFT (Light: "unarchives the given customer credit and reverts it to draft").</summary>
    public async Task<CustomerCreditModel?> UnarchiveAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        CustomerCreditStates.EnsureCanUnarchive(row.Status);
        await SetStatusAsync(conn, tx, principal, id, CustomerCreditStates.Draft, clearPosting: true);
        await tx.CommitWriteAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    /// <summary>Records the e-invoice request on a posted credit; nothing is transmitted (no e-invoicing network is connected).</summary>
    public async Task<string?> SubmitEInvoiceAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        CustomerCreditStates.EnsurePosted(row.Status, "submitted as an e-invoice");
        await conn.ExecuteAsync("""
            UPDATE customer_credits SET einvoice_status = @status, updated_at = @now, updated_by = @userId WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, status = CustomerCreditStates.EInvoiceNotConnected, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId }, tx);
        await tx.CommitWriteAsync();
        return CustomerCreditStates.EInvoiceNotConnected;
    }

    /// <summary>
    /// Applies a posted credit to an OPEN / PARTIALLY_PAID invoice of the same customer and currency: a CN clearing
    /// (Dr AR on the credit's side, Cr AR on the invoice's side), the invoice's paid amount grows, both states follow.
    /// </summary>
    public async Task<CustomerCreditInvoiceModel?> LinkAsync(Principal principal, Guid creditId, Guid invoiceId, long? requested)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var credit = await LockAsync(conn, tx, companyId, creditId);
        if (credit is null) return null;
        var invoice = await InvoiceStore.LockForClearingAsync(conn, tx, companyId, invoiceId)
                      ?? throw ApiException.NotFound("Invoice receivable");
        CustomerCreditStates.EnsurePosted(credit.Status, "linked to an invoice");
        InvoiceStates.EnsureCanReceivePayment(invoice.State);
        if (invoice.CustomerId != credit.CustomerId)
            throw ApiException.Unprocessable("The invoice belongs to another customer than the customer credit", "invoiceReceivableId");
        if (invoice.Currency != credit.Currency)
            throw ApiException.Unprocessable($"The invoice is in {invoice.Currency}, the customer credit in {credit.Currency}", "invoiceReceivableId");
        if (await conn.ExecuteScalarAsync<int>("""
                SELECT count(*) FROM customer_credit_applications
                 WHERE company_id = @companyId AND customer_credit_id = @creditId AND invoice_receivable_id = @invoiceId
                """, new { companyId, creditId, invoiceId }, tx) > 0)
            throw ApiException.Conflict("The customer credit is already linked to this invoice; unlink it first to change the amount");
        var amount = CustomerCreditStates.AmountToApply(requested, credit.Amount - credit.AppliedAmount, invoice.Amount - invoice.PaidAmount, credit.Currency);

        var now = clock.GetUtcNow().UtcDateTime;
        var date = DateOnly.FromDateTime(now);
        var postingDate = credit.PostingDate is { } pd && pd > date ? pd : date;
        if (invoice.EffectivePostingDate > postingDate) postingDate = invoice.EffectivePostingDate;
        var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
        var customer = await CustomerStore.FindAsync(conn, tx, companyId, credit.CustomerId!.Value);
        var description = $"Customer credit {credit.DocumentNumber} applied to invoice {invoice.InvoiceNumber}";
        var (localRate, groupRate) = await RatesAsync(conn, tx, companyId, credit, postingDate);
        var transactionId = Ids.New();
        var clearingId = Ids.New();
        await engine.PostAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
            new PostingDocument(clearingId, "CN", credit.CompanyEntityId, "PRIMARY", credit.DocumentNumber, description, credit.Currency, postingDate,
                credit.DocumentDate ?? postingDate, null, customer?.Name, credit.CustomerId),
            [
                new PostingLine(receivable, DcSign.Debit, amount, description, Path: ["amount"]),
                new PostingLine(receivable, DcSign.Credit, amount, description, Path: ["amount"]),
            ], localRate, groupRate, TransactionId: transactionId));
        await conn.ExecuteAsync("""
            INSERT INTO customer_credit_applications (company_id, customer_credit_id, invoice_receivable_id, amount, clearing_document_id, ledger_transaction_id,
                                                      linked_by, linked_at)
            VALUES (@companyId, @creditId, @invoiceId, @amount, @clearingId, @transactionId, @userId, @now);
            UPDATE customer_credits SET applied_amount = applied_amount + @amount, status = @status, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @creditId
            """, new
        {
            companyId, creditId, invoiceId, amount, clearingId, transactionId, userId = principal.UserId, now,
            status = CustomerCreditStates.AfterApplication(credit.AppliedAmount + amount, credit.Amount),
        }, tx);
        await InvoiceStore.ApplyClearingAsync(conn, tx, companyId, invoiceId, amount, principal.UserId, now);
        var link = (await LoadLinksAsync(conn, tx, companyId, creditId)).Single(l => l.InvoiceReceivable.Id == invoiceId);
        await tx.CommitWriteAsync();
        return link;
    }

    /// <summary>Takes a credit off an invoice: the clearing is reversed, the invoice's paid amount and both states go back.</summary>
    public async Task<bool> UnlinkAsync(Principal principal, Guid creditId, Guid invoiceId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var credit = await LockAsync(conn, tx, companyId, creditId);
        if (credit is null) return false;
        if (await InvoiceStore.LockForClearingAsync(conn, tx, companyId, invoiceId) is null) return false;
        var application = await conn.QuerySingleOrDefaultAsync<(long Amount, Guid TransactionId, Guid ClearingId)>("""
            SELECT amount, ledger_transaction_id, clearing_document_id FROM customer_credit_applications
             WHERE company_id = @companyId AND customer_credit_id = @creditId AND invoice_receivable_id = @invoiceId
            """, new { companyId, creditId, invoiceId }, tx);
        if (application.Amount == 0) throw ApiException.NotFound("Link between the customer credit and the invoice");
        var now = clock.GetUtcNow().UtcDateTime;
        await engine.ReverseAsync(conn, tx, companyId, application.TransactionId, null, principal.UserId);
        await PostingEngine.SetDocumentStatusAsync(conn, tx, companyId, application.ClearingId, "REVERSED");
        await conn.ExecuteAsync("""
            DELETE FROM customer_credit_applications WHERE company_id = @companyId AND customer_credit_id = @creditId AND invoice_receivable_id = @invoiceId;
            UPDATE customer_credits SET applied_amount = applied_amount - @amount, status = @status, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @creditId
            """, new
        {
            companyId, creditId, invoiceId, application.Amount, now, userId = principal.UserId,
            status = CustomerCreditStates.AfterApplication(credit.AppliedAmount - application.Amount, credit.Amount),
        }, tx);
        await InvoiceStore.ApplyClearingAsync(conn, tx, companyId, invoiceId, -application.Amount, principal.UserId, now);
        await tx.CommitWriteAsync();
        return true;
    }

    /// <summary>The first application of each credit, for linkedInvoiceReceivable on lists (include=INVOICE_RECEIVABLE).</summary>
    public async Task<Dictionary<Guid, RelatedAccDocModel>> LinkedInvoicesAsync(Guid companyId, IReadOnlyList<Guid> creditIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<LinkRow>($"""
            SELECT DISTINCT ON (a.customer_credit_id) {LinkRow.Columns} {LinkRow.From}
             WHERE a.company_id = @companyId AND a.customer_credit_id = ANY(@creditIds) ORDER BY a.customer_credit_id, a.linked_at
            """, new { companyId, creditIds = creditIds.ToArray() })).ToDictionary(l => l.CreditId, l => l.ToModel().InvoiceReceivable);
    }

    sealed class LinkRow
    {
        public Guid CompanyId { get; set; }
        public Guid CreditId { get; set; }
        public string? CreditNumber { get; set; }
        public DateOnly? CreditDate { get; set; }
        public string CreditStatus { get; set; } = "";
        public long CreditAmount { get; set; }
        public string Currency { get; set; } = "";
        public Guid InvoiceId { get; set; }
        public string? InvoiceNumber { get; set; }
        public DateOnly? InvoiceDate { get; set; }
        public string InvoiceState { get; set; } = "";
        public long InvoiceAmount { get; set; }
        public string InvoiceCurrency { get; set; } = "";
        public long Amount { get; set; }
        public DateTime LinkedAt { get; set; }

        public const string Columns = """
            a.company_id, c.id AS credit_id, c.document_number AS credit_number, c.document_date AS credit_date, c.status AS credit_status,
            c.amount AS credit_amount, c.currency, i.id AS invoice_id, i.invoice_number, i.invoice_date, i.state AS invoice_state,
            i.amount AS invoice_amount, i.currency AS invoice_currency, a.amount, a.linked_at
            """;
        public const string From = """
            FROM customer_credit_applications a
            JOIN customer_credits c ON c.company_id = a.company_id AND c.id = a.customer_credit_id
            JOIN invoice_receivables i ON i.company_id = a.company_id AND i.id = a.invoice_receivable_id
            """;

        public CustomerCreditInvoiceModel ToModel() => new(CompanyId,
            new RelatedAccDocModel(CreditId, CreditNumber, CreditDate, CreditStatus, CreditAmount, Currency),
            new RelatedAccDocModel(InvoiceId, InvoiceNumber, InvoiceDate, CustomerCreditStates.InvoiceDocumentStatus(InvoiceState), InvoiceAmount,
                InvoiceCurrency),
            Amount, LinkedAt);
    }

    static async Task<List<CustomerCreditInvoiceModel>> LoadLinksAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid creditId) =>
        (await conn.QueryAsync<LinkRow>($"""
            SELECT {LinkRow.Columns} {LinkRow.From} WHERE a.company_id = @companyId AND a.customer_credit_id = @creditId ORDER BY a.linked_at
            """, new { companyId, creditId }, tx)).Select(l => l.ToModel()).ToList();

    static void CheckDeclaredAmount(long? declared, long total)
    {
        if (declared is { } a && a != total)
            throw ApiException.Unprocessable($"'amount' ({a}) does not match the sum of the lines ({total}); the total is derived from the lines", "amount");
    }

    Task SetStatusAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, Guid id, string status, bool clearPosting) =>
        conn.ExecuteAsync("""
            UPDATE customer_credits
               SET status = @status, updated_at = @now, updated_by = @userId,
                   posted_transaction_id = CASE WHEN @clearPosting THEN NULL ELSE posted_transaction_id END
             WHERE company_id = @companyId AND id = @id
            """, new { companyId = principal.CompanyId, id, status, clearPosting, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId }, tx);

    static async Task<(decimal Local, decimal Group)> RatesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CustomerCreditRow row,
        DateOnly date)
    {
        var (local, group) = await conn.QuerySingleAsync<(string, string)>("""
            SELECT trim(e.local_currency), trim(c.base_currency) FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = @companyId AND e.id = @entityId
            """, new { companyId, entityId = row.CompanyEntityId }, tx);
        return (row.LocalFxRate ?? await RateAsync(conn, tx, row.Currency, local, date, "localCurrencyFxRate"),
            row.GroupFxRate ?? await RateAsync(conn, tx, row.Currency, group, date, "groupCurrencyFxRate"));
    }

    /// <summary>Inputs that decide a line's amounts. AmountOverwrite is the line total in the credit's mode (gross with tax, else net).</summary>
    sealed record LineInput(Guid ProductId, decimal Quantity, Guid? TaxCodeId, Guid? AccountId, long? AmountOverwrite, long? TaxAmountOverwrite)
    {
        public static LineInput From(CustomerCreditLineRequest r, bool linesWithTax, params object[] at)
        {
            var (given, other, otherName) = linesWithTax
                ? (r.GrossTransactionAmount, r.NetTransactionAmount, "netTransactionAmount")
                : (r.NetTransactionAmount, r.GrossTransactionAmount, "grossTransactionAmount");
            if (other is not null)
                throw ApiException.BadRequest(linesWithTax
                    ? "Lines of this customer credit include tax (areLinesWithTax): give grossTransactionAmount, not netTransactionAmount"
                    : "Lines of this customer credit exclude tax (areLinesWithTax false): give netTransactionAmount, not grossTransactionAmount",
                    [.. at, otherName]);
            return new(r.ProductId ?? Guid.Empty, r.Quantity ?? 1m, r.LedgerTaxId, r.LedgerAccountId, given?.Amount, r.TaxTransactionAmount?.Amount);
        }
    }

    sealed record ComputedLine(PricedLine Amounts, Guid? TaxCodeId);

    /// <summary>
    /// The sales-invoice line rules (<see cref="InvoiceMath"/>): product price (ACTIVE product, priced in the currency) × quantity,
    /// or the given line amount; tax from the line's or the product's tax code, or the given tax amount; rounded per line.
    /// </summary>
    static async Task<ComputedLine> ComputeLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string currency, bool linesWithTax,
        LineInput input, params object[] at)
    {
        var product = await ProductStore.FindAsync(conn, tx, companyId, input.ProductId)
                      ?? throw ApiException.BadRequest($"Product {input.ProductId} does not exist", [.. at, "productId"]);
        if (product.State != "ACTIVE")
            throw ApiException.Unprocessable($"Product {product.Id} is {product.State} and cannot be credited", [.. at, "productId"]);
        var amountField = linesWithTax ? "grossTransactionAmount" : "netTransactionAmount";
        long unitPrice;
        decimal quantity;
        if (input.AmountOverwrite is { } lineAmount)
        {
            unitPrice = lineAmount;
            quantity = 1m;
        }
        else
        {
            unitPrice = product.PriceIn(currency)
                        ?? throw ApiException.Unprocessable($"Product {product.Id} has no price in {currency}; give {amountField}", [.. at, "productId"]);
            quantity = input.Quantity;
        }
        var taxCodeId = input.TaxCodeId ?? product.DefaultTaxId;
        var rate = 0m;
        if (taxCodeId is { } taxId)
        {
            var code = await TaxCodeStore.FindAsync(conn, tx, companyId, taxId)
                       ?? throw ApiException.BadRequest($"Tax code {taxId} does not exist", [.. at, "ledgerTaxId"]);
            if (code.Status != "ACTIVE") throw ApiException.Unprocessable($"Tax code {code.Code} is {code.Status}", [.. at, "ledgerTaxId"]);
            rate = code.RatePercent;
        }
        if (input.AccountId is { } accountId && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @accountId", new { companyId, accountId }, tx) == 0)
            throw ApiException.BadRequest($"Ledger account {accountId} does not exist", [.. at, "ledgerAccountId"]);
        PricedLine amounts;
        try
        {
            amounts = LineMath.Price(unitPrice, quantity, null, rate, input.TaxAmountOverwrite, linesWithTax, at);
        }
        catch (ApiException e) when (e.Errors.Any(er => er.Path?.Contains("taxAmountOverwrite") == true))
        {
            throw ApiException.Unprocessable(e.Message, [.. at, "taxTransactionAmount", "amount"]);
        }
        return new ComputedLine(amounts, taxCodeId);
    }

    async Task<long> RepriceLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid creditId)
    {
        var row = (await LockAsync(conn, tx, companyId, creditId))!;
        var lines = await LoadLinesAsync(conn, tx, companyId, creditId);
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var computed = await ComputeLineAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax,
                new LineInput(l.ProductId, l.Quantity, l.TaxCodeId, l.AccountId, l.AmountOverwrite, l.TaxAmountOverwrite), "lines", i);
            await conn.ExecuteAsync("""
                UPDATE customer_credit_lines SET unit_price = @UnitPrice, net_amount = @NetAmount, tax_amount = @TaxAmount, gross_amount = @GrossAmount,
                       updated_at = @now
                 WHERE company_id = @companyId AND id = @Id
                """, new
            {
                companyId, l.Id, computed.Amounts.UnitPrice, computed.Amounts.NetAmount, computed.Amounts.TaxAmount, computed.Amounts.GrossAmount,
                now = clock.GetUtcNow().UtcDateTime,
            }, tx);
        }
        return await UpdateTotalAsync(conn, tx, companyId, creditId);
    }

    static Task InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid creditId, Guid lineId, CustomerCreditLineRequest r,
        LineInput input, ComputedLine computed, DateTime now) =>
        conn.ExecuteAsync("""
            INSERT INTO customer_credit_lines (company_id, id, customer_credit_id, product_id, quantity, tax_code_id, account_id, description, avatax_code,
                                               amount_overwrite, tax_amount_overwrite, unit_price, net_amount, tax_amount, gross_amount,
                                               accrual_template_id, accrual_start_date, accrual_end_date, created_at, updated_at)
            VALUES (@companyId, @lineId, @creditId, @ProductId, @Quantity, @taxCodeId, @AccountId, @Description, @AvataxCode, @AmountOverwrite,
                    @TaxAmountOverwrite, @UnitPrice, @NetAmount, @TaxAmount, @GrossAmount, @AccrualTemplateId, @AccrualStartDate, @AccrualEndDate,
                    @now, @now)
            """, new
        {
            companyId, lineId, creditId, input.ProductId, input.Quantity, taxCodeId = computed.TaxCodeId, input.AccountId, r.Description, r.AvataxCode,
            input.AmountOverwrite, input.TaxAmountOverwrite, computed.Amounts.UnitPrice, computed.Amounts.NetAmount, computed.Amounts.TaxAmount,
            computed.Amounts.GrossAmount, r.AccrualTemplateId, r.AccrualStartDate, r.AccrualEndDate, now,
        }, tx);

    static async Task<long> UpdateTotalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid creditId)
    {
        try
        {
            return await conn.ExecuteScalarAsync<long>("""
                UPDATE customer_credits
                   SET amount = COALESCE((SELECT sum(gross_amount) FROM customer_credit_lines
                                          WHERE company_id = @companyId AND customer_credit_id = @creditId), amount)
                 WHERE company_id = @companyId AND id = @creditId
                RETURNING amount
                """, new { companyId, creditId }, tx);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw ApiException.Unprocessable("The customer credit total is too large", "lines");
        }
    }

    static Task<CustomerCreditRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<CustomerCreditRow>(
            $"SELECT {CustomerCreditRow.Columns} FROM customer_credits c WHERE company_id = @companyId AND id = @id FOR UPDATE OF c", new { companyId, id }, tx);

    static async Task<List<CustomerCreditLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid creditId) =>
        (await conn.QueryAsync<CustomerCreditLineRow>(
            $"SELECT {CustomerCreditLineRow.Columns} FROM customer_credit_lines WHERE company_id = @companyId AND customer_credit_id = @creditId ORDER BY id",
            new { companyId, creditId }, tx)).ToList();

    static async Task<CustomerCreditModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<CustomerCreditRow>(
            $"SELECT {CustomerCreditRow.Columns} FROM customer_credits c WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);
        if (row is null) return null;
        var linked = (await LoadLinksAsync(conn, tx, companyId, id)).FirstOrDefault()?.InvoiceReceivable;
        return row.ToModel((await LoadLinesAsync(conn, tx, companyId, id)).Select(l => l.ToModel()).ToList(), linked);
    }
}

public sealed class CustomerCreditRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid CompanyEntityId { get; set; }
    public Guid? CustomerId { get; set; }
    public string? CustomerName { get; set; }
    public string Status { get; set; } = "";
    public string? DocumentNumber { get; set; }
    public string? Description { get; set; }
    public string Currency { get; set; } = "";
    public DateOnly? DocumentDate { get; set; }
    public DateOnly? PostingDate { get; set; }
    public DateOnly EffectivePostingDate { get; set; }
    public bool AreLinesWithTax { get; set; }
    public decimal? LocalFxRate { get; set; }
    public decimal? GroupFxRate { get; set; }
    public long Amount { get; set; }
    public long AppliedAmount { get; set; }
    public Guid? PostedTransactionId { get; set; }
    public string? EinvoiceStatus { get; set; }
    public Guid? UpdatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string EffectivePostingSql = "COALESCE(c.posting_date, c.document_date, (c.created_at AT TIME ZONE 'UTC')::date)";
    public const string CustomerNameSql = "(SELECT cu.name FROM customers cu WHERE cu.company_id = c.company_id AND cu.id = c.customer_id)";

    public const string Columns =
        "c.company_id, c.id, c.company_entity_id, c.customer_id, c.status, c.document_number, c.description, c.currency, c.document_date, " +
        "c.posting_date, c.are_lines_with_tax, c.local_fx_rate, c.group_fx_rate, c.amount, c.applied_amount, c.posted_transaction_id, " +
        "c.einvoice_status, c.updated_by, c.created_at, c.updated_at, " +
        EffectivePostingSql + " AS effective_posting_date, " + CustomerNameSql + " AS customer_name";

    public CustomerCreditModel ToModel(IReadOnlyList<CustomerCreditLineModel>? lines, RelatedAccDocModel? linked) => new(
        Id, CompanyId, CompanyEntityId, Amount, CustomerName, CustomerId, Status, Description, Currency, DocumentDate, PostingDate, AreLinesWithTax,
        lines, CreatedAt, UpdatedAt, UpdatedBy, linked);
}

public sealed class CustomerCreditLineRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid CustomerCreditId { get; set; }
    public Guid ProductId { get; set; }
    public decimal Quantity { get; set; }
    public Guid? TaxCodeId { get; set; }
    public Guid? AccountId { get; set; }
    public string? Description { get; set; }
    public string? AvataxCode { get; set; }
    public long? AmountOverwrite { get; set; }
    public long? TaxAmountOverwrite { get; set; }
    public long UnitPrice { get; set; }
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public long GrossAmount { get; set; }
    public Guid? AccrualTemplateId { get; set; }
    public DateOnly? AccrualStartDate { get; set; }
    public DateOnly? AccrualEndDate { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns =
        "company_id, id, customer_credit_id, product_id, quantity, tax_code_id, account_id, description, avatax_code, amount_overwrite, " +
        "tax_amount_overwrite, unit_price, net_amount, tax_amount, gross_amount, accrual_template_id, accrual_start_date, accrual_end_date, " +
        "created_at, updated_at";

    public CustomerCreditLineModel ToModel() => new(
        Id, CompanyId, CustomerCreditId, new DirectedAmount(GrossAmount, "D"), new DirectedAmount(NetAmount, "D"), Description, TaxCodeId,
        new DirectedAmount(TaxAmount, "D"), AccountId, AvataxCode, ProductId, Quantity, CreatedAt, UpdatedAt, AccrualTemplateId, AccrualStartDate,
        AccrualEndDate, null);
}
