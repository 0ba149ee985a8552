using Ledgerlight.Documents;

namespace Ledgerlight.Spend.CardTransactions;

/// <summary>ExternalTransactionReceiptUploadUrlRequestV1Model.</summary>
public sealed record ReceiptUploadUrlRequest(string? Filename, string? ContentType);

/// <summary>ExternalCardTransactionReceiptUploadUrlResponseV1Model.</summary>
public sealed record ReceiptUploadUrlResponse(string UploadUrl, string Key, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// A card transaction's receipt through the signed-URL blob store: the upload URL names the blob that becomes the
/// receipt once the client has PUT the file there (<see cref="CardTransactionRow.ReceiptKeySql"/>; until then the
/// receipt attached before stays), the download answers with a redirect to a short-lived signed URL, and DELETE
/// detaches the receipt and drops an upload not yet made. A receipt is descriptive: it may change in any state.
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
                    await AwaitReceiptAsync(conn, companyId, id, upload.BlobKey, clock.GetUtcNow().UtcDateTime);
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
                    var key = (await FindAsync(conn, companyId, transactionId)).ReceiptDocumentKey ?? throw NoReceipt();
                    if (await urls.FindUploadAsync(companyId, key, conn) is null) throw NoReceipt();
                    return Results.Redirect(urls.ForDownload(key).Url);
                })
            .WithName("getAttachedCardTransactionReceiptDocument")
            .RequirePermission(Permissions.Read(CardTransactionApi.Area));
        app.MapDownloadOptions("/v1/card-transactions/{transactionId}/receipt", "GET, DELETE, OPTIONS")
            .WithName("getCardTransactionReceiptOptions")
            .RequirePermission(Permissions.Read(CardTransactionApi.Area));

        app.MapDelete("/v1/card-transactions/{transactionId}/receipt",
                async (string transactionId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
                {
                    var id = Ids.Parse(transactionId, "transactionId");
                    var companyId = ctx.Principal().CompanyId;
                    await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                    var row = await FindAsync(conn, companyId, transactionId);
                    if (row.ReceiptDocumentKey is null && row.ReceiptPendingKey is null) throw NoReceipt();
                    await conn.ExecuteAsync("""
                        UPDATE card_transactions SET receipt_document_key = NULL, receipt_pending_key = NULL, updated_at = @now
                         WHERE company_id = @companyId AND id = @id
                        """, new { companyId, id, now = clock.GetUtcNow().UtcDateTime });
                    return ApiResults.Ok(await CardTransactionStore.LoadModelAsync(conn, null, companyId, id));
                })
            .WithName("removeReceipt")
            .RequirePermission(Permissions.Write(CardTransactionApi.Area));
    }

    /// <summary>The transaction (its receipt and pending upload): 404 for another company's or no transaction.</summary>
    static async Task<CardTransactionRow> FindAsync(NpgsqlConnection conn, Guid companyId, string transactionId) =>
        await CardTransactionRow.Table.FindAsync(conn, null, companyId, Ids.Parse(transactionId, "transactionId"))
        ?? throw ApiException.NotFound("Card transaction");

    static ApiException NoReceipt() => ApiException.NotFound("Receipt of this card transaction");

    /// <summary>
    /// The new key waits for its file. An earlier upload whose file has arrived becomes the receipt first, in the same
    /// statement, so a newer URL never loses a receipt that was uploaded.
    /// </summary>
    static async Task AwaitReceiptAsync(NpgsqlConnection conn, Guid companyId, Guid id, string key, DateTime now)
    {
        var updated = await conn.ExecuteAsync($"""
            UPDATE card_transactions t SET receipt_document_key = {CardTransactionRow.ReceiptKeySql}, receipt_pending_key = @key, updated_at = @now
             WHERE t.company_id = @companyId AND t.id = @id
            """, new { companyId, id, key, now });
        if (updated == 0) throw ApiException.NotFound("Card transaction");
    }
}
