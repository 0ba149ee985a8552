using Ledgerlight.Documents;

namespace Ledgerlight.Payables.InvoicePayables;

public sealed record UploadBillDocumentRequest(string? DocumentName, string? ContentType);

public sealed record BillDocumentUploadUrl(string UploadUrl, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// The bill's document: an upload URL signed by this server (the client PUTs the file there), and
/// the download, answered with a redirect to a short-lived signed URL.
/// </summary>
public static class BillDocumentApi
{
    /// <param name="bill">The group at /v1/invoice-payables/{invoicePayableId}.</param>
    public static void MapBillDocumentApi(this IEndpointRouteBuilder bill)
    {
        bill.MapPost("/document/upload-url",
                async (string invoicePayableId, HttpContext ctx, NpgsqlDataSource db, SignedUrls urls, TimeProvider clock) =>
                {
                    var billId = Ids.Parse(invoicePayableId, "invoicePayableId");
                    var r = await RequestBody.ReadValidAsync<UploadBillDocumentRequest>(ctx,
                        (x, v) => SignedUrls.CheckUpload(v, x.ContentType, required: true, x.DocumentName, "documentName"));

                    var companyId = ctx.Principal().CompanyId;
                    await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                    await RequireBillAsync(conn, companyId, billId);
                    var upload = urls.ForUpload(companyId, "bills", r.ContentType);
                    await conn.ExecuteAsync("""
                        INSERT INTO invoice_payable_documents (company_id, id, invoice_payable_id, blob_key, document_name, content_type, created_at)
                        VALUES (@companyId, @id, @billId, @BlobKey, @name, @ContentType, @now)
                        """, new { companyId, id = Ids.New(), billId, upload.BlobKey, name = r.DocumentName, upload.ContentType, now = clock.GetUtcNow().UtcDateTime });
                    return ApiResults.Ok(new BillDocumentUploadUrl(upload.Url, new Dictionary<string, string> { ["Content-Type"] = upload.ContentType! }));
                })
            .WithName("createInvoicePayableDocumentUploadUrl")
            .RequirePermission(Permissions.Write("payables"));

        bill.MapGet("/document",
                async (string invoicePayableId, HttpContext ctx, NpgsqlDataSource db, SignedUrls urls) =>
                {
                    var billId = Ids.Parse(invoicePayableId, "invoicePayableId");
                    var companyId = ctx.Principal().CompanyId;
                    await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                    await RequireBillAsync(conn, companyId, billId);
                    var keys = await conn.QueryAsync<string>("""
                        SELECT blob_key FROM invoice_payable_documents WHERE company_id = @companyId AND invoice_payable_id = @billId
                         ORDER BY created_at DESC LIMIT 20
                        """, new { companyId, billId });
                    foreach (var key in keys)
                        if (await urls.FindUploadAsync(companyId, key, conn) is not null)
                            return Results.Redirect(urls.ForDownload(key).Url);
                    throw ApiException.NotFound("Document of this invoice payable");
                })
            .WithName("getInvoicePayableDocument")
            .RequirePermission(Permissions.Read("payables"));
    }

    static async Task RequireBillAsync(NpgsqlConnection conn, Guid companyId, Guid billId)
    {
        if (await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoice_payables WHERE company_id = @companyId AND id = @billId",
                new { companyId, billId }) == 0)
            throw ApiException.NotFound("Invoice payable");
    }
}

public sealed record UpdateBillCustomPropertiesRequest(IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

public static class BillCustomPropertyApi
{
    /// <param name="bill">The group at /v1/invoice-payables/{invoicePayableId}.</param>
    public static void MapBillCustomPropertyApi(this IEndpointRouteBuilder bill)
    {
        bill.MapPatch("/custom-properties",
                async (string invoicePayableId, HttpContext ctx, BillStore store) =>
                {
                    var id = Ids.Parse(invoicePayableId, "invoicePayableId");
                    var r = await RequestBody.ReadAsync<UpdateBillCustomPropertiesRequest>(ctx);
                    return ApiResults.Ok(await store.ReplaceCustomPropertiesAsync(ctx.Principal().CompanyId, id, r.CustomProperties)
                                         ?? throw ApiException.NotFound("Invoice payable"));
                })
            .WithName("updateInvoicePayableCustomProperties")
            .RequirePermission(Permissions.Write("payables"));
    }
}
