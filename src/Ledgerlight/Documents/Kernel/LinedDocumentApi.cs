namespace Ledgerlight.Documents.Kernel;

/// <summary>A document with lines as its endpoints see it: read one, create, patch the header, add, patch or delete a line.</summary>
public interface ILinedDocumentStore<TModel, TRequest, TLineModel, TLineRequest>
{
    Task<TModel?> GetAsync(Guid companyId, Guid id);
    Task<TModel> CreateAsync(Principal principal, TRequest r);
    Task<TModel?> PatchAsync(Principal principal, Guid id, TRequest r, JsonElement body);
    Task<TLineModel?> CreateLineAsync(Principal principal, Guid id, TLineRequest r);
    Task<TLineModel?> UpdateLineAsync(Principal principal, Guid id, Guid lineId, TLineRequest r, JsonElement body);
    Task<bool> DeleteLineAsync(Principal principal, Guid id, Guid lineId);
}

/// <summary>A document's create/update body that validates itself (on update: only what is present).</summary>
public interface IDocumentRequest
{
    void Validate(Validation v, bool isCreate);
}

/// <summary>A line's create/update body that validates itself, under <paramref name="at"/> when it sits inside a document body.</summary>
public interface ILineRequest
{
    void Validate(Validation v, bool isCreate, params object[] at);
}

/// <summary>
/// How one kind of lined document is served: its id route parameter, the nouns of its 404s, the fields a PATCH may not
/// clear and the operation names (Light's operationIds, suffixed for an alias root).
/// </summary>
public sealed record LinedDocumentEndpoints(
    string IdName, string Noun, string LineNoun, string[] HeaderNotClearable, string[] LineNotClearable,
    string Create, string Get, string Update, string CreateLine, string UpdateLine, string DeleteLine)
{
    /// <summary>The same endpoints under another root, with every operation name suffixed.</summary>
    public LinedDocumentEndpoints Suffixed(string suffix) => this with
    {
        Create = Create + suffix, Get = Get + suffix, Update = Update + suffix,
        CreateLine = CreateLine + suffix, UpdateLine = UpdateLine + suffix, DeleteLine = DeleteLine + suffix,
    };
}

/// <summary>The create, read, header-patch and line endpoints every document with lines has, written once.</summary>
public static class LinedDocumentApi
{
    public static void Map<TStore, TModel, TRequest, TLineModel, TLineRequest>(
        RouteGroupBuilder list, RouteGroupBuilder item, LinedDocumentEndpoints e, string read, string write)
        where TStore : ILinedDocumentStore<TModel, TRequest, TLineModel, TLineRequest>
        where TRequest : class, IDocumentRequest where TLineRequest : class, ILineRequest
        where TModel : class where TLineModel : class
    {
        list.MapPost("", async (HttpContext ctx, TStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(),
                    await RequestBody.ReadValidAsync<TRequest>(ctx, (x, v) => x.Validate(v, isCreate: true)))))
            .WithName(e.Create)
            .RequirePermission(write);

        item.MapGet("", async (HttpContext ctx, TStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, Ids.FromRoute(ctx, e.IdName)) ?? throw ApiException.NotFound(e.Noun)))
            .WithName(e.Get)
            .RequirePermission(read);

        item.MapPatch("", async (HttpContext ctx, TStore store) =>
            {
                var id = Ids.FromRoute(ctx, e.IdName);
                var (request, body) = await RequestBody.ReadPatchAsync<TRequest>(ctx, e.HeaderNotClearable, (x, root, v) =>
                {
                    if (root.TryGetProperty("lines", out _)) v.Add($"Lines are changed through the {e.Noun.ToLowerInvariant()}'s /lines endpoints", "lines");
                    x.Validate(v, isCreate: false);
                });
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, body) ?? throw ApiException.NotFound(e.Noun));
            })
            .WithName(e.Update)
            .RequirePermission(write);

        MapLines<TStore, TModel, TRequest, TLineModel, TLineRequest>(item, e, write);
    }

    static void MapLines<TStore, TModel, TRequest, TLineModel, TLineRequest>(RouteGroupBuilder item, LinedDocumentEndpoints e, string write)
        where TStore : ILinedDocumentStore<TModel, TRequest, TLineModel, TLineRequest>
        where TLineRequest : class, ILineRequest where TLineModel : class
    {
        item.MapPost("/lines", async (HttpContext ctx, TStore store) =>
            {
                var id = Ids.FromRoute(ctx, e.IdName);
                var request = await RequestBody.ReadValidAsync<TLineRequest>(ctx, (x, v) => x.Validate(v, isCreate: true));
                return ApiResults.Ok(await store.CreateLineAsync(ctx.Principal(), id, request) ?? throw ApiException.NotFound(e.Noun));
            })
            .WithName(e.CreateLine)
            .RequirePermission(write);

        item.MapPatch("/lines/{lineId}", async (HttpContext ctx, TStore store) =>
            {
                var (id, line) = (Ids.FromRoute(ctx, e.IdName), Ids.FromRoute(ctx, "lineId"));
                var (request, body) = await RequestBody.ReadPatchAsync<TLineRequest>(ctx, e.LineNotClearable, (x, _, v) => x.Validate(v, isCreate: false));
                return ApiResults.Ok(await store.UpdateLineAsync(ctx.Principal(), id, line, request, body) ?? throw ApiException.NotFound(e.LineNoun));
            })
            .WithName(e.UpdateLine)
            .RequirePermission(write);

        // Light documents no body for this 200; an empty object keeps every 200 a JSON document.
        item.MapDelete("/lines/{lineId}", async (HttpContext ctx, TStore store) =>
                await store.DeleteLineAsync(ctx.Principal(), Ids.FromRoute(ctx, e.IdName), Ids.FromRoute(ctx, "lineId"))
                    ? ApiResults.Ok(new { })
                    : throw ApiException.NotFound(e.LineNoun))
            .WithName(e.DeleteLine)
            .RequirePermission(write);
    }

}
