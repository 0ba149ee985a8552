namespace Ledgerlight.Documents.Kernel;

/// <summary>A command's view of its transaction: the connection, the transaction and the document row, locked.</summary>
public sealed record DocumentScope<TRow>(NpgsqlConnection Connection, NpgsqlTransaction Transaction, Guid CompanyId, TRow Row);

/// <summary>
/// The one transaction skeleton of every document write: open, begin, lock the row (absent in this
/// company → null, which the API answers 404), run the command, commit (marking the idempotency key in
/// the same transaction), then reload what the client is answered with outside the transaction.
/// A command refuses by throwing; nothing it wrote survives the rollback.
/// </summary>
public static class DocumentCommand
{
    /// <summary>Runs <paramref name="command"/> and answers with <paramref name="reload"/>, read after the commit.</summary>
    public static async Task<TModel?> RunAsync<TRow, TModel>(NpgsqlDataSource db, DocumentTable<TRow> table, Guid companyId, Guid id,
        Func<DocumentScope<TRow>, Task> command, Func<NpgsqlConnection, Task<TModel?>> reload)
        where TRow : class where TModel : class
    {
        await using var conn = await db.OpenConnectionAsync();
        if (!await RunInConnectionAsync(conn, table, companyId, id, command)) return null;
        return await reload(conn);
    }

    /// <summary>Runs <paramref name="command"/> and answers with what it returns (null: not found, e.g. an unknown line).</summary>
    public static async Task<TResult?> RunAsync<TRow, TResult>(NpgsqlDataSource db, DocumentTable<TRow> table, Guid companyId, Guid id,
        Func<DocumentScope<TRow>, Task<TResult?>> command)
        where TRow : class where TResult : class
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await table.LockAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var result = await command(new DocumentScope<TRow>(conn, tx, companyId, row));
        if (result is null) return null;
        await tx.CommitWriteAsync();
        return result;
    }

    /// <summary>For commands with nothing to answer but success (a delete): false when the document does not exist.</summary>
    public static async Task<bool> TryRunAsync<TRow>(NpgsqlDataSource db, DocumentTable<TRow> table, Guid companyId, Guid id,
        Func<DocumentScope<TRow>, Task<bool>> command)
        where TRow : class
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await table.LockAsync(conn, tx, companyId, id);
        if (row is null || !await command(new DocumentScope<TRow>(conn, tx, companyId, row))) return false;
        await tx.CommitWriteAsync();
        return true;
    }

    static async Task<bool> RunInConnectionAsync<TRow>(NpgsqlConnection conn, DocumentTable<TRow> table, Guid companyId, Guid id,
        Func<DocumentScope<TRow>, Task> command) where TRow : class
    {
        await using var tx = await conn.BeginTransactionAsync();
        var row = await table.LockAsync(conn, tx, companyId, id);
        if (row is null) return false;
        await command(new DocumentScope<TRow>(conn, tx, companyId, row));
        await tx.CommitWriteAsync();
        return true;
    }
}
