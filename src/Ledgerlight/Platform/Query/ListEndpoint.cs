namespace Ledgerlight.Platform.Query;

/// <summary>
/// One list call as its endpoint sees it: the request, the data source and the caller's company. Flags the endpoint reads
/// itself (QueryFlags.Bool...) are read before <see cref="PageAsync{TRow}"/>, so a bad flag is answered before a bad filter,
/// as when each endpoint wrote the call out.
/// </summary>
public sealed class ListCall(HttpContext http, NpgsqlDataSource db)
{
    public HttpContext Http => http;
    public NpgsqlDataSource Db => db;
    public Guid CompanyId => http.Principal().CompanyId;

    /// <summary>The query string's sort, filter, search and paging, parsed once (a 400 when malformed).</summary>
    public ListRequest Request => request ??= QueryFlags.List(http);
    ListRequest? request;

    /// <summary>A service of the request (a store), as a handler parameter would have bound it.</summary>
    public T Service<T>() where T : notnull => http.RequestServices.GetRequiredService<T>();

    /// <summary>The page the query string asks of <paramref name="spec"/> in the caller's company (plus <paramref name="where"/>).</summary>
    public Task<Page<TRow>> PageAsync<TRow>(ListSpec<TRow> spec, Action<SqlWhere>? where = null) =>
        ListQuery.RunAsync(db, spec, Request, CompanyId, where, http.RequestAborted);
}

/// <summary>
/// The GET list endpoint every area maps: run the endpoint's <see cref="ListSpec{T}"/> over the query string for the caller's
/// company and answer Light's page envelope. The caller chains WithName and RequirePermission on the result.
/// </summary>
public static class ListEndpoint
{
    /// <summary>A list whose records become models one by one.</summary>
    public static RouteHandlerBuilder MapList<TRow, TModel>(this IEndpointRouteBuilder routes, string pattern, ListSpec<TRow> spec,
        Func<TRow, TModel> toModel) =>
        routes.MapList(pattern, async call => ApiResults.Ok((await call.PageAsync(spec)).Map(toModel)));

    /// <summary>A list whose handler reads flags, loads what the page's records refer to, or narrows the query itself.</summary>
    public static RouteHandlerBuilder MapList(this IEndpointRouteBuilder routes, string pattern, Func<ListCall, Task<IResult>> handler) =>
        routes.MapGet(pattern, (HttpContext ctx, NpgsqlDataSource db) => handler(new ListCall(ctx, db)));
}

/// <summary>Lists whose page of rows becomes models in one batch (reading what the rows refer to once per page).</summary>
public static class PagedListEndpoint
{
    /// <param name="where">Conditions the endpoint adds from its own query flags (none when null).</param>
    public static RouteHandlerBuilder MapPage<TRow, TModel>(this IEndpointRouteBuilder routes, string pattern, ListSpec<TRow> spec,
        Func<ListCall, IReadOnlyList<TRow>, Task<IReadOnlyList<TModel>>> project, Func<HttpContext, Action<SqlWhere>>? where = null) =>
        routes.MapList(pattern, async call =>
        {
            var page = await call.PageAsync(spec, where?.Invoke(call.Http));
            var models = await project(call, page.Records);
            return ApiResults.Ok(new Page<TModel>(models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
        });
}
