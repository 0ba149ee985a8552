using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>
/// Sales invoices ("v1 - Invoice Receivables"), served under /v1/invoice-receivables and under the
/// overview seed's /v1/invoices alias (same handlers, endpoint names suffixed "Alias").
/// </summary>
public static class InvoiceApi
{
    static readonly QueryField CompanyEntityId = new("companyEntityId", "i.company_entity_id", FieldType.Uuid);
    static readonly QueryField OpenedAt = new("openedAt", "i.opened_at", FieldType.Timestamp, Nullable: true);
    static readonly QueryField DueDate = new("dueDate", "i.due_date", FieldType.Date, Nullable: true);
    static readonly QueryField EffectiveInvoiceDate = new("effectiveInvoiceDate", InvoiceRow.EffectiveInvoiceSql, FieldType.Date);
    static readonly QueryField InvoiceDate = new("invoiceDate", "i.invoice_date", FieldType.Date, Nullable: true);
    static readonly QueryField PostingDate = new("postingDate", InvoiceRow.EffectivePostingSql, FieldType.Date);
    static readonly QueryField State = new("state", "i.state", FieldType.Enum);
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt("i");

    /// <summary>Sorts and filters as listed in listInvoiceReceivables' parameter descriptions.</summary>
    public static readonly ListSpec<InvoiceRow> Spec = ListFields.Spec<InvoiceRow>("invoice_receivables", "i", InvoiceRow.Columns, i => i.Id,
        sortable:
        [
            (new("amount", "i.amount", FieldType.Integer), i => i.Amount),
            (CompanyEntityId, i => i.CompanyEntityId),
            (ListFields.CreatedAt("i"), i => i.CreatedAt),
            (new("customer", InvoiceRow.CustomerNameSql, FieldType.Text, Nullable: true), i => i.CustomerName),
            (new("description", "i.description", FieldType.Text, Nullable: true), i => i.Description),
            (DueDate, i => i.DueDate),
            (EffectiveInvoiceDate, i => i.EffectiveInvoiceDate),
            (InvoiceDate, i => i.InvoiceDate),
            (new("invoiceNumber", "i.invoice_number", FieldType.Text, Nullable: true), i => i.InvoiceNumber),
            (OpenedAt, i => i.OpenedAt),
            (PostingDate, i => i.EffectivePostingDate),
            (State, i => i.State),
            (UpdatedAt, i => i.UpdatedAt),
        ],
        filterable:
        [
            CompanyEntityId,
            new("contractId", "i.contract_id", FieldType.Uuid, Nullable: true),
            new("currency", "i.currency", FieldType.Text),
            new("customerId", "i.customer_id", FieldType.Uuid, Nullable: true),
            new("invoiceTemplateId", "i.invoice_template_id", FieldType.Uuid, Nullable: true),
            new("payeeBankAccountId", "i.payee_bank_account_id", FieldType.Uuid, Nullable: true),
            new("paymentType", "i.payment_type", FieldType.Enum, Nullable: true),
            OpenedAt,
            new("documentNumber", "i.invoice_number", FieldType.Text, Nullable: true),
            // The accounting document's status: POSTED while the invoice's opening posting stands, else none.
            new("documentStatus", "(CASE WHEN i.posted_transaction_id IS NOT NULL THEN 'POSTED' END)", FieldType.Enum, Nullable: true),
            DueDate,
            EffectiveInvoiceDate,
            // E-invoicing is not implemented: no invoice has an e-invoice status.
            new("einvoiceStatus", "(NULL::text)", FieldType.Enum, Nullable: true),
            ListFields.Id("i"),
            InvoiceDate,
            PostingDate,
            State,
            UpdatedAt,
        ],
        defaultSort: ("createdAt", SortDirection.Desc));

    static readonly string[] Roots = ["/v1/invoice-receivables", "/v1/invoices"];
    const string Id = "invoiceReceivableId";

    static readonly LinedDocumentEndpoints Documents = new(Id, "Invoice receivable", "Invoice line",
        ["companyEntityId", "currency", "areLinesWithTax"], ["productId", "quantity"],
        "createInvoice", "getInvoiceReceivable", "updateInvoiceReceivable", "createInvoiceLine", "updateInvoiceLine", "deleteInvoiceLine");

    public static void MapInvoiceApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in Roots) Map(app, root, root == Roots[0] ? "" : "Alias");
    }

    static void Map(IEndpointRouteBuilder app, string root, string suffix)
    {
        var read = Permissions.Read("receivables");
        var write = Permissions.Write("receivables");
        var list = app.MapGroup(root);
        var item = app.MapGroup(root + "/{invoiceReceivableId}");
        MapList(list, read, suffix);
        LinedDocumentApi.Map<InvoiceStore, InvoiceModel, InvoiceRequest, InvoiceLineModel, InvoiceLineRequest>(list, item, Documents.Suffixed(suffix), read, write);
        MapLinesAndStates(item, write, suffix);
        MapPayments(item, read, write, suffix);
    }

    static void MapList(RouteGroupBuilder list, string read, string suffix)
    {
        // Lines are only returned when fetching a single invoice (Light's model description).
        list.MapList("", async call => ApiResults.Ok(await DocumentCustomProperties.MapPageAsync(call, await call.PageAsync(Spec),
                i => i.Id, i => i.CustomPropertiesJson, (i, properties) => i.ToModel(null, properties))))
            .WithName("listInvoiceReceivables" + suffix)
            .RequirePermission(read);
    }

    static void MapLinesAndStates(RouteGroupBuilder item, string write, string suffix)
    {
        item.MapPost("/open",
                async (string invoiceReceivableId, HttpContext ctx, InvoiceStore store, InvoiceDocuments.InvoiceDocumentStore documents) =>
            {
                var id = Ids.Parse(invoiceReceivableId, Id);
                // The body is optional: shouldSendEmail queues the invoice e-mail as emailInfo composes it (recipients, cc, subject,
                // replyTo, customMessage; the customer's stored addresses and the default subject fill what it leaves out);
                // e-invoicing is out of scope (422).
                var bytes = await RequestBody.ReadBytesAsync(ctx);
                var sendEmail = false;
                var email = InvoiceDocuments.InvoiceEmailRequest.Defaults;
                if (bytes.Length > 0)
                {
                    ctx.Request.Body = new MemoryStream(bytes);
                    var options = await RequestBody.ReadAsync<OpenRequest>(ctx);
                    email = options.EmailInfo ?? email;
                    // The same bounds as send-email (a 400 naming the field), before anything is opened.
                    var shape = new Validation();
                    email.Validate(shape, "emailInfo");
                    shape.ThrowIfAny();
                    var v = new Validation();
                    if (options.ShouldSubmitEInvoice == true) v.Add("E-invoicing is not supported", "shouldSubmitEInvoice");
                    sendEmail = options.ShouldSendEmail == true;
                    // Checked before opening, so a request that cannot be e-mailed changes nothing; the customer's stored
                    // addresses are needed only when emailInfo names no recipient.
                    if (sendEmail && !email.HasRecipients && !await documents.HasDefaultRecipientsAsync(ctx.Principal().CompanyId, id))
                        v.Add("The customer has no recipientEmails or email to send the invoice to; give emailInfo.recipients", "shouldSendEmail");
                    v.ThrowIfAny(422, "The requested opening options cannot be carried out");
                }
                var opened = await store.OpenAsync(ctx.Principal(), id) ?? throw NotFound();
                if (sendEmail) await documents.QueueEmailAsync(ctx.Principal(), id, email);
                return ApiResults.Ok(opened);
            })
            .WithName("openInvoiceReceivable" + suffix)
            .RequirePermission(write);

        item.MapPost("/reset", async (string invoiceReceivableId, HttpContext ctx, InvoiceStore store) =>
                ApiResults.Ok(await store.ResetAsync(ctx.Principal(), Ids.Parse(invoiceReceivableId, Id)) ?? throw NotFound()))
            .WithName("resetInvoiceReceivable" + suffix)
            .RequirePermission(write);

        item.MapPost("/archive", async (string invoiceReceivableId, HttpContext ctx, InvoiceStore store) =>
                ApiResults.Ok(await store.ArchiveAsync(ctx.Principal(), Ids.Parse(invoiceReceivableId, Id)) ?? throw NotFound()))
            .WithName("archiveInvoiceReceivable" + suffix)
            .RequirePermission(write);
    }

    static void MapPayments(RouteGroupBuilder item, string read, string write, string suffix)
    {
        item.MapPost("/unarchive", async (string invoiceReceivableId, HttpContext ctx, InvoiceStore store) =>
                ApiResults.Ok(await store.UnarchiveAsync(ctx.Principal(), Ids.Parse(invoiceReceivableId, Id)) ?? throw NotFound()))
            .WithName("unarchiveInvoiceReceivable" + suffix)
            .RequirePermission(write);

        item.MapPost("/payments", async (string invoiceReceivableId, HttpContext ctx, InvoiceStore store) =>
            {
                var id = Ids.Parse(invoiceReceivableId, Id);
                var request = await RequestBody.ReadAsync<PaymentRequest>(ctx);
                return ApiResults.Ok(await store.RecordPaymentAsync(ctx.Principal(), id, request) ?? throw NotFound());
            })
            .WithName("recordInvoicePayment" + suffix)
            .RequirePermission(write);

        item.MapGet("/payments", async (string invoiceReceivableId, HttpContext ctx, InvoiceStore store) =>
                ApiResults.Ok(await store.ListPaymentsAsync(ctx.Principal().CompanyId, Ids.Parse(invoiceReceivableId, Id)) ?? throw NotFound()))
            .WithName("listInvoiceReceivablePayments" + suffix)
            .RequirePermission(read);
    }

    static ApiException NotFound() => ApiException.NotFound("Invoice receivable");

    /// <summary>ExternalInitInvoiceReceivableOpenRequestV1Model.</summary>
    sealed record OpenRequest(InvoiceDocuments.InvoiceEmailRequest? EmailInfo, bool? ShouldSendEmail, bool? ShouldSubmitEInvoice);
}
