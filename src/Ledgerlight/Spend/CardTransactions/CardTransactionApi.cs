namespace Ledgerlight.Spend.CardTransactions;

/// <summary>Card transactions as Light's API has them: list, get, post and reset (edits and receipts in their own files).</summary>
public static class CardTransactionApi
{
    public const string Area = "cards";

    public static void MapCardTransactionApi(this IEndpointRouteBuilder app)
    {
        app.MapPage<CardTransactionViewRow, CardTransactionViewModel>("/v1/card-transactions", CardTransactionViews.Spec, async (c, rows) =>
                {
                    await using var conn = await c.Db.OpenConnectionAsync(c.Http.RequestAborted);
                    return await CardTransactionViews.ViewsAsync(conn, c.CompanyId, rows);
                },
                ctx => CardTransactionViews.Flags(QueryFlags.Bool(ctx, "onlyPostable"), QueryFlags.Bool(ctx, "missingData")))
            .WithName("listCardTransactions")
            .RequirePermission(Permissions.Read(Area));

        app.MapGet("/v1/card-transactions/{cardTransactionId}", async (string cardTransactionId, HttpContext ctx, NpgsqlDataSource db) =>
                ApiResults.Ok(await CardTransactionViews.GetAsync(db, ctx.Principal().CompanyId, Ids.Parse(cardTransactionId, "cardTransactionId"))
                              ?? throw ApiException.NotFound("Card transaction")))
            .WithName("getCardTransaction")
            .RequirePermission(Permissions.Read(Area));

        app.MapPost("/v1/card-transactions/{transactionId}/post", async (string transactionId, HttpContext ctx, CardTransactionPostingStore store) =>
                ApiResults.Ok(await store.PostAsync(ctx.Principal(), Ids.Parse(transactionId, "transactionId"))
                              ?? throw ApiException.NotFound("Card transaction")))
            .WithName("postCardTransaction")
            .RequirePermission(Permissions.Write(Area));

        app.MapPost("/v1/card-transactions/{transactionId}/reset", async (string transactionId, HttpContext ctx, CardTransactionPostingStore store) =>
                ApiResults.Ok(await store.ResetAsync(ctx.Principal(), Ids.Parse(transactionId, "transactionId"))
                              ?? throw ApiException.NotFound("Card transaction")))
            .WithName("resetCardTransaction")
            .RequirePermission(Permissions.Write(Area));
    }
}
