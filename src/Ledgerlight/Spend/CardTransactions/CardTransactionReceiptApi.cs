using Ledgerlight.Documents;

namespace Ledgerlight.Spend.CardTransactions;

/// <summary>ExternalTransactionReceiptUploadUrlRequestV1Model.</summary>
public sealed record ReceiptUploadUrlRequest(string? Filename, string? ContentType);

/// <summary>ExternalCardTransactionReceiptUploadUrlResponseV1Model.</summary>
public sealed record ReceiptUploadUrlResponse(string UploadUrl, string Key, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// A card transaction's receipt through the signed-URL blob store: the upload URL names the blob that becomes the
/// receipt (the client PUTs the file there), the download answers with a redirect to a short-lived signed URL once
/// the file has arrived, and DELETE detaches it. A receipt is descriptive: it may change in any state.
/// </summary>
public static class CardTransactionReceiptApi
{
    const string Purpose = "receipts";

    public static void MapCardTransactionReceiptApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/card-transactions/{cardTransactionId}/receipt-upload-url",
                async (string cardTransactionId, HttpContext ctx, NpgsqlDataSource db, SignedUrls urls, TimeProvider clock) =>
                {
                    var id = Ids.Parse(cardTransactionId, "cardTransactionId");
                    var r = await RequestBody.ReadValidAsync<ReceiptUploadUrlRequest>(ctx,
                        (x, v) => SignedUrls.CheckUpload(v, x.ContentType, required: true, x.Filename, "filename"));

                    var companyId = ctx.Principal().CompanyId;
                    var upload = urls.ForUpload(companyId, Purpose, r.ContentType);
                    await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                    await SetReceiptAsync(conn, companyId, id, upload.BlobKey, clock.GetUtcNow().UtcDateTime);
                    var metadata = new Dictionary<string, string> { ["Content-Type"] = upload.ContentType! };
                    if (r.Filename is { } name) metadata["filename"] = name;
                    return ApiResults.Ok(new ReceiptUploadUrlResponse(upload.Url, upload.BlobKey, metadata));
                })
            .WithName("generateUploadUrlForCardTransaction")
            .RequirePermission(Permissions.Write(CardTransactionApi.Area));

        app.MapGet("/v1/card-transactions/{transactionId}/receipt",
                async (string transactionId, HttpContext ctx, NpgsqlDataSource db, SignedUrls urls) =>
                {
                    var companyId = ctx.Principal().CompanyId;
                    await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                    var key = await ReceiptKeyAsync(conn, companyId, transactionId);
                    if (await urls.FindUploadAsync(companyId, key, conn) is null) throw ApiException.NotFound("Receipt of this card transaction");
                    return Results.Redirect(urls.ForDownload(key).Url);
                })
            .WithName("getAttachedCardTransactionReceiptDocument")
            .RequirePermission(Permissions.Read(CardTransactionApi.Area));

        app.MapDelete("/v1/card-transactions/{transactionId}/receipt",
                async (string transactionId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
                {
                    var id = Ids.Parse(transactionId, "transactionId");
                    var companyId = ctx.Principal().CompanyId;
                    await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                    await ReceiptKeyAsync(conn, companyId, transactionId);
                    await SetReceiptAsync(conn, companyId, id, null, clock.GetUtcNow().UtcDateTime);
                    return ApiResults.Ok(await CardTransactionStore.LoadModelAsync(conn, null, companyId, id));
                })
            .WithName("removeReceipt")
            .RequirePermission(Permissions.Write(CardTransactionApi.Area));
    }

    /// <summary>The transaction's receipt key: 404 for another company's (or no) transaction, and for one without a receipt.</summary>
    static async Task<string> ReceiptKeyAsync(NpgsqlConnection conn, Guid companyId, string transactionId)
    {
        var row = await CardTransactionRow.Table.FindAsync(conn, null, companyId, Ids.Parse(transactionId, "transactionId"))
                  ?? throw ApiException.NotFound("Card transaction");
        return row.ReceiptDocumentKey ?? throw ApiException.NotFound("Receipt of this card transaction");
    }

    static async Task SetReceiptAsync(NpgsqlConnection conn, Guid companyId, Guid id, string? key, DateTime now)
    {
        var updated = await conn.ExecuteAsync(
            "UPDATE card_transactions SET receipt_document_key = @key, updated_at = @now WHERE company_id = @companyId AND id = @id",
            new { companyId, id, key, now });
        if (updated == 0) throw ApiException.NotFound("Card transaction");
    }
}
