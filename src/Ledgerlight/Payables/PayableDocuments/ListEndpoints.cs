namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>
/// Query fields the list specs of payables, spend and banking declare alike, over a table alias: one builder each, so a
/// field's API name, column and type are written once. A field absent from here is one only its own list has.
/// </summary>
public static class ListFields
{
    public static QueryField Id(string alias, string name = "id") => new(name, $"{alias}.id", FieldType.Uuid);
    public static QueryField CreatedAt(string alias) => new("createdAt", $"{alias}.created_at", FieldType.Timestamp);
    public static QueryField UpdatedAt(string alias) => new("updatedAt", $"{alias}.updated_at", FieldType.Timestamp);
    public static QueryField EntityId(string alias) => new("companyEntityId", $"{alias}.company_entity_id", FieldType.Uuid);
    public static QueryField Status(string alias) => new("status", $"{alias}.status", FieldType.Enum);
    public static QueryField State(string alias) => new("state", $"{alias}.state", FieldType.Enum);
    public static QueryField VendorId(string alias) => new("vendorId", $"{alias}.vendor_id", FieldType.Uuid, Nullable: true);

    /// <summary>The joined vendor's name (every list that shows it joins vendors as v).</summary>
    public static QueryField VendorName(string name = "vendorName") => new(name, "v.name", FieldType.Text, Nullable: true);
}

/// <summary>
/// The spec of a list over one aliased table: scoped by the alias's company_id, its id the tie-breaker that makes every
/// order total. Only what differs between lists is passed.
/// </summary>
public static class ListSpecs
{
    public static ListSpec<T> Of<T>(string alias, string from, string select, Func<T, Guid> idOf,
        IReadOnlyList<(QueryField Field, Func<T, object?> Value)> sortable, IReadOnlyList<QueryField> filterable,
        (string Field, SortDirection Direction) defaultSort, IReadOnlyList<string>? search = null, string idName = "id") => new()
    {
        From = from,
        Select = select,
        CompanyColumn = $"{alias}.company_id",
        Id = ListFields.Id(alias, idName),
        IdOf = idOf,
        Sortable = sortable,
        Filterable = filterable,
        SearchColumns = search ?? [],
        DefaultSort = defaultSort,
    };
}

/// <summary>What a list's projection is given: the request, the data source and the caller's company.</summary>
public sealed record ListContext(HttpContext Http, NpgsqlDataSource Db, Guid CompanyId)
{
    /// <summary>A service of the request (the store a projection reads through).</summary>
    public T Service<T>() where T : notnull => Http.RequestServices.GetRequiredService<T>();
}

/// <summary>
/// The GET of a list endpoint, written once: one page of the spec as the request sorts, filters, searches and pages it,
/// its rows turned into models for the whole page at once, answered in Light's page envelope.
/// </summary>
public static class ListEndpoints
{
    /// <param name="where">Conditions the endpoint adds from its own query flags (none when null).</param>
    public static RouteHandlerBuilder MapPage<TRow, TModel>(this IEndpointRouteBuilder group, string pattern, ListSpec<TRow> spec,
        Func<ListContext, IReadOnlyList<TRow>, Task<IReadOnlyList<TModel>>> project, Func<HttpContext, Action<SqlWhere>>? where = null) =>
        group.MapGet(pattern, async (HttpContext ctx, NpgsqlDataSource db) =>
        {
            var companyId = ctx.Principal().CompanyId;
            var page = await ListQuery.RunAsync(db, spec, QueryFlags.List(ctx), companyId, where?.Invoke(ctx), ctx.RequestAborted);
            var models = await project(new ListContext(ctx, db, companyId), page.Records);
            return ApiResults.Ok(new Page<TModel>(models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
        });

    /// <summary>A list whose rows become models one by one, with nothing more to read.</summary>
    public static RouteHandlerBuilder MapPage<TRow, TModel>(this IEndpointRouteBuilder group, string pattern, ListSpec<TRow> spec,
        Func<TRow, TModel> project) =>
        group.MapPage<TRow, TModel>(pattern, spec, (_, rows) => Task.FromResult<IReadOnlyList<TModel>>(rows.Select(project).ToList()));
}
