
namespace Ledgerlight.Spend.CardTransactions;

/// <summary>Card transactions as Light's API has them: list, get, post and reset (edits and receipts in their own files).</summary>
public static class CardTransactionApi
{
    public const string Area = "cards";

    public static void MapCardTransactionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/card-transactions", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var companyId = ctx.Principal().CompanyId;
                var page = await ListQuery.RunAsync(db, CardTransactionViews.Spec, QueryFlags.List(ctx), companyId,
                    CardTransactionViews.Flags(QueryFlags.Bool(ctx, "onlyPostable"), QueryFlags.Bool(ctx, "missingData")), ctx.RequestAborted);
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                var views = await CardTransactionViews.ViewsAsync(conn, companyId, page.Records);
                return ApiResults.Ok(new Page<CardTransactionViewModel>(views, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
            })
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
