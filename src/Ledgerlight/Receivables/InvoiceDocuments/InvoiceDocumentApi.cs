using Ledgerlight.Documents;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>
/// generateInvoiceReceivableDocument and sendInvoiceReceivableEmail, under /v1/invoice-receivables
/// and the /v1/invoices alias (endpoint names suffixed "Alias"), like the rest of the invoice routes.
/// </summary>
public static class InvoiceDocumentApi
{
    static readonly string[] Roots = ["/v1/invoice-receivables", "/v1/invoices"];
    const string Id = "invoiceReceivableId";

    public static void MapInvoiceDocumentApi(this IEndpointRouteBuilder app)
    {
        foreach (var root in Roots) Map(app, root, root == Roots[0] ? "" : "Alias");
    }

    static void Map(IEndpointRouteBuilder app, string root, string suffix)
    {
        var write = Permissions.Write("receivables");
        var item = app.MapGroup(root + "/{invoiceReceivableId}");

        // Generated synchronously: the answer is READY with a fresh signed URL (never GENERATING).
        item.MapPost("/document", async (string invoiceReceivableId, HttpContext ctx, InvoiceDocumentStore store, SignedUrls urls) =>
                ApiResults.Ok(await store.GenerateAsync(ctx.Principal().CompanyId, Ids.Parse(invoiceReceivableId, Id), urls, ctx.RequestAborted)
                              ?? throw NotFound()))
            .WithName("generateInvoiceReceivableDocument" + suffix)
            .RequirePermission(write);

        item.MapPost("/send-email", async (string invoiceReceivableId, HttpContext ctx, InvoiceDocumentStore store) =>
            {
                var id = Ids.Parse(invoiceReceivableId, Id);
                var bytes = await RequestBody.ReadBytesAsync(ctx);
                var request = InvoiceEmailRequest.Defaults;
                if (bytes.Length > 0)
                {
                    ctx.Request.Body = new MemoryStream(bytes);
                    request = await RequestBody.ReadAsync<InvoiceEmailRequest>(ctx);
                }
                var v = new Validation();
                request.Validate(v);
                v.ThrowIfAny();
                return ApiResults.Ok(await store.QueueEmailAsync(ctx.Principal(), id, request) ?? throw NotFound());
            })
            .WithName("sendInvoiceReceivableEmail" + suffix)
            .RequirePermission(write);
    }

    static ApiException NotFound() => ApiException.NotFound("Invoice receivable");
}
