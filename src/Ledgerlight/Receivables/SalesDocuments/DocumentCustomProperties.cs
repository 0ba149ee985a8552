namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>
/// Custom properties of a receivable document and its lines, stored as bills store theirs (the validated request list as
/// jsonb, <see cref="CustomPropertyRequests.ToJson"/>) and resolved when read. Lines take groups of the document's object type.
/// </summary>
public static class DocumentCustomProperties
{
    /// <summary>Checks a document's and its lines' values against the company's groups for <paramref name="objectType"/>; 400 naming each problem.</summary>
    public static async Task ValidateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string objectType,
        IReadOnlyList<SetCustomPropertyRequest>? header, IReadOnlyList<IReadOnlyList<SetCustomPropertyRequest>?> lines)
    {
        var v = new Validation();
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, objectType, header, v, "customProperties");
        for (var i = 0; i < lines.Count; i++)
            await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, objectType, lines[i], v, "lines", i, "customProperties");
        v.ThrowIfAny();
    }

    /// <summary>A line endpoint's values (the body is the line).</summary>
    public static Task ValidateLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string objectType,
        IReadOnlyList<SetCustomPropertyRequest>? line) =>
        ValidateAsync(conn, tx, companyId, objectType, line, []);

    /// <summary>A list page's values by record id, in one round trip.</summary>
    public static async Task<Dictionary<Guid, IReadOnlyList<CustomPropertyModel>>> ResolvePageAsync<TRow>(NpgsqlDataSource db, Guid companyId,
        IReadOnlyList<TRow> records, Func<TRow, Guid> id, Func<TRow, string?> json)
    {
        var resolved = await CustomPropertyRequests.ResolveAsync(db, companyId, records.Select(json).ToList());
        return records.Zip(resolved).ToDictionary(x => id(x.First), x => x.Second);
    }

    /// <summary>A list page's models, each made with its record's values (resolved in one round trip).</summary>
    public static async Task<Page<TModel>> MapPageAsync<TRow, TModel>(ListCall call, Page<TRow> page, Func<TRow, Guid> id, Func<TRow, string?> json,
        Func<TRow, IReadOnlyList<CustomPropertyModel>, TModel> toModel)
    {
        var byId = await ResolvePageAsync(call.Db, call.CompanyId, page.Records, id, json);
        return page.Map(r => toModel(r, byId[id(r)]));
    }

    /// <summary>One record's values (a line answered on its own).</summary>
    public static async Task<IReadOnlyList<CustomPropertyModel>> ResolveOneAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId,
        string? json) =>
        (await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [json]))[0];

    /// <summary>Resolves a document's values and each line's in one round trip.</summary>
    public static async Task<(IReadOnlyList<CustomPropertyModel> Header, IReadOnlyList<IReadOnlyList<CustomPropertyModel>> Lines)> ResolveAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, string? headerJson, IReadOnlyList<string?> lineJson)
    {
        var resolved = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [headerJson, .. lineJson]);
        return (resolved[0], resolved.Skip(1).ToList());
    }
}
