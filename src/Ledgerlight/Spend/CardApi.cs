namespace Ledgerlight.Spend;

public static class CardApi
{
    static readonly QueryField Status = ListFields.Status("c");
    static readonly QueryField CreatedAt = ListFields.CreatedAt("c");

    /// <summary>Sorts and filters as listed in listCards' parameter descriptions (accountId sorts by the balance account).</summary>
    public static readonly ListSpec<CardRow> Spec = ListFields.SpecFrom<CardRow>("c", "cards c", CardRow.Columns, c => c.Id,
        [(new("accountId", "c.card_balance_account_id", FieldType.Uuid), c => c.CardBalanceAccountId), (Status, c => c.Status), (CreatedAt, c => c.CreatedAt)],
        [
            ListFields.Id("c"), new("cardBalanceAccountId", "c.card_balance_account_id", FieldType.Uuid), Status,
            new("type", "c.type", FieldType.Enum), CreatedAt, ListFields.UpdatedAt("c"),
        ],
        ("createdAt", SortDirection.Desc));

    public static void MapCardApi(this IEndpointRouteBuilder app)
    {
        app.MapPage<CardRow, CardModel>("/v1/cards", Spec, (c, rows) => c.Service<CardStore>().ModelsAsync(rows))
            .WithName("listCards")
            .RequirePermission(Permissions.Read("cards"));

        app.MapPost("/v1/cards", async (HttpContext ctx, CardStore store) =>
            {
                var request = await RequestBody.ReadValidAsync<CreateCardRequest>(ctx, (x, v) => x.Validate(v));
                return ApiResults.Ok(await store.CreateAsync(ctx.Principal().CompanyId, request));
            })
            .WithName("createCard")
            .RequirePermission(Permissions.Write("cards"));

        app.MapGet("/v1/cards/{cardId}", async (string cardId, HttpContext ctx, CardStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(cardId, "cardId")) ?? throw ApiException.NotFound("Card")))
            .WithName("getCard")
            .RequirePermission(Permissions.Read("cards"));

        app.MapPost("/v1/cards/{cardId}/freeze", async (string cardId, HttpContext ctx, CardStore store) =>
                ApiResults.Ok(await store.ChangeStatusAsync(ctx.Principal().CompanyId, Ids.Parse(cardId, "cardId"), CardAction.Freeze)
                              ?? throw ApiException.NotFound("Card")))
            .WithName("freezeCard")
            .RequirePermission(Permissions.Write("cards"));

        app.MapPost("/v1/cards/{cardId}/unfreeze", async (string cardId, HttpContext ctx, CardStore store) =>
                ApiResults.Ok(await store.ChangeStatusAsync(ctx.Principal().CompanyId, Ids.Parse(cardId, "cardId"), CardAction.Unfreeze)
                              ?? throw ApiException.NotFound("Card")))
            .WithName("unfreezeCard")
            .RequirePermission(Permissions.Write("cards"));

        app.MapGet("/v1/card-customers/public-key", async (HttpContext ctx, NpgsqlDataSource db, ICardIssuer issuer) =>
            {
                var companyId = ctx.Principal().CompanyId;
                var entityId = await EntityAsync(db, companyId, ctx.Request.Query["companyEntityId"].ToString());
                return ApiResults.Ok(await issuer.PublicKeyAsync(companyId, entityId, ctx.RequestAborted));
            })
            .WithName("getPublicKey")
            .RequirePermission(Permissions.Read("cards"));
    }

    /// <summary>The entity asked for (it must be the company's), else the company's first entity.</summary>
    static async Task<Guid> EntityAsync(NpgsqlDataSource db, Guid companyId, string raw)
    {
        Guid? asked = raw.Length == 0 ? null : Ids.Parse(raw, "companyEntityId");
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<Guid?>("""
                   SELECT id FROM company_entities WHERE company_id = @companyId AND (@asked::uuid IS NULL OR id = @asked)
                    ORDER BY sort_position, id LIMIT 1
                   """, new { companyId, asked })
               ?? throw ApiException.NotFound("Company entity");
    }
}
