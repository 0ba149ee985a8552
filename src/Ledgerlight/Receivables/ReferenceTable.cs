namespace Ledgerlight.Receivables;

/// <summary>
/// The rows of one kind of reference data (customers, products): read by company and id, answered with their custom
/// properties resolved, and moved between ACTIVE and ARCHIVED under a row lock.
/// </summary>
/// <param name="Table">The table, unaliased.</param>
/// <param name="Columns">The select list the row class maps.</param>
/// <param name="Noun">The record as a sentence starts it ("Customer").</param>
/// <param name="StateColumn">The column holding ACTIVE or ARCHIVED.</param>
public sealed record ReferenceTable<TRow>(string Table, string Columns, string Noun, string StateColumn) where TRow : class, ICustomPropertyRow
{
    public Task<TRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool forUpdate = false) =>
        conn.QuerySingleOrDefaultAsync<TRow>(
            $"SELECT {Columns} FROM {Table} WHERE company_id = @companyId AND id = @id{(forUpdate ? " FOR UPDATE" : "")}",
            new { companyId, id }, tx);

    public async Task<TRow?> GetAsync(NpgsqlDataSource db, Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await FindAsync(conn, null, companyId, id);
    }

    /// <summary>API models for rows, custom properties resolved in one round trip.</summary>
    public static async Task<IReadOnlyList<TModel>> ToModelsAsync<TModel>(NpgsqlDataSource db, Guid companyId, IReadOnlyList<TRow> rows,
        Func<TRow, IReadOnlyList<CustomPropertyModel>, TModel> toModel)
    {
        var properties = await CustomPropertyRequests.ResolveAsync(db, companyId, rows.Select(r => r.CustomPropertiesJson).ToList());
        return rows.Select((r, i) => toModel(r, properties[i])).ToList();
    }

    /// <summary>Moves a row to <paramref name="state"/>; a row already in it is a 409 naming the state. Null when it does not exist.</summary>
    public async Task<TRow?> SetStateAsync(NpgsqlDataSource db, TimeProvider clock, Guid companyId, Guid id, string state, Func<TRow, string> stateOf)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await FindAsync(conn, tx, companyId, id, forUpdate: true);
        if (row is null) return null;
        if (stateOf(row) == state) throw ApiException.Conflict($"{Noun} is already {state}");
        await conn.ExecuteAsync($"UPDATE {Table} SET {StateColumn} = @state, updated_at = @now WHERE company_id = @companyId AND id = @id",
            new { companyId, id, state, now = clock.GetUtcNow().UtcDateTime }, tx);
        await tx.CommitWriteAsync();
        return await FindAsync(conn, null, companyId, id);
    }
}
