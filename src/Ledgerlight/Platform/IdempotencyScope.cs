namespace Ledgerlight.Platform;

/// <summary>
/// The idempotency claim of the request running on this async flow, if it carries a key. Every
/// write transaction the request commits (<see cref="WriteTransactions.CommitWriteAsync"/>) marks the
/// claim as committed inside that same transaction, so the mark exists exactly when the writes do:
/// after a crash, a retry knows whether the first attempt changed anything.
/// </summary>
public sealed class IdempotencyScope(Guid companyId, string key)
{
    static readonly AsyncLocal<IdempotencyScope?> CurrentScope = new();

    public Guid CompanyId { get; } = companyId;
    public string Key { get; } = key;

    /// <summary>The first id the request generated: the created document, for a create.</summary>
    public Guid? FirstCreatedId { get; private set; }

    public static IdempotencyScope? Current => CurrentScope.Value;

    public static IDisposable Enter(IdempotencyScope scope)
    {
        CurrentScope.Value = scope;
        return new Exit();
    }

    sealed class Exit : IDisposable
    {
        public void Dispose() => CurrentScope.Value = null;
    }

    internal static void NoteCreated(Guid id)
    {
        if (CurrentScope.Value is { FirstCreatedId: null } scope) scope.FirstCreatedId = id;
    }

    /// <summary>Writes the commit mark in <paramref name="tx"/>; a no-op outside an idempotent request.</summary>
    public static async Task MarkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        if (MarkStatement() is not { } mark) return;
        await conn.ExecuteAsync(new CommandDefinition(mark.Sql, mark.Parameters, tx, cancellationToken: ct));
    }

    /// <summary>
    /// The commit mark as a statement and its parameters, for a writer that sends it with its last writes and the COMMIT in
    /// one round trip; null outside an idempotent request.
    /// </summary>
    public static (string Sql, object Parameters)? MarkStatement() => CurrentScope.Value is not { } scope ? null : ("""
        UPDATE idempotency_keys SET committed_at = coalesce(committed_at, now()), resource_id = coalesce(resource_id, @idempotencyResourceId)
         WHERE company_id = @idempotencyCompanyId AND key = @idempotencyKey
        """, new { idempotencyCompanyId = scope.CompanyId, idempotencyKey = scope.Key, idempotencyResourceId = scope.FirstCreatedId });
}

public static class WriteTransactions
{
    /// <summary>
    /// Commits a transaction that wrote business data. Use it (not CommitAsync) for every
    /// transaction a request commits, so an idempotent request's claim is marked in the same commit.
    /// </summary>
    public static async Task CommitWriteAsync(this NpgsqlTransaction tx, CancellationToken ct = default)
    {
        await IdempotencyScope.MarkAsync(tx.Connection!, tx, ct);
        await tx.CommitAsync(ct);
    }
}
