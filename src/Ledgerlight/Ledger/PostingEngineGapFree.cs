namespace Ledgerlight.Ledger;

/// <summary>
/// Posting with a gap-free document number taken in the same round trip as every write of the posting.
/// The number's row lock (and the hot daily-balance rows' locks) are held until commit, so concurrent postings
/// of one entity are serialised from the moment the number is taken: here that is one statement batch and the
/// commit, instead of four round trips (numbering, document update, the posting's writes, commit) before.
/// </summary>
public sealed partial class PostingEngine
{
    /// <summary>The SQL expression of the number taken by <see cref="WriteNumberedAsync"/>, for the caller's own statement in the batch.</summary>
    public const string TakenNumberSql = "current_setting('ledgerlight.document_number')";

    /// <summary>
    /// Takes the next number of <paramref name="numberType"/> for the document's entity and year (gap-free: a rollback gives it back),
    /// runs <paramref name="documentUpdateSql"/> (the caller's statement, which may use <see cref="TakenNumberSql"/> and the
    /// parameters in <paramref name="documentUpdateParameters"/>) and writes the prepared posting under that number, in one round trip.
    /// Returns the number.
    /// </summary>
    /// <param name="commit">
    /// Also commit, in the same round trip (with the idempotency mark, as <see cref="WriteTransactions.CommitWriteAsync"/> would):
    /// for a caller whose transaction holds nothing else, so the locks are released as soon as PostgreSQL has run the batch,
    /// without waiting for this process to be scheduled again to send COMMIT. The caller must not commit <paramref name="tx"/> then.
    /// </param>
    public async Task<string> WriteNumberedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PreparedPosting prepared, string numberType,
        string documentUpdateSql, object documentUpdateParameters, bool commit = false)
    {
        var request = prepared.Request;
        var doc = request.Document;
        var write = new PostingWrite(request.CompanyId, request.CreatedBy, prepared.TransactionId, prepared.SequenceId, request.TransactionType,
            doc, new EntityCurrencies(prepared.LocalCurrency, prepared.GroupCurrency), prepared.Lines, clock.GetUtcNow().UtcDateTime);
        var (postingSql, parameters) = PostingStatements(write, reverses: null, withDocumentRow: true, TakenNumberSql);
        parameters.AddDynamicParams(documentUpdateParameters);
        parameters.AddDynamicParams(new { numberType, numberYear = doc.PostingDate.Year });
        var sql = TakeNumberSql + ";\n" + documentUpdateSql + ";\n" + postingSql;
        if (commit)
        {
            if (IdempotencyScope.MarkStatement() is { } mark)
            {
                sql += ";\n" + mark.Sql;
                parameters.AddDynamicParams(mark.Parameters);
            }
            sql += ";\nCOMMIT";
        }
        var gate = EntityGate(request.CompanyId, doc.CompanyEntityId);
        await gate.WaitAsync();
        try
        {
            return await RefusingOverflowAsync(doc.PostingDate, async () =>
            {
                await using var reader = await conn.ExecuteReaderAsync(sql, parameters, tx);
                await reader.ReadAsync();
                var number = reader.GetString(0);
                // The later statements' errors (an overflowing daily balance) surface while their results are read.
                while (await reader.NextResultAsync()) { }
                return number;
            });
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// How many of this process's numbered postings of one entity may be inside PostgreSQL's lock queue on its number
    /// row at once; the others wait here, in arrival order. The same writes from pgbench on this machine did 921
    /// transactions/s with a p99 of 33 ms at 8 clients, and 461–615/s with a p99 of 286–370 ms at 32: a long queue
    /// of backends on one hot row costs throughput and makes the wait unfair. Striped by a hash of (company, entity)
    /// so the gates take fixed memory; two entities sharing a stripe share its slots. A request inside the gate
    /// waits only for locks that the numbered batch itself takes, which no request waiting for the gate holds.
    /// </summary>
    const int QueuedPerEntity = 4;

    static readonly SemaphoreSlim[] Gates = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(QueuedPerEntity)).ToArray();

    static SemaphoreSlim EntityGate(Guid companyId, Guid entityId) => Gates[(uint)HashCode.Combine(companyId, entityId) % (uint)Gates.Length];

    /// <summary>The same format as <see cref="DocumentNumbers.NextAsync"/>: TYPE-YEAR-000042, kept for the rest of the transaction.</summary>
    const string TakeNumberSql = """
        WITH n AS (
          INSERT INTO document_sequences (company_id, company_entity_id, document_type, year, next_value)
          VALUES (@companyId, @CompanyEntityId, @numberType, @numberYear, 2)
          ON CONFLICT (company_id, company_entity_id, document_type, year) DO UPDATE SET next_value = document_sequences.next_value + 1
          RETURNING next_value - 1 AS value)
        SELECT set_config('ledgerlight.document_number',
                          format('%s-%s-%s', @numberType::text, @numberYear::int, lpad(value::text, greatest(6, length(value::text)), '0')), true)
          FROM n
        """;
}
