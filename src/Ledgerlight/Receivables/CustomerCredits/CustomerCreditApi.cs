using Ledgerlight.Documents.Kernel;
using System.Text.Json;
using Ledgerlight.Platform;
using Ledgerlight.Receivables.SalesDocuments;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.Query;
using Npgsql;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>Customer credits ("v1 - Customer Credits"): sales credit notes, their posting and their application to sales invoices.</summary>
public static class CustomerCreditApi
{
    static readonly QueryField PostingDate = new("postingDate", CustomerCreditRow.EffectivePostingSql, FieldType.Date);
    static readonly QueryField DocumentDate = new("documentDate", "c.document_date", FieldType.Date, Nullable: true);
    static readonly QueryField Status = new("status", "c.status", FieldType.Enum);

    /// <summary>Sorts and filters as listed in listCustomerCredits' parameter descriptions.</summary>
    public static readonly ListSpec<CustomerCreditRow> Spec = new()
    {
        From = "customer_credits c",
        Select = CustomerCreditRow.Columns,
        CompanyColumn = "c.company_id",
        Id = new("id", "c.id", FieldType.Uuid),
        IdOf = c => c.Id,
        Sortable =
        [
            (new("amount", "c.amount", FieldType.Integer), c => c.Amount),
            (new("businessPartnerName", CustomerCreditRow.CustomerNameSql, FieldType.Text, Nullable: true), c => c.CustomerName),
            (DocumentDate, c => c.DocumentDate),
            (PostingDate, c => c.EffectivePostingDate),
            (Status, c => c.Status),
            (new("createdAt", "c.created_at", FieldType.Timestamp), c => c.CreatedAt),
        ],
        Filterable =
        [
            new("businessPartnerId", "c.customer_id", FieldType.Uuid, Nullable: true),
            new("companyEntityId", "c.company_entity_id", FieldType.Uuid),
            new("currency", "c.currency", FieldType.Text),
            DocumentDate,
            new("einvoiceStatus", "c.einvoice_status", FieldType.Enum, Nullable: true),
            new("id", "c.id", FieldType.Uuid),
            PostingDate,
            Status,
            new("updatedAt", "c.updated_at", FieldType.Timestamp),
        ],
        DefaultSort = ("createdAt", SortDirection.Desc),
    };

    const string Root = "/v1/customer-credits";
    const string IdName = "customerCreditId";

    public static void MapCustomerCreditApi(this IEndpointRouteBuilder app)
    {
        var read = Permissions.Read("customer-credits");
        var write = Permissions.Write("customer-credits");
        var list = app.MapGroup(Root);
        var item = app.MapGroup(Root + "/{customerCreditId}");
        MapDocument(list, item, read, write);
        MapLinesAndPosting(item, write);
        MapArchiveAndLinks(item, write);
    }

    static void MapDocument(RouteGroupBuilder list, RouteGroupBuilder item, string read, string write)
    {
        list.MapGet("", async (HttpContext ctx, NpgsqlDataSource db, CustomerCreditStore store) =>
            {
                var include = ctx.Request.Query["include"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
                foreach (var value in include)
                    if (value != "INVOICE_RECEIVABLE") throw ApiException.BadRequest("'include' supports INVOICE_RECEIVABLE only", "include");
                var principal = ctx.Principal();
                var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), principal.CompanyId, ct: ctx.RequestAborted);
                var linked = include.Count > 0
                    ? await store.LinkedInvoicesAsync(principal.CompanyId, page.Records.Select(c => c.Id).ToList())
                    : [];
                var byId = await DocumentCustomProperties.ResolvePageAsync(db, principal.CompanyId, page.Records, c => c.Id, c => c.CustomPropertiesJson);
                // Lines are returned when fetching a single customer credit.
                return ApiResults.Ok(page.Map(c => c.ToModel(null, linked.GetValueOrDefault(c.Id), byId[c.Id])));
            })
            .WithName("listCustomerCredits")
            .RequirePermission(read);

        list.MapPost("", async (HttpContext ctx, CustomerCreditStore store) =>
            {
                var request = await RequestBody.ReadAsync<CustomerCreditRequest>(ctx);
                var v = new Validation();
                request.Validate(v);
                v.ThrowIfAny();
                return ApiResults.Ok(await store.CreateAsync(ctx.Principal(), request));
            })
            .WithName("createCustomerCredit")
            .RequirePermission(write);

        item.MapGet("", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(customerCreditId, IdName)) ?? throw NotFound()))
            .WithName("getCustomerCredit")
            .RequirePermission(read);

        item.MapPatch("", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var id = Ids.Parse(customerCreditId, IdName);
                var (request, body) = await RequestBody.ReadWithRootAsync<CustomerCreditRequest>(ctx);
                var v = new Validation();
                PatchSet.RefuseClearing(body, v, ["companyEntityId", "currency", "areLinesWithTax"]);
                if (body.TryGetProperty("lines", out _)) v.Add("Lines are changed through the customer credit's /lines endpoints", "lines");
                request.Validate(v);
                v.ThrowIfAny();
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, body) ?? throw NotFound());
            })
            .WithName("updateCustomerCredit")
            .RequirePermission(write);

        item.MapPost("/lines", async (string customerCreditId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var id = Ids.Parse(customerCreditId, IdName);
                var request = await RequestBody.ReadAsync<CustomerCreditLineRequest>(ctx);
                var v = new Validation();
                request.Validate(v, isCreate: true);
                v.ThrowIfAny();
                return ApiResults.Ok(await store.CreateLineAsync(ctx.Principal(), id, request) ?? throw NotFound());
            })
            .WithName("createCustomerCreditLine")
            .RequirePermission(write);
    }

    static void MapLinesAndPosting(RouteGroupBuilder item, string write)
    {
        item.MapPatch("/lines/{lineId}", async (string customerCreditId, string lineId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var id = Ids.Parse(customerCreditId, IdName);
                var line = Ids.Parse(lineId, "lineId");
                var (request, body) = await RequestBody.ReadWithRootAsync<CustomerCreditLineRequest>(ctx);
                var v = new Validation();
                PatchSet.RefuseClearing(body, v, ["productId", "quantity"]);
                request.Validate(v, isCreate: false);
                v.ThrowIfAny();
                return ApiResults.Ok(await store.UpdateLineAsync(ctx.Principal(), id, line, request, body) ?? throw ApiException.NotFound("Customer credit line"));
            })
            .WithName("updateCustomerCreditLine")
            .RequirePermission(write);

        item.MapDelete("/lines/{lineId}", async (string customerCreditId, string lineId, HttpContext ctx, CustomerCreditStore store) =>
            {
                var deleted = await store.DeleteLineAsync(ctx.Principal(), Ids.Parse(customerCreditId, IdName), Ids.Parse(lineId, "lineId"));
                // Light documents no body for this 200; an empty object keeps every 200 a JSON document.
                return deleted ? ApiResults.Ok(new { }) : throw ApiException.NotFound("Customer credit line");
            })
            .WithName("deleteCustomerCreditLine")
            .RequirePermission(write);

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
                if (request?.EmailInfo?.ShouldSubmitEInvoice == true)
                    v.Add("E-invoicing is not available on this server; send without shouldSubmitEInvoice", "emailInfo", "shouldSubmitEInvoice");
                v.ThrowIfAny();
                // Posted now; the e-mail is queued in the same transaction and sent by the job runner (retried on failure).
                // The header says it is queued, not yet delivered; the body is Light's customer credit.
                var posted = await store.PostAsync(ctx.Principal(), id, request!.EmailInfo) ?? throw NotFound();
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
