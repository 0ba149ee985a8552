namespace Ledgerlight.Spend.CardTransactions;

/// <summary>updateCardTransaction, updateCardTransactionLine and batchUpdateCardTransactions.</summary>
public static class CardTransactionEditApi
{
    public static void MapCardTransactionEditApi(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/v1/card-transactions/batch-update", async (HttpContext ctx, CardTransactionEditStore store) =>
            {
                var (items, root) = await RequestBody.ReadArrayAsync<BatchUpdateCardTransactionRequest?>(ctx);
                return ApiResults.Ok(await store.BatchAsync(ctx.Principal(), root, items));
            })
            .WithName("batchUpdateCardTransactions")
            .RequirePermission(Permissions.Write(CardTransactionApi.Area));

        app.MapPatch("/v1/card-transactions/{transactionId}", async (string transactionId, HttpContext ctx, CardTransactionEditStore store) =>
            {
                var id = Ids.Parse(transactionId, "transactionId");
                var (r, root) = await RequestBody.ReadWithRootAsync<UpdateCardTransactionRequest>(ctx);
                return ApiResults.Ok(await store.UpdateAsync(ctx.Principal(), id, root, r) ?? throw ApiException.NotFound("Card transaction"));
            })
            .WithName("updateCardTransaction")
            .RequirePermission(Permissions.Write(CardTransactionApi.Area));

        app.MapPatch("/v1/card-transactions/{transactionId}/lines/{transactionLineId}",
                async (string transactionId, string transactionLineId, HttpContext ctx, CardTransactionEditStore store) =>
                {
                    var id = Ids.Parse(transactionId, "transactionId");
                    var lineId = Ids.Parse(transactionLineId, "transactionLineId");
                    var (r, root) = await RequestBody.ReadWithRootAsync<UpdateCardTransactionLineRequest>(ctx);
                    return ApiResults.Ok(await store.UpdateLineAsync(ctx.Principal(), id, lineId, root, r) ?? throw ApiException.NotFound("Card transaction"));
                })
            .WithName("updateCardTransactionLine")
            .RequirePermission(Permissions.Write(CardTransactionApi.Area));
    }
}
