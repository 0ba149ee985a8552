using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>
/// Customer credits: loading and writing the header. Lines (CustomerCreditLines.cs), posting and the other status changes
/// (CustomerCreditTransitions.cs) and applications to invoices (CustomerCreditLinks.cs) are the other parts of this class.
/// Every write locks the credit row first (then the invoice, when one is involved).
/// </summary>
public sealed partial class CustomerCreditStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
    : ILinedDocumentStore<CustomerCreditModel, CustomerCreditRequest, CustomerCreditLineModel, CustomerCreditLineRequest>
{
    public static readonly DocumentTable<CustomerCreditRow> Table = new("customer_credits", "c", CustomerCreditRow.Columns);

    /// <summary>The custom property object type of customer credits and their lines.</summary>
    const string ObjectType = "CUSTOMER_CREDIT";

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Every line write refuses a credit that is not a draft; a credit has at most <see cref="CustomerCreditRequest.MaxLines"/> lines.</summary>
    static readonly SalesLineRules<CustomerCreditRow> LineRules = new(ObjectType,
        row => CustomerCreditLifecycle.Machine.Ensure(row.Status, CustomerCreditAction.Edit),
        (conn, tx, companyId, creditId) => SalesLineTable.Credit.EnsureRoomAsync(conn, tx, companyId, creditId, CustomerCreditRequest.MaxLines));

    /// <summary>A credit is answered with the invoice it is applied to, if any.</summary>
    static readonly SalesDocumentAccess<CustomerCreditRow, CustomerCreditLineRow, CustomerCreditLineModel, CustomerCreditModel> Access =
        new(Table, LoadLinesAsync, async (conn, tx, row, lines, header) =>
            row.ToModel(lines, (await LoadLinksAsync(conn, tx, row.CompanyId, row.Id)).FirstOrDefault()?.InvoiceReceivable, header), LineRules);

    public Task<CustomerCreditModel?> GetAsync(Guid companyId, Guid id) => Access.GetAsync(db, companyId, id);

    public async Task<CustomerCreditModel> CreateAsync(Principal principal, CustomerCreditRequest r)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var (entityId, currency) = await SalesDocumentContext.ResolveNewAsync(conn, tx, companyId, r.Currency, new(ObjectType, r.CompanyEntityId,
            r.CustomerId, null, r.CustomProperties, (r.Lines ?? []).Select(l => l.CustomProperties).ToList()));
        var now = Now;
        var id = Ids.New();
        var linesWithTax = r.AreLinesWithTax ?? true;
        await conn.ExecuteAsync("""
            INSERT INTO customer_credits (company_id, id, company_entity_id, customer_id, status, document_number, description, currency, document_date,
                                          document_template_id, are_lines_with_tax, local_fx_rate, group_fx_rate, amount, custom_properties, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @CustomerId, @status, @documentNumber, @Description, @currency, @DocumentDate, @DocumentTemplateId,
                    @linesWithTax, @LocalCurrencyFxRate, @GroupCurrencyFxRate, @declared, @customProperties::jsonb, @userId, @userId, @now, @now)
            """, new
        {
            companyId, id, entityId, r.CustomerId, status = CustomerCreditStates.Draft, declared = r.Amount ?? 0, documentNumber = r.DocumentNumber?.Trim(),
            r.Description, currency, r.DocumentDate, r.DocumentTemplateId, linesWithTax, r.LocalCurrencyFxRate, r.GroupCurrencyFxRate,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties), userId = principal.UserId, now,
        }, tx);
        var lines = r.Lines ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            var input = CreditLineInput.From(lines[i], linesWithTax, "lines", i);
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, currency, linesWithTax, input.ForPricing, SalesLineFields.Credit(linesWithTax),
                "lines", i);
            await InsertLineAsync(conn, tx, companyId, id, Ids.New(), lines[i], input, priced, now);
        }
        // As bills: the header amount stands until the credit has lines; from then on the total is their sum.
        var total = await SalesLineTable.Credit.UpdateTotalAsync(conn, tx, companyId, id);
        if (lines.Count > 0) SalesDocumentRules.CheckDeclaredAmount(r.Amount, total);
        await tx.CommitWriteAsync();
        return (await LoadModelAsync(conn, null, companyId, id))!;
    }

    /// <summary>PATCH on a draft: present fields change (null clears), absent ones stay. A new currency or tax mode reprices every line.</summary>
    public Task<CustomerCreditModel?> PatchAsync(Principal principal, Guid id, CustomerCreditRequest r, JsonElement body) =>
        Access.PatchHeaderAsync(db, principal.CompanyId, id, new(ObjectType, r.CompanyEntityId, r.CustomerId, null, r.CustomProperties), async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var patch = new PatchSet(body, new { companyId, id, now = Now, userId = principal.UserId })
                .Raw("updated_at = @now").Raw("updated_by = @userId")
                .Columns(r, nameof(r.CompanyEntityId), nameof(r.CustomerId), nameof(r.DocumentDate), nameof(r.AreLinesWithTax), nameof(r.Description),
                    nameof(r.Currency), nameof(r.DocumentTemplateId))
                .Set("documentNumber", "document_number", r.DocumentNumber?.Trim())
                .CustomProperties(r.CustomProperties);
            await conn.ExecuteAsync($"UPDATE customer_credits SET {patch.Clause} WHERE company_id = @companyId AND id = @id", patch.Parameters, tx);

            var total = row.Amount;
            if ((r.Currency is { } c && c != row.Currency) || (r.AreLinesWithTax is { } t && t != row.AreLinesWithTax))
            {
                var current = (await Table.FindAsync(conn, tx, companyId, id))!;
                var lines = await LoadLinesAsync(conn, tx, companyId, id);
                total = await SalesLineTable.Credit.RepriceAsync(conn, tx, companyId, id, current.Currency, current.AreLinesWithTax,
                    lines.Select(l => (l.Id, l.Input.ForPricing)).ToList(), SalesLineFields.Credit(current.AreLinesWithTax), Now);
            }
            if (await SalesLineTable.Credit.HasLinesAsync(conn, tx, companyId, id)) SalesDocumentRules.CheckDeclaredAmount(r.Amount, total);
            else if (patch.Has("amount"))
                await conn.ExecuteAsync("UPDATE customer_credits SET amount = @amount WHERE company_id = @companyId AND id = @id",
                    new { companyId, id, amount = r.Amount ?? 0 }, tx);
        });

    static Task<List<CustomerCreditLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid creditId) =>
        SalesLineTable.Credit.LoadAsync<CustomerCreditLineRow>(conn, tx, companyId, creditId, CustomerCreditLineRow.Columns);

    static Task<CustomerCreditModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        Access.LoadAsync(conn, tx, companyId, id);
}
