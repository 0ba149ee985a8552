using static Ledgerlight.Ledger.DocumentContext;
using System.Text.Json;
using Dapper;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.Products;
using Npgsql;

namespace Ledgerlight.Receivables.Contracts;

/// <summary>Contracts and their lines: SQL and state changes, each in one transaction with the contract row locked FOR UPDATE.</summary>
public sealed class ContractStore(NpgsqlDataSource db, TimeProvider clock)
{
    public async Task<ContractModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<ContractModel> CreateAsync(Principal principal, ContractRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var entityId = await ResolveEntityAsync(conn, tx, companyId, r.CompanyEntityId);
        var currency = r.Currency ?? (await conn.ExecuteScalarAsync<string>("SELECT trim(base_currency) FROM companies WHERE id = @companyId",
            new { companyId }, tx))!;
        await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, r.CustomerId!.Value, "customerId");
        if (r.PayeeBankAccountId is { } bank) await RequireBankAccountAsync(conn, tx, companyId, bank);
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO contracts (company_id, id, company_entity_id, customer_id, state, start_date, end_date, renewal_date, billing_start,
                                   invoice_template_id, currency, estimated_amount, payment_type, payee_bank_account_id, net_terms,
                                   invoice_lead_days, description, are_lines_with_tax, created_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @CustomerId, 'CREATED', @StartDate, @EndDate, @RenewalDate, @BillingStart, @InvoiceTemplateId,
                    @currency, @EstimatedAmount, @PaymentType, @PayeeBankAccountId, @netTerms, @invoiceLeadDays, @Description, @linesWithTax,
                    @userId, @now, @now)
            """, new
        {
            companyId, id, entityId, r.CustomerId, r.StartDate, r.EndDate, r.RenewalDate, r.BillingStart, r.InvoiceTemplateId, currency,
            r.EstimatedAmount, r.PaymentType, r.PayeeBankAccountId, netTerms = r.NetTerms ?? 30, invoiceLeadDays = r.InvoiceLeadDays ?? 0,
            r.Description, linesWithTax = r.AreLinesWithTax ?? true, userId = principal.UserId, now,
        }, tx);
        var lines = r.Lines ?? [];
        for (var i = 0; i < lines.Count; i++)
            await InsertLineAsync(conn, tx, companyId, id, currency, lines[i], now, "lines", i);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, companyId, id))!;
    }

    /// <summary>PATCH: present fields change (null clears), absent ones stay.</summary>
    public async Task<ContractModel?> PatchAsync(Principal principal, Guid id, ContractRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        ContractStates.EnsureEditable(row.State);
        if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(conn, tx, companyId, entityId);
        if (r.CustomerId is { } customerId) await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, customerId, "customerId");
        if (r.PayeeBankAccountId is { } bank) await RequireBankAccountAsync(conn, tx, companyId, bank);
        var startDate = Has("startDate") ? r.StartDate : row.StartDate;
        var endDate = Has("endDate") ? r.EndDate : row.EndDate;
        if (startDate is { } s && endDate is { } e && e < s) throw ApiException.BadRequest("'endDate' must not be before 'startDate'", "endDate");
        if (r.Currency is { } newCurrency && newCurrency != row.Currency.Trim())
            foreach (var (line, i) in (await LoadLinesAsync(conn, tx, companyId, id)).Select((l, i) => (l, i)))
                if (line.PriceOverwrite is null) await RequirePricedProductAsync(conn, tx, companyId, line.ProductId, newCurrency, "currency");

        var sets = new List<string> { "updated_at = @now" };
        var p = new DynamicParameters(new { companyId, id, now = clock.GetUtcNow().UtcDateTime });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("companyEntityId", "company_entity_id", r.CompanyEntityId);
        Set("startDate", "start_date", r.StartDate);
        Set("endDate", "end_date", r.EndDate);
        Set("invoiceTemplateId", "invoice_template_id", r.InvoiceTemplateId);
        Set("currency", "currency", r.Currency);
        Set("estimatedAmount", "estimated_amount", r.EstimatedAmount);
        Set("paymentType", "payment_type", r.PaymentType);
        Set("payeeBankAccountId", "payee_bank_account_id", r.PayeeBankAccountId);
        Set("netTerms", "net_terms", r.NetTerms);
        Set("invoiceLeadDays", "invoice_lead_days", r.InvoiceLeadDays);
        Set("billingStart", "billing_start", r.BillingStart);
        Set("description", "description", r.Description);
        Set("customerId", "customer_id", r.CustomerId);
        Set("renewalDate", "renewal_date", r.RenewalDate);
        Set("areLinesWithTax", "are_lines_with_tax", r.AreLinesWithTax);
        await conn.ExecuteAsync($"UPDATE contracts SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @id", p, tx);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    public async Task<bool> DeleteAsync(Principal principal, Guid id)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return false;
        ContractStates.EnsureCanDelete(row.State);
        await conn.ExecuteAsync("DELETE FROM contract_lines WHERE company_id = @companyId AND contract_id = @id", new { companyId, id }, tx);
        await conn.ExecuteAsync("DELETE FROM contracts WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);
        await tx.CommitWriteAsync();
        return true;
    }

    public async Task<ContractLineModel?> CreateLineAsync(Principal principal, Guid contractId, ContractLineRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, contractId);
        if (row is null) return null;
        ContractStates.EnsureEditable(row.State);
        if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contract_lines WHERE company_id = @companyId AND contract_id = @contractId",
                new { companyId, contractId }, tx) >= ContractRequest.MaxLines)
            throw ApiException.Unprocessable($"A contract has at most {ContractRequest.MaxLines} lines");
        var lineId = await InsertLineAsync(conn, tx, companyId, contractId, row.Currency.Trim(), r, clock.GetUtcNow().UtcDateTime);
        await TouchAsync(conn, tx, companyId, contractId);
        await tx.CommitWriteAsync();
        return (await LoadLinesAsync(conn, null, companyId, contractId)).Single(l => l.Id == lineId).ToModel();
    }

    public async Task<ContractLineModel?> UpdateLineAsync(Principal principal, Guid contractId, Guid lineId, ContractLineRequest r, JsonElement body)
    {
        bool Has(string name) => body.TryGetProperty(name, out _);
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, contractId);
        if (row is null) return null;
        var line = (await LoadLinesAsync(conn, tx, companyId, contractId)).SingleOrDefault(l => l.Id == lineId);
        if (line is null) return null;
        ContractStates.EnsureEditable(row.State);
        var productId = r.ProductId ?? line.ProductId;
        var priceOverwrite = Has("priceOverwrite") ? r.PriceOverwrite : line.PriceOverwrite;
        await CheckLineReferencesAsync(conn, tx, companyId, row.Currency.Trim(), productId, priceOverwrite,
            Has("taxCodeId") ? r.TaxCodeId : null, Has("accountId") ? r.AccountId : null);
        var billingStart = Has("billingStart") ? r.BillingStart : line.BillingStart;
        var billingEnd = Has("billingEnd") ? r.BillingEnd : line.BillingEnd;
        if (billingStart is { } bs && billingEnd is { } be && be < bs) throw ApiException.BadRequest("'billingEnd' must not be before 'billingStart'", "billingEnd");

        var sets = new List<string> { "updated_at = @now", "product_id = @productId" };
        var p = new DynamicParameters(new { companyId, lineId, productId, now = clock.GetUtcNow().UtcDateTime });
        void Set(string field, string column, object? value)
        {
            if (!Has(field)) return;
            sets.Add($"{column} = @{field}");
            p.Add(field, value);
        }
        Set("billingStart", "billing_start", r.BillingStart);
        Set("billingEnd", "billing_end", r.BillingEnd);
        if (r.BillingRecurrence is not null) Set("billingRecurrence", "billing_recurrence", r.BillingRecurrence);
        Set("accountId", "account_id", r.AccountId);
        Set("taxCodeId", "tax_code_id", r.TaxCodeId);
        Set("avataxCode", "avatax_code", r.AvataxCode);
        if (Has("discount"))
        {
            sets.Add("discount = @discount::jsonb");
            p.Add("discount", DiscountJson(r.Discount));
        }
        if (r.Quantity is not null) Set("quantity", "quantity", r.Quantity);
        Set("priceOverwrite", "price_overwrite", r.PriceOverwrite);
        Set("productNameOverwrite", "product_name_overwrite", r.ProductNameOverwrite);
        Set("amortizationTemplateId", "amortization_template_id", r.AmortizationTemplateId);
        Set("amortizationStartDate", "amortization_start_date", r.AmortizationStartDate);
        Set("amortizationEndDate", "amortization_end_date", r.AmortizationEndDate);
        await conn.ExecuteAsync($"UPDATE contract_lines SET {string.Join(", ", sets)} WHERE company_id = @companyId AND id = @lineId", p, tx);
        await TouchAsync(conn, tx, companyId, contractId);
        await tx.CommitWriteAsync();
        return (await LoadLinesAsync(conn, null, companyId, contractId)).Single(l => l.Id == lineId).ToModel();
    }

    public async Task<bool> DeleteLineAsync(Principal principal, Guid contractId, Guid lineId)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, contractId);
        if (row is null) return false;
        if (!(await LoadLinesAsync(conn, tx, companyId, contractId)).Any(l => l.Id == lineId)) return false;
        ContractStates.EnsureEditable(row.State);
        await conn.ExecuteAsync("DELETE FROM contract_lines WHERE company_id = @companyId AND id = @lineId", new { companyId, lineId }, tx);
        await TouchAsync(conn, tx, companyId, contractId);
        await tx.CommitWriteAsync();
        return true;
    }

    /// <summary>CREATED/DRAFT → ACTIVE: needs an invoiceable customer and at least one line.</summary>
    public Task<ContractModel?> PublishAsync(Principal principal, Guid id) => TransitionAsync(principal, id, async (conn, tx, row) =>
    {
        ContractStates.EnsureCanPublish(row.State);
        var v = new Validation();
        if (row.CustomerId is null) v.Required(null, "customerId");
        if ((await LoadLinesAsync(conn, tx, row.CompanyId, row.Id)).Count == 0) v.Add("A contract needs at least one line to be published", "lines");
        v.ThrowIfAny(422, "The contract is not complete enough to publish");
        await CustomerStore.RequireInvoiceableAsync(conn, tx, row.CompanyId, row.CustomerId!.Value, "customerId");
        return ("state = 'ACTIVE', activated_at = @now", null);
    });

    /// <summary>Extends the end date (and optionally moves the renewal date) of an ACTIVE contract.</summary>
    public Task<ContractModel?> RenewAsync(Principal principal, Guid id, RenewRequest r) => TransitionAsync(principal, id, (_, _, row) =>
    {
        ContractStates.EnsureCanRenew(row.State);
        if (row.EndDate is { } end && r.NextEndDate <= end)
            throw ApiException.BadRequest($"'nextEndDate' must be after the current end date {end:yyyy-MM-dd}", "nextEndDate");
        if (row.StartDate is { } start && r.NextEndDate < start)
            throw ApiException.BadRequest($"'nextEndDate' must not be before the start date {start:yyyy-MM-dd}", "nextEndDate");
        return Task.FromResult<(string, object?)>(("end_date = @nextEndDate, renewal_date = COALESCE(@nextRenewalDate, renewal_date)",
            new { nextEndDate = r.NextEndDate!.Value, nextRenewalDate = r.NextRenewalDate }));
    });

    /// <summary>
    /// A termination date in the future schedules it (PENDING_TERMINATION, billing stops after that date); none, today or a
    /// past date terminates now. Either way the contract's billing ends on the termination date.
    /// </summary>
    public Task<ContractModel?> TerminateAsync(Principal principal, Guid id, TerminateRequest r) => TransitionAsync(principal, id, (_, _, row) =>
    {
        ContractStates.EnsureCanTerminate(row.State);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var date = r.TerminationDate ?? today;
        var immediate = date <= today;
        return Task.FromResult<(string, object?)>((
            immediate
                ? "state = 'TERMINATED', termination_date = @date, termination_reason = @reason, terminated_at = @now"
                : "state = 'PENDING_TERMINATION', termination_date = @date, termination_reason = @reason",
            new { date, reason = r.TerminationReason }));
    });

    public Task<ContractModel?> CancelTerminationAsync(Principal principal, Guid id) => TransitionAsync(principal, id, (_, _, row) =>
    {
        ContractStates.EnsureCanCancelTermination(row.State);
        return Task.FromResult<(string, object?)>(("state = 'ACTIVE', termination_date = NULL, termination_reason = NULL", null));
    });

    /// <summary>Back to CREATED; invoices already generated stay, and their periods stay billed.</summary>
    public Task<ContractModel?> ResetAsync(Principal principal, Guid id) => TransitionAsync(principal, id, (_, _, row) =>
    {
        ContractStates.EnsureCanReset(row.State);
        return Task.FromResult<(string, object?)>(("state = 'CREATED', activated_at = NULL", null));
    });

    /// <summary>Records the blob key a document upload URL was handed out for (the contract's main document).</summary>
    public async Task<bool> SetDocumentKeyAsync(Guid companyId, Guid id, string key)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteAsync("UPDATE contracts SET document_key = @key, updated_at = @now WHERE company_id = @companyId AND id = @id",
            new { companyId, id, key, now = clock.GetUtcNow().UtcDateTime }) == 1;
    }

    public async Task<bool> ExistsAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contracts WHERE company_id = @companyId AND id = @id", new { companyId, id }) > 0;
    }

    async Task<ContractModel?> TransitionAsync(Principal principal, Guid id,
        Func<NpgsqlConnection, NpgsqlTransaction, ContractRow, Task<(string Sets, object? Args)>> change)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var (sets, args) = await change(conn, tx, row);
        var p = new DynamicParameters(new { companyId, id, now = clock.GetUtcNow().UtcDateTime });
        if (args is not null) p.AddDynamicParams(args);
        await conn.ExecuteAsync($"UPDATE contracts SET {sets}, updated_at = @now WHERE company_id = @companyId AND id = @id", p, tx);
        var model = await LoadModelAsync(conn, tx, companyId, id);
        await tx.CommitWriteAsync();
        return model;
    }

    async Task<Guid> InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid contractId, string currency,
        ContractLineRequest r, DateTime now, params object[] at)
    {
        await CheckLineReferencesAsync(conn, tx, companyId, currency, r.ProductId!.Value, r.PriceOverwrite, r.TaxCodeId, r.AccountId, at);
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO contract_lines (company_id, id, contract_id, product_id, billing_start, billing_end, billing_recurrence, account_id,
                                        tax_code_id, avatax_code, discount, quantity, price_overwrite, product_name_overwrite,
                                        amortization_template_id, amortization_start_date, amortization_end_date, created_at, updated_at)
            VALUES (@companyId, @id, @contractId, @ProductId, @BillingStart, @BillingEnd, @recurrence, @AccountId, @TaxCodeId, @AvataxCode,
                    @discount::jsonb, @quantity, @PriceOverwrite, @ProductNameOverwrite, @AmortizationTemplateId, @AmortizationStartDate,
                    @AmortizationEndDate, @now, @now)
            """, new
        {
            companyId, id, contractId, r.ProductId, r.BillingStart, r.BillingEnd, recurrence = r.BillingRecurrence ?? Recurrence.Monthly,
            r.AccountId, r.TaxCodeId, r.AvataxCode, discount = DiscountJson(r.Discount), quantity = r.Quantity ?? 1m, r.PriceOverwrite,
            r.ProductNameOverwrite, r.AmortizationTemplateId, r.AmortizationStartDate, r.AmortizationEndDate, now,
        }, tx);
        return id;
    }

    static string? DiscountJson(JsonElement? discount) =>
        discount is { ValueKind: JsonValueKind.Object } d ? d.GetRawText() : null;

    /// <summary>The line's price is the product's price in the contract currency unless overwritten; references must exist.</summary>
    static async Task CheckLineReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string currency, Guid productId,
        long? priceOverwrite, Guid? taxCodeId, Guid? accountId, params object[] at)
    {
        if (priceOverwrite is null) await RequirePricedProductAsync(conn, tx, companyId, productId, currency, [.. at, "productId"]);
        else if (await ProductStore.FindAsync(conn, tx, companyId, productId) is null)
            throw ApiException.BadRequest($"Product {productId} does not exist", [.. at, "productId"]);
        if (taxCodeId is { } taxId && await Ledger.TaxCodes.TaxCodeStore.FindAsync(conn, tx, companyId, taxId) is null)
            throw ApiException.BadRequest($"Tax code {taxId} does not exist", [.. at, "taxCodeId"]);
        if (accountId is { } account && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @account", new { companyId, account }, tx) == 0)
            throw ApiException.BadRequest($"Ledger account {account} does not exist", [.. at, "accountId"]);
    }

    static async Task RequirePricedProductAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid productId, string currency,
        params object[] path)
    {
        var product = await ProductStore.FindAsync(conn, tx, companyId, productId)
                      ?? throw ApiException.BadRequest($"Product {productId} does not exist", path);
        if (product.PriceIn(currency) is null)
            throw ApiException.Unprocessable($"Product {productId} has no price in {currency}; give priceOverwrite", path);
    }

    static async Task RequireBankAccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id)
    {
        if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM bank_accounts WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx) == 0)
            throw ApiException.BadRequest($"Bank account {id} does not exist", "payeeBankAccountId");
    }

    static Task TouchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.ExecuteAsync("UPDATE contracts SET updated_at = now() WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);

    internal static Task<ContractRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<ContractRow>(
            $"SELECT {ContractRow.Columns} FROM contracts c WHERE company_id = @companyId AND id = @id FOR UPDATE OF c", new { companyId, id }, tx);

    internal static async Task<List<ContractLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid contractId) =>
        (await conn.QueryAsync<ContractLineRow>(
            $"SELECT {ContractLineRow.Columns} FROM contract_lines WHERE company_id = @companyId AND contract_id = @contractId ORDER BY id",
            new { companyId, contractId }, tx)).ToList();

    static async Task<ContractModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<ContractRow>(
            $"SELECT {ContractRow.Columns} FROM contracts c WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);
        return row?.ToModel((await LoadLinesAsync(conn, tx, companyId, id)).Select(l => l.ToModel()).ToList());
    }
}

public sealed class ContractRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid CompanyEntityId { get; set; }
    public Guid? CustomerId { get; set; }
    public string State { get; set; } = "";
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public DateOnly? RenewalDate { get; set; }
    public DateOnly? BillingStart { get; set; }
    public DateOnly? TerminationDate { get; set; }
    public string? TerminationReason { get; set; }
    public DateTime? ActivatedAt { get; set; }
    public DateTime? TerminatedAt { get; set; }
    public Guid? InvoiceTemplateId { get; set; }
    public string Currency { get; set; } = "";
    public long? EstimatedAmount { get; set; }
    public string? PaymentType { get; set; }
    public Guid? PayeeBankAccountId { get; set; }
    public int? NetTerms { get; set; }
    public int? InvoiceLeadDays { get; set; }
    public string? Description { get; set; }
    public bool AreLinesWithTax { get; set; }
    public string? DocumentKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns =
        "c.company_id, c.id, c.company_entity_id, c.customer_id, c.state, c.start_date, c.end_date, c.renewal_date, c.billing_start, " +
        "c.termination_date, c.termination_reason, c.activated_at, c.terminated_at, c.invoice_template_id, c.currency, c.estimated_amount, " +
        "c.payment_type, c.payee_bank_account_id, c.net_terms, c.invoice_lead_days, c.description, c.are_lines_with_tax, c.document_key, " +
        "c.created_at, c.updated_at";

    /// <summary>The last day the contract bills for: its end date, or the termination date when earlier.</summary>
    public DateOnly? LastBillableDay => (EndDate, TerminationDate) switch
    {
        ({ } e, { } t) => e < t ? e : t,
        ({ } e, null) => e,
        (null, { } t) => t,
        _ => null,
    };

    /// <summary>A scheduled termination is reported as the contract's end date.</summary>
    public ContractModel ToModel(IReadOnlyList<ContractLineModel>? lines) => new(
        Id, CompanyId, StartDate, LastBillableDay, ActivatedAt, TerminatedAt, TerminationReason, RenewalDate, CompanyEntityId, InvoiceTemplateId,
        Currency.Trim(), EstimatedAmount, PaymentType, PayeeBankAccountId, BillingStart, NetTerms, InvoiceLeadDays, Description, CustomerId, State,
        AreLinesWithTax, lines, "LIGHT", null, null, [], DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
}

public sealed class ContractLineRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid ContractId { get; set; }
    public Guid ProductId { get; set; }
    public DateOnly? BillingStart { get; set; }
    public DateOnly? BillingEnd { get; set; }
    public string BillingRecurrence { get; set; } = "";
    public Guid? AccountId { get; set; }
    public Guid? TaxCodeId { get; set; }
    public string? AvataxCode { get; set; }
    public string? Discount { get; set; }
    public decimal Quantity { get; set; }
    public long? PriceOverwrite { get; set; }
    public string? ProductNameOverwrite { get; set; }
    public Guid? AmortizationTemplateId { get; set; }
    public DateOnly? AmortizationStartDate { get; set; }
    public DateOnly? AmortizationEndDate { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public const string Columns =
        "company_id, id, contract_id, product_id, billing_start, billing_end, billing_recurrence, account_id, tax_code_id, avatax_code, " +
        "discount::text AS discount, quantity, price_overwrite, product_name_overwrite, amortization_template_id, amortization_start_date, " +
        "amortization_end_date, created_at, updated_at";

    public ContractLineModel ToModel() => new(
        Id, CompanyId, ContractId, ProductId, BillingStart, BillingEnd, BillingRecurrence, AccountId, TaxCodeId, AvataxCode,
        Discount is null ? null : JsonDocument.Parse(Discount).RootElement.Clone(), Quantity, PriceOverwrite, ProductNameOverwrite,
        AmortizationTemplateId, AmortizationStartDate, AmortizationEndDate, [], [], DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc),
        DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
}
