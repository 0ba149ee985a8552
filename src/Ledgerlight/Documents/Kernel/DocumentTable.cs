namespace Ledgerlight.Documents.Kernel;

/// <summary>
/// Where a document's rows live and how one is read: the table, its alias and the select list its row
/// class maps. Every read is scoped to the company; <see cref="LockAsync"/> takes the row lock that
/// serialises every write to one document.
/// </summary>
public sealed record DocumentTable<TRow>(string Table, string Alias, string Columns) where TRow : class
{
    string Where => $"{Alias}.company_id = @companyId AND {Alias}.id = @id";

    public Task<TRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<TRow>($"SELECT {Columns} FROM {Table} {Alias} WHERE {Where}", new { companyId, id }, tx);

    public Task<TRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.QuerySingleOrDefaultAsync<TRow>($"SELECT {Columns} FROM {Table} {Alias} WHERE {Where} FOR UPDATE OF {Alias}", new { companyId, id }, tx);
}
