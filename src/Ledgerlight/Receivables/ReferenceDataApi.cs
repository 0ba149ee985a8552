namespace Ledgerlight.Receivables;

/// <summary>
/// A store of reference data (customers, products): records are read, answered and created the same way; each kind
/// writes its own columns (<see cref="CreateAsync(NpgsqlConnection, NpgsqlTransaction?, Guid, TRequest)"/>, <see cref="PatchAsync"/>).
/// </summary>
public abstract class ReferenceStore<TRow, TModel, TRequest>(NpgsqlDataSource db, ReferenceTable<TRow> table) where TRow : class, ICustomPropertyRow
{
    protected NpgsqlDataSource Db => db;

    public Task<TRow?> GetAsync(Guid companyId, Guid id) => table.GetAsync(db, companyId, id);

    /// <summary>API models for rows, custom properties resolved in one round trip.</summary>
    public Task<IReadOnlyList<TModel>> ToModelsAsync(Guid companyId, IReadOnlyList<TRow> rows) =>
        ReferenceTable<TRow>.ToModelsAsync(db, companyId, rows, ToModel);

    public async Task<TModel> ToModelAsync(Guid companyId, TRow row) => (await ToModelsAsync(companyId, [row]))[0];

    public async Task<TRow> CreateAsync(Guid companyId, TRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await CreateAsync(conn, null, companyId, r);
    }

    /// <summary>The creation on the caller's connection and transaction (imports create many records all or nothing).</summary>
    public abstract Task<TRow> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, TRequest r);

    /// <summary>PATCH: present fields change, absent ones stay; null when the record does not exist.</summary>
    public abstract Task<TRow?> PatchAsync(Guid companyId, Guid id, TRequest r, JsonElement body);

    protected abstract TModel ToModel(TRow row, IReadOnlyList<CustomPropertyModel> properties);
}

/// <summary>A create/update body that validates itself (PATCH: only what is present).</summary>
public interface IReferenceRequest
{
    void Validate(Validation v, bool isCreate);
}

/// <summary>How one kind of reference data is served: its paths, permission area, endpoint names and the fields a PATCH may not clear.</summary>
public sealed record ReferenceEndpoints(string Root, string IdName, string Noun, string Area, string ListName, string CreateName, string GetName,
    string UpdateName, string[] NotClearable);

/// <summary>List, create, get and update of reference data, written once; the caller maps its own state changes on the returned item group.</summary>
public static class ReferenceDataApi
{
    public static RouteGroupBuilder Map<TStore, TRow, TModel, TRequest>(IEndpointRouteBuilder app, ReferenceEndpoints e, ListSpec<TRow> spec)
        where TStore : ReferenceStore<TRow, TModel, TRequest> where TRow : class, ICustomPropertyRow where TRequest : class, IReferenceRequest where TModel : class
    {
        var list = app.MapGroup(e.Root);
        var item = app.MapGroup($"{e.Root}/{{{e.IdName}}}");
        list.MapList("", async call =>
            {
                var page = await call.PageAsync(spec);
                var models = await call.Service<TStore>().ToModelsAsync(call.CompanyId, page.Records);
                return ApiResults.Ok(new Page<TModel>(models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
            })
            .WithName(e.ListName)
            .RequirePermission(Permissions.Read(e.Area));

        list.MapPost("", async (HttpContext ctx, TStore store) =>
            {
                var request = await RequestBody.ReadValidAsync<TRequest>(ctx, (x, v) => x.Validate(v, isCreate: true));
                var companyId = ctx.Principal().CompanyId;
                return ApiResults.Ok(await store.ToModelAsync(companyId, await store.CreateAsync(companyId, request)));
            })
            .WithName(e.CreateName)
            .RequirePermission(Permissions.Write(e.Area));

        item.MapGet("", async (HttpContext ctx, TStore store) =>
                ApiResults.Ok(await store.ToModelAsync(ctx.Principal().CompanyId,
                    await store.GetAsync(ctx.Principal().CompanyId, Ids.FromRoute(ctx, e.IdName)) ?? throw ApiException.NotFound(e.Noun))))
            .WithName(e.GetName)
            .RequirePermission(Permissions.Read(e.Area));

        item.MapPatch("", async (HttpContext ctx, TStore store) =>
            {
                var id = Ids.FromRoute(ctx, e.IdName);
                var (request, body) = await RequestBody.ReadPatchAsync<TRequest>(ctx, e.NotClearable, (x, _, v) => x.Validate(v, isCreate: false));
                var companyId = ctx.Principal().CompanyId;
                return ApiResults.Ok(await store.ToModelAsync(companyId,
                    await store.PatchAsync(companyId, id, request, body) ?? throw ApiException.NotFound(e.Noun)));
            })
            .WithName(e.UpdateName)
            .RequirePermission(Permissions.Write(e.Area));
        return item;
    }

}
