using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>
/// Sales invoices: loading and writing the header. Lines (InvoiceLines.cs), the lifecycle that reaches the ledger
/// (InvoiceTransitions.cs) and payments (InvoicePayments.cs) are the other parts of this class; every write locks the
/// invoice row first (<see cref="DocumentCommand"/>) and posts through the <see cref="PostingEngine"/> in the same transaction.
/// </summary>
public sealed partial class InvoiceStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
    : ILinedDocumentStore<InvoiceModel, InvoiceRequest, InvoiceLineModel, InvoiceLineRequest>
{
    public static readonly DocumentTable<InvoiceRow> Table = new("invoice_receivables", "i", InvoiceRow.Columns);

    /// <summary>The custom property object type of sales invoices and their lines.</summary>
    const string ObjectType = "INVOICE";

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Every line write refuses a non-draft invoice; an invoice has at most <see cref="InvoiceRequest.MaxLines"/> lines.</summary>
    static readonly SalesLineRules<InvoiceRow> LineRules = new(ObjectType, row => InvoiceLifecycle.Machine.Ensure(row.State, InvoiceAction.Edit),
        (conn, tx, companyId, invoiceId) => SalesLineTable.Invoice.EnsureRoomAsync(conn, tx, companyId, invoiceId, InvoiceRequest.MaxLines));

    static readonly SalesDocumentAccess<InvoiceRow, InvoiceLineRow, InvoiceLineModel, InvoiceModel> Access =
        new(Table, LoadLinesAsync, (_, _, row, lines, header) => Task.FromResult(row.ToModel(lines, header)), LineRules);

    public Task<InvoiceModel?> GetAsync(Guid companyId, Guid id) => Access.GetAsync(db, companyId, id);

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
        var (entityId, currency) = await SalesDocumentContext.ResolveNewAsync(conn, tx, companyId, r.Currency, new(ObjectType, r.CompanyEntityId,
            r.CustomerId, r.PayeeBankAccountId, r.CustomProperties, (r.Lines ?? []).Select(l => l.CustomProperties).ToList()));

        var now = Now;
        var id = Ids.New();
        var dueDate = r.DueDate ?? (r.NetTerms is { } terms ? (r.InvoiceDate ?? DateOnly.FromDateTime(now)).AddDays(terms) : null);
        await UniqueNumber(() => conn.ExecuteAsync("""
            INSERT INTO invoice_receivables (company_id, id, company_entity_id, customer_id, contract_id, state, invoice_number, description, currency, payment_type,
                                             payee_bank_account_id, invoice_date, posting_date, due_date, net_terms, invoice_template_id,
                                             invoice_template_additional_text, po_number, reference, are_lines_with_tax, local_fx_rate, group_fx_rate,
                                             custom_properties, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @CustomerId, @contractId, @state, @InvoiceNumber, @Description, @currency, @PaymentType, @PayeeBankAccountId,
                    @InvoiceDate, @PostingDate, @dueDate, @NetTerms, @InvoiceTemplateId, @InvoiceTemplateAdditionalText, @PoNumber, @Reference,
                    @linesWithTax, @LocalCurrencyFxRate, @GroupCurrencyFxRate, @customProperties::jsonb, @userId, @userId, @now, @now)
            """, new
        {
            companyId, id, entityId, r.CustomerId, contractId, state = InvoiceStates.Draft, InvoiceNumber = r.InvoiceNumber?.Trim(), r.Description, currency,
            r.PaymentType, r.PayeeBankAccountId, r.InvoiceDate, r.PostingDate, dueDate, r.NetTerms, r.InvoiceTemplateId, r.InvoiceTemplateAdditionalText,
            r.PoNumber, r.Reference, linesWithTax = r.AreLinesWithTax ?? true, r.LocalCurrencyFxRate, r.GroupCurrencyFxRate,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties), userId = principal.UserId, now,
        }, tx));
        var lines = r.Lines ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, currency, r.AreLinesWithTax ?? true, InputOf(lines[i]),
                SalesLineFields.Invoice, "lines", i);
            await InsertLineAsync(conn, tx, companyId, id, Ids.New(), lines[i], priced, now);
        }
        await SalesLineTable.Invoice.UpdateTotalAsync(conn, tx, companyId, id);
        return id;
    }

    /// <summary>PATCH on a draft: present fields change (null clears), absent ones stay. A new currency or tax mode reprices every line.</summary>
    public Task<InvoiceModel?> PatchAsync(Principal principal, Guid id, InvoiceRequest r, JsonElement body) =>
        Access.PatchHeaderAsync(db, principal.CompanyId, id, new(ObjectType, r.CompanyEntityId, r.CustomerId, r.PayeeBankAccountId, r.CustomProperties),
            async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var patch = HeaderPatch(principal, id, r, body, row);
            await UniqueNumber(() => conn.ExecuteAsync($"UPDATE invoice_receivables SET {patch.Clause} WHERE company_id = @companyId AND id = @id",
                patch.Parameters, tx));
            if ((r.Currency is { } c && c != row.Currency) || (r.AreLinesWithTax is { } t && t != row.AreLinesWithTax))
            {
                var current = (await Table.FindAsync(conn, tx, companyId, id))!;
                var lines = await LoadLinesAsync(conn, tx, companyId, id);
                await SalesLineTable.Invoice.RepriceAsync(conn, tx, companyId, id, current.Currency, current.AreLinesWithTax,
                    lines.Select(l => (l.Id, l.Input)).ToList(), SalesLineFields.Invoice, Now);
            }
        });

    PatchSet HeaderPatch(Principal principal, Guid id, InvoiceRequest r, JsonElement body, InvoiceRow row)
    {
        var patch = new PatchSet(body, new { companyId = principal.CompanyId, id, now = Now, userId = principal.UserId })
            .Raw("updated_at = @now").Raw("updated_by = @userId")
            .Columns(r, nameof(r.CompanyEntityId), nameof(r.Currency), nameof(r.PaymentType), nameof(r.InvoiceDate), nameof(r.PostingDate),
                nameof(r.CustomerId), nameof(r.AreLinesWithTax), nameof(r.NetTerms), nameof(r.PayeeBankAccountId), nameof(r.InvoiceTemplateId),
                nameof(r.Description), nameof(r.PoNumber), nameof(r.Reference), nameof(r.InvoiceTemplateAdditionalText))
            .Set("invoiceNumber", "invoice_number", r.InvoiceNumber?.Trim())
            .CustomProperties(r.CustomProperties);
        if (patch.Has("dueDate")) patch.Columns(r, nameof(r.DueDate));
        else if (r.NetTerms is { } terms)
        {
            // netTerms sets the due date from the invoice date (the new one if sent).
            var from = (patch.Has("invoiceDate") ? r.InvoiceDate : row.InvoiceDate) ?? DateOnly.FromDateTime(Now);
            patch.Always("due_date", "derivedDue", from.AddDays(terms));
        }
        return patch;
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

    static Task<List<InvoiceLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid invoiceId) =>
        SalesLineTable.Invoice.LoadAsync<InvoiceLineRow>(conn, tx, companyId, invoiceId, InvoiceLineRow.Columns);

    static Task<InvoiceModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        Access.LoadAsync(conn, tx, companyId, id);
}
