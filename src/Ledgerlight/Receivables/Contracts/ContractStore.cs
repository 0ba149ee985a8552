using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Contracts;

/// <summary>
/// Contracts: loading and writing the header. Lines (ContractLines.cs) and the lifecycle (ContractTransitions.cs) are the
/// other parts of this class; every write locks the contract row first (<see cref="DocumentCommand"/>).
/// </summary>
public sealed partial class ContractStore(NpgsqlDataSource db, TimeProvider clock)
    : ILinedDocumentStore<ContractModel, ContractRequest, ContractLineModel, ContractLineRequest>
{
    public static readonly DocumentTable<ContractRow> Table = new("contracts", "c", ContractRow.Columns);

    /// <summary>The custom property object type of contracts and their lines.</summary>
    const string ObjectType = "CONTRACT";

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Every line write refuses a contract its state does not let change; a contract has at most <see cref="ContractRequest.MaxLines"/> lines.</summary>
    static readonly SalesLineRules<ContractRow> LineRules = new(ObjectType, row => ContractLifecycle.Machine.Ensure(row.State, ContractAction.Edit),
        async (conn, tx, companyId, contractId) =>
        {
            if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contract_lines WHERE company_id = @companyId AND contract_id = @contractId",
                    new { companyId, contractId }, tx) >= ContractRequest.MaxLines)
                throw ApiException.Unprocessable($"A contract has at most {ContractRequest.MaxLines} lines");
        });

    static readonly SalesDocumentAccess<ContractRow, ContractLineRow, ContractLineModel, ContractModel> Access =
        new(Table, LoadLinesAsync, (_, _, row, lines, header) => Task.FromResult(row.ToModel(lines, header)), LineRules);

    public Task<ContractModel?> GetAsync(Guid companyId, Guid id) => Access.GetAsync(db, companyId, id);

    public async Task<ContractModel> CreateAsync(Principal principal, ContractRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // customerId is required (ContractRequest.Validate), so it is always checked here.
        var (entityId, currency) = await SalesDocumentContext.ResolveNewAsync(conn, tx, companyId, r.Currency, new(ObjectType, r.CompanyEntityId,
            r.CustomerId!.Value, r.PayeeBankAccountId, r.CustomProperties, (r.Lines ?? []).Select(l => l.CustomProperties).ToList()));
        var now = Now;
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO contracts (company_id, id, company_entity_id, customer_id, state, start_date, end_date, renewal_date, billing_start,
                                   invoice_template_id, currency, estimated_amount, payment_type, payee_bank_account_id, net_terms,
                                   invoice_lead_days, description, are_lines_with_tax, custom_properties, created_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @CustomerId, @state, @StartDate, @EndDate, @RenewalDate, @BillingStart, @InvoiceTemplateId,
                    @currency, @EstimatedAmount, @PaymentType, @PayeeBankAccountId, @netTerms, @invoiceLeadDays, @Description, @linesWithTax,
                    @customProperties::jsonb, @userId, @now, @now)
            """, new
        {
            companyId, id, entityId, r.CustomerId, state = ContractStates.Created, r.StartDate, r.EndDate, r.RenewalDate, r.BillingStart, r.InvoiceTemplateId,
            currency, r.EstimatedAmount, r.PaymentType, r.PayeeBankAccountId, netTerms = r.NetTerms ?? 30, invoiceLeadDays = r.InvoiceLeadDays ?? 0,
            r.Description, linesWithTax = r.AreLinesWithTax ?? true, customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
            userId = principal.UserId, now,
        }, tx);
        var lines = r.Lines ?? [];
        for (var i = 0; i < lines.Count; i++)
            await InsertLineAsync(conn, tx, companyId, id, currency, lines[i], now, "lines", i);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, companyId, id))!;
    }

    /// <summary>PATCH: present fields change (null clears), absent ones stay.</summary>
    public Task<ContractModel?> PatchAsync(Principal principal, Guid id, ContractRequest r, JsonElement body) =>
        Access.PatchHeaderAsync(db, principal.CompanyId, id, new(ObjectType, r.CompanyEntityId, r.CustomerId, r.PayeeBankAccountId, r.CustomProperties),
            async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var patch = new PatchSet(body, new { companyId, id, now = Now });
            var startDate = patch.Has("startDate") ? r.StartDate : row.StartDate;
            var endDate = patch.Has("endDate") ? r.EndDate : row.EndDate;
            if (startDate is { } sd && endDate is { } ed && ed < sd) throw ApiException.BadRequest("'endDate' must not be before 'startDate'", "endDate");
            if (r.Currency is { } newCurrency && newCurrency != row.Currency.Trim())
                foreach (var line in await LoadLinesAsync(conn, tx, companyId, id))
                    if (line.PriceOverwrite is null) await RequirePricedProductAsync(conn, tx, companyId, line.ProductId, newCurrency, "currency");

            patch.Raw("updated_at = @now")
                .Columns(r, nameof(r.CompanyEntityId), nameof(r.StartDate), nameof(r.EndDate), nameof(r.InvoiceTemplateId), nameof(r.Currency),
                    nameof(r.EstimatedAmount), nameof(r.PaymentType), nameof(r.PayeeBankAccountId), nameof(r.NetTerms), nameof(r.InvoiceLeadDays),
                    nameof(r.BillingStart), nameof(r.Description), nameof(r.CustomerId), nameof(r.RenewalDate), nameof(r.AreLinesWithTax))
                .CustomProperties(r.CustomProperties);
            await conn.ExecuteAsync($"UPDATE contracts SET {patch.Clause} WHERE company_id = @companyId AND id = @id", patch.Parameters, tx);
        });

    public Task<bool> DeleteAsync(Principal principal, Guid id) =>
        DocumentCommand.TryRunAsync(db, Table, principal.CompanyId, id, async s =>
        {
            ContractLifecycle.Machine.Ensure(s.Row.State, ContractAction.Delete);
            var key = new { companyId = s.CompanyId, id };
            await s.Connection.ExecuteAsync("DELETE FROM contract_lines WHERE company_id = @companyId AND contract_id = @id", key, s.Transaction);
            await s.Connection.ExecuteAsync("DELETE FROM contracts WHERE company_id = @companyId AND id = @id", key, s.Transaction);
            return true;
        });

    /// <summary>Records the blob key a document upload URL was handed out for (the contract's main document).</summary>
    public async Task<bool> SetDocumentKeyAsync(Guid companyId, Guid id, string key)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteAsync("UPDATE contracts SET document_key = @key, updated_at = @now WHERE company_id = @companyId AND id = @id",
            new { companyId, id, key, now = Now }) == 1;
    }

    public async Task<bool> ExistsAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await Table.FindAsync(conn, null, companyId, id) is not null;
    }

    internal static async Task<List<ContractLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid contractId) =>
        (await conn.QueryAsync<ContractLineRow>(
            $"SELECT {ContractLineRow.Columns} FROM contract_lines WHERE company_id = @companyId AND contract_id = @contractId ORDER BY id",
            new { companyId, contractId }, tx)).ToList();

    static Task<ContractModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        Access.LoadAsync(conn, tx, companyId, id);
}
