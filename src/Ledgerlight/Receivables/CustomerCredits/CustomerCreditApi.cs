using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>Customer credits ("v1 - Customer Credits"): sales credit notes, their posting and their application to sales invoices.</summary>
public static class CustomerCreditApi
{
    static readonly QueryField PostingDate = new("postingDate", CustomerCreditRow.EffectivePostingSql, FieldType.Date);
    static readonly QueryField DocumentDate = new("documentDate", "c.document_date", FieldType.Date, Nullable: true);
    static readonly QueryField Status = new("status", "c.status", FieldType.Enum);

    /// <summary>Sorts and filters as listed in listCustomerCredits' parameter descriptions.</summary>
    public static readonly ListSpec<CustomerCreditRow> Spec = ListFields.Spec<CustomerCreditRow>("customer_credits", "c", CustomerCreditRow.Columns, c => c.Id,
        sortable:
        [
            (new("amount", "c.amount", FieldType.Integer), c => c.Amount),
            (new("businessPartnerName", CustomerCreditRow.CustomerNameSql, FieldType.Text, Nullable: true), c => c.CustomerName),
            (DocumentDate, c => c.DocumentDate),
            (PostingDate, c => c.EffectivePostingDate),
            (Status, c => c.Status),
            (ListFields.CreatedAt("c"), c => c.CreatedAt),
        ],
        filterable:
        [
            new("businessPartnerId", "c.customer_id", FieldType.Uuid, Nullable: true),
            new("companyEntityId", "c.company_entity_id", FieldType.Uuid),
            new("currency", "c.currency", FieldType.Text),
            DocumentDate,
            new("einvoiceStatus", "c.einvoice_status", FieldType.Enum, Nullable: true),
            ListFields.Id("c"),
            PostingDate,
            Status,
            ListFields.UpdatedAt("c"),
        ],
        defaultSort: ("createdAt", SortDirection.Desc));

    const string Root = "/v1/customer-credits";
    const string IdName = "customerCreditId";

    static readonly LinedDocumentEndpoints Documents = new(IdName, "Customer credit", "Customer credit line",
        ["companyEntityId", "currency", "areLinesWithTax"], ["productId", "quantity"],
        "createCustomerCredit", "getCustomerCredit", "updateCustomerCredit", "createCustomerCreditLine", "updateCustomerCreditLine",
        "deleteCustomerCreditLine");

    public static void MapCustomerCreditApi(this IEndpointRouteBuilder app)
    {
        var read = Permissions.Read("customer-credits");
        var write = Permissions.Write("customer-credits");
        var list = app.MapGroup(Root);
        var item = app.MapGroup(Root + "/{customerCreditId}");
        MapList(list, read);
        LinedDocumentApi.Map<CustomerCreditStore, CustomerCreditModel, CustomerCreditRequest, CustomerCreditLineModel, CustomerCreditLineRequest>(
            list, item, Documents, read, write);
        MapLinesAndPosting(item, write);
        MapArchiveAndLinks(item, write);
    }

    static void MapList(RouteGroupBuilder list, string read)
    {
        list.MapList("", async call =>
            {
                var include = QueryFlags.Include(call.Http, "INVOICE_RECEIVABLE");
                var page = await call.PageAsync(Spec);
                var linked = include.Count > 0
                    ? await call.Service<CustomerCreditStore>().LinkedInvoicesAsync(call.CompanyId, page.Records.Select(c => c.Id).ToList())
                    : [];
                // Lines are returned when fetching a single customer credit.
                return ApiResults.Ok(await DocumentCustomProperties.MapPageAsync(call, page, c => c.Id, c => c.CustomPropertiesJson,
                    (c, properties) => c.ToModel(null, linked.GetValueOrDefault(c.Id), properties)));
            })
            .WithName("listCustomerCredits")
            .RequirePermission(read);
    }

    static void MapLinesAndPosting(RouteGroupBuilder item, string write)
    {
        item.MapPost("/post", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var id = Ids.Parse(customerCreditId, IdName);
                var options = await OptionalBodyAsync<PostRequest>(ctx);
                // No e-invoicing network is connected: asking for a submission is refused rather than silently skipped.
                if (options?.ShouldSubmitEInvoice == true)
                    throw ApiException.Unprocessable("E-invoicing is not available on this server; post without shouldSubmitEInvoice", "shouldSubmitEInvoice");
                return ApiResults.Ok(await store.PostAsync(ctx.Principal(), id) ?? throw NotFound());
            })
            .WithName("postCustomerCredit")
            .RequirePermission(write);

        item.MapPost("/post-and-send-email", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var id = Ids.Parse(customerCreditId, IdName);
                var request = await OptionalBodyAsync<PostAndSendRequest>(ctx);
                var v = new Validation();
                if (request?.EmailInfo is not { } email) v.Required(null, "emailInfo");
                else
                {
                    if (email.Recipients is not { Count: > 0 }) v.Add("At least one recipient is required", "emailInfo", "recipients");
                    InvoiceDocuments.EmailLimits.Validate(v, email.Subject, email.ReplyTo, email.Recipients?.ToList<string?>(), email.Cc?.ToList<string?>(),
                        email.CustomMessage, "emailInfo");
                }
                v.ThrowIfAny();
                // No e-invoicing network is connected: a submission asked for is refused (422, as on /post) before anything is
                // posted or queued, rather than the credit being posted and e-mailed without it.
                if (request!.ShouldSubmitEInvoice == true)
                    throw ApiException.Unprocessable("E-invoicing is not available on this server; send without shouldSubmitEInvoice", "shouldSubmitEInvoice");
                // Posted now; the e-mail is queued in the same transaction and sent by the job runner (retried on failure).
                // The header says it is queued, not yet delivered; the body is Light's customer credit.
                var posted = await store.PostAsync(ctx.Principal(), id, request.EmailInfo) ?? throw NotFound();
                ctx.Response.Headers["X-Ledgerlight-Email-Status"] = "QUEUED";
                return ApiResults.Ok(posted);
            })
            .WithName("postAndSendCustomerCredit")
            .RequirePermission(write);
    }

    static void MapArchiveAndLinks(RouteGroupBuilder item, string write)
    {
        item.MapPost("/archive", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
                ApiResults.Ok(await store.ArchiveAsync(ctx.Principal(), Ids.Parse(customerCreditId, IdName)) ?? throw NotFound()))
            .WithName("archiveCustomerCredit")
            .RequirePermission(write);

        item.MapPost("/unarchive", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
                ApiResults.Ok(await store.UnarchiveAsync(ctx.Principal(), Ids.Parse(customerCreditId, IdName)) ?? throw NotFound()))
            .WithName("unarchiveCustomerCredit")
            .RequirePermission(write);

        item.MapPost("/submit-einvoice", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var status = await store.SubmitEInvoiceAsync(ctx.Principal(), Ids.Parse(customerCreditId, IdName)) ?? throw NotFound();
                return ApiResults.Ok(new
                {
                    einvoiceStatus = status,
                    message = "The request is recorded; this server is not connected to an e-invoicing network, so nothing was submitted",
                });
            })
            .WithName("submitCustomerCreditEInvoice")
            .RequirePermission(write);

        // Both link spellings of the spec: .../{invoiceReceivableId} and .../{invoiceReceivableId}/link.
        foreach (var (suffix, name) in new[] { ("/link", "linkCustomerCreditToInvoice"), ("", "linkCustomerCredit") })
        {
            item.MapPost("/invoice-receivables/{invoiceReceivableId}" + suffix,
                    async (string customerCreditId, string invoiceReceivableId, HttpContext ctx, CustomerCreditStore store) =>
                    {
                        var id = Ids.Parse(customerCreditId, IdName);
                        var invoice = Ids.Parse(invoiceReceivableId, "invoiceReceivableId");
                        var request = await OptionalBodyAsync<LinkRequest>(ctx);
                        return ApiResults.Ok(await store.LinkAsync(ctx.Principal(), id, invoice, request?.Amount) ?? throw NotFound());
                    })
                .WithName(name)
                .RequirePermission(write);
        }

        async Task<IResult> Unlink(string customerCreditId, string invoiceReceivableId, HttpContext ctx, CustomerCreditStore store)
        {
            var unlinked = await store.UnlinkAsync(ctx.Principal(), Ids.Parse(customerCreditId, IdName), Ids.Parse(invoiceReceivableId, "invoiceReceivableId"));
            return unlinked ? ApiResults.Ok(new { }) : throw ApiException.NotFound("Customer credit or invoice receivable");
        }
        item.MapPost("/invoice-receivables/{invoiceReceivableId}/unlink", Unlink)
            .WithName("unlinkCustomerCreditFromInvoice")
            .RequirePermission(write);
        item.MapDelete("/invoice-receivables/{invoiceReceivableId}", Unlink)
            .WithName("unlinkCustomerCredit")
            .RequirePermission(write);
    }

    /// <summary>An optional JSON body: null when the request has none.</summary>
    static async Task<T?> OptionalBodyAsync<T>(HttpContext ctx) where T : class
    {
        var bytes = await RequestBody.ReadBytesAsync(ctx);
        if (bytes.Length == 0) return null;
        ctx.Request.Body = new MemoryStream(bytes);
        return await RequestBody.ReadAsync<T>(ctx);
    }

    static ApiException NotFound() => ApiException.NotFound("Customer credit");
}
