namespace Ledgerlight.Ledger;

/// <summary>
/// The one way anything reaches the general ledger. Runs inside the caller's transaction, so a
/// document's state change and its journal lines commit or fail together. It refuses unbalanced
/// entries, unknown, disabled or foreign accounts, and postings into a locked period (all 422);
/// posted lines are never edited afterwards (the database refuses it too): a correction is
/// <see cref="ReverseAsync"/> plus a new posting.
/// </summary>
public sealed partial class PostingEngine(TimeProvider clock)
{
    public async Task<PostedTransaction> PostAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingRequest request) =>
        await WriteAsync(conn, tx, await PrepareAsync(conn, tx, request), request.Document.DocumentNumber);

    /// <summary>
    /// Every check and conversion of a posting, nothing written. Callers that number their document
    /// gap-free (a row lock held until commit) prepare first and take the number just before
    /// <see cref="WriteAsync(NpgsqlConnection, NpgsqlTransaction, PreparedPosting, string?)"/>, so the lock is held briefly.
    /// </summary>
    public async Task<PreparedPosting> PrepareAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingRequest request)
    {
        var doc = request.Document;
        PostingRules.CheckBalanced(request.Lines);
        var facts = await LoadFactsAsync(conn, tx, request.CompanyId, doc.CompanyEntityId, request.Lines);
        if (facts.Entity is not { } entity) throw ApiException.Unprocessable($"Company entity {doc.CompanyEntityId} does not exist", "companyEntityId");
        CheckPeriodOpen(facts.LockedThrough, doc.PostingDate);
        CheckAccounts(facts.Accounts, request.Lines);
        var converted = PostingRules.Convert(request.Lines, doc.Currency, entity.LocalCurrency, request.LocalRate,
            entity.GroupCurrency, request.GroupRate);
        var sequenceId = $"LT-{doc.PostingDate.Year}-{facts.TransactionNumber:D8}";
        return new PreparedPosting(request, entity.LocalCurrency, entity.GroupCurrency, converted, sequenceId, request.TransactionId ?? Ids.New());
    }

    sealed record PostingFacts(EntityCurrencies? Entity, DateOnly? LockedThrough, Dictionary<Guid, (string Status, bool InEntity)> Accounts,
        long TransactionNumber);

    /// <summary>
    /// What a posting checks, in one round trip (a batch of four reads): the entity's currencies, the period
    /// lock (FOR SHARE: a concurrent period close waits for this posting, and this posting sees a close that
    /// committed first), the accounts, and the next ledger-transaction number (a sequence: gaps are allowed).
    /// </summary>
    static async Task<PostingFacts> LoadFactsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId,
        IReadOnlyList<PostingLine> lines)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(Command("""
            SELECT trim(e.local_currency), trim(c.base_currency) FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = $1 AND e.id = $2
            """, companyId, entityId));
        batch.BatchCommands.Add(Command("SELECT locked_through FROM period_locks WHERE company_id = $1 AND company_entity_id = $2 FOR SHARE",
            companyId, entityId));
        batch.BatchCommands.Add(Command("""
            SELECT a.id, a.status,
                   EXISTS (SELECT 1 FROM ledger_account_entities e
                            WHERE e.company_id = a.company_id AND e.ledger_account_id = a.id AND e.company_entity_id = $2)
              FROM ledger_accounts a WHERE a.company_id = $1 AND a.id = ANY($3)
            """, companyId, entityId, lines.Select(l => l.AccountId).Distinct().ToArray()));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT nextval('ledger_transaction_numbers')"));
        await using var reader = await batch.ExecuteReaderAsync();
        var entity = await reader.ReadAsync() ? new EntityCurrencies(reader.GetString(0), reader.GetString(1)) : null;
        await reader.NextResultAsync();
        DateOnly? lockedThrough = await reader.ReadAsync() && !reader.IsDBNull(0) ? reader.GetFieldValue<DateOnly>(0) : null;
        await reader.NextResultAsync();
        var accounts = new Dictionary<Guid, (string Status, bool InEntity)>();
        while (await reader.ReadAsync()) accounts[reader.GetGuid(0)] = (reader.GetString(1), reader.GetBoolean(2));
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return new PostingFacts(entity, lockedThrough, accounts, reader.GetInt64(0));
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    /// <summary>Writes a prepared posting: document feed row, transaction, lines, daily balances.</summary>
    public async Task<PostedTransaction> WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PreparedPosting prepared, string? documentNumber)
    {
        var request = prepared.Request with { Document = prepared.Request.Document with { DocumentNumber = documentNumber } };
        var doc = request.Document;
        await WriteAsync(conn, tx, request.CompanyId, request.CreatedBy, prepared.TransactionId, prepared.SequenceId, request.TransactionType,
            doc, new EntityCurrencies(prepared.LocalCurrency, prepared.GroupCurrency), prepared.Lines, reverses: null,
            documentRow: request);
        return new PostedTransaction(prepared.TransactionId, prepared.SequenceId, doc.PostingDate, prepared.Lines.Count);
    }

    /// <summary>
    /// Posts the mirror image of a transaction (every debit a credit and back, same amounts in all
    /// three currencies). It lands on the requested date, or on the first open day when the books
    /// are locked there. A transaction is reversed at most once (409 on a second attempt).
    /// </summary>
    public async Task<PostedTransaction> ReverseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        Guid transactionId, DateOnly? on, Guid? createdBy)
    {
        var original = await conn.QuerySingleOrDefaultAsync<TransactionRow>("""
            SELECT id, company_entity_id, ledger_name, accounting_document_id, document_type, posting_date
              FROM ledger_transactions WHERE company_id = @companyId AND id = @transactionId
            """, new { companyId, transactionId }, tx) ?? throw ApiException.NotFound("Ledger transaction");
        var already = await conn.ExecuteScalarAsync<Guid?>(
            "SELECT id FROM ledger_transactions WHERE company_id = @companyId AND reverses_transaction_id = @transactionId",
            new { companyId, transactionId }, tx);
        if (already is not null) throw ApiException.Conflict($"Ledger transaction {transactionId} was already reversed by {already}");

        var lines = (await conn.QueryAsync<Lines.LedgerLineRow>("""
            SELECT account_id, dc_sign, transaction_amount, transaction_currency, local_amount, group_amount, accounting_document_line_id,
                   description, document_description, document_number, document_sequence_id, tax_id, tax_code, tax_tag_label,
                   business_partner_name, business_partner_id, cost_center_id, custom_properties::text AS custom_properties
              FROM ledger_lines WHERE company_id = @companyId AND ledger_transaction_id = @transactionId ORDER BY id
            """, new { companyId, transactionId }, tx)).ToList();

        var date = on ?? original.PostingDate;
        var lockedThrough = await LockedThroughAsync(conn, tx, companyId, original.CompanyEntityId);
        if (lockedThrough is { } locked && date <= locked) date = locked.AddDays(1);

        var entity = await LoadEntityAsync(conn, tx, companyId, original.CompanyEntityId);
        var first = lines[0];
        var doc = new PostingDocument(original.AccountingDocumentId, original.DocumentType, original.CompanyEntityId, original.LedgerName,
            first.DocumentNumber, first.DocumentDescription, first.TransactionCurrency.Trim(), date,
            BusinessPartnerName: first.BusinessPartnerName, BusinessPartnerId: first.BusinessPartnerId);
        var mirrored = lines.Select(l => new ConvertedLine(
            new PostingLine(l.AccountId, DcSign.Flip(l.DcSign), l.TransactionAmount, l.Description, l.AccountingDocumentLineId,
                l.TaxId, l.TaxCode, l.CostCenterId, l.CustomProperties),
            l.LocalAmount, l.GroupAmount)).ToList();

        var sequenceId = await TransactionNumberAsync(conn, tx, date);
        var reversalId = Ids.New();
        await WriteAsync(conn, tx, companyId, createdBy, reversalId, sequenceId, "DEFAULT", doc, entity, mirrored, reverses: transactionId);
        return new PostedTransaction(reversalId, sequenceId, date, mirrored.Count);
    }

    /// <summary>
    /// Writes one transaction in one round trip (<see cref="PostingStatements"/>); sums beyond int64 are a 422.
    /// </summary>
    Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? createdBy, Guid transactionId,
        string sequenceId, string transactionType, PostingDocument doc, EntityCurrencies entity, List<ConvertedLine> lines, Guid? reverses,
        PostingRequest? documentRow = null)
    {
        var write = new PostingWrite(companyId, createdBy, transactionId, sequenceId, transactionType, doc, entity, lines, clock.GetUtcNow().UtcDateTime);
        var (sql, parameters) = PostingStatements(write, reverses, documentRow is not null, "@DocumentNumber");
        return RefusingOverflowAsync(doc.PostingDate, () => conn.ExecuteAsync(sql, parameters, tx));
    }

    /// <summary>
    /// A posting's sums beyond int64 as the API's 422 (PostingRules proved each side of one posting fits; the daily balances
    /// accumulate across documents, so a day's total beyond bigint is PostgreSQL's 22003). The caller's transaction is
    /// aborted with it, so nothing of the posting is kept.
    /// </summary>
    static async Task<T> RefusingOverflowAsync<T>(DateOnly postingDate, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (OverflowException)
        {
            throw Limits.Overflow("The posting's total", "lines");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw Limits.Overflow($"An account's daily balance on {postingDate:yyyy-MM-dd}", "lines");
        }
    }

    /// <summary>What one posting writes, for the statements below.</summary>
    sealed record PostingWrite(Guid CompanyId, Guid? CreatedBy, Guid TransactionId, string SequenceId, string TransactionType,
        PostingDocument Doc, EntityCurrencies Entity, List<ConvertedLine> Lines, DateTime Now);

    /// <summary>
    /// Every statement of one posting, sent in one round trip: the document feed row (for a new posting), the transaction
    /// header, the daily balances and the lines; <paramref name="documentNumber"/> is a SQL expression.
    /// </summary>
    static (string Sql, DynamicParameters Parameters) PostingStatements(PostingWrite w, Guid? reverses, bool withDocumentRow, string documentNumber)
    {
        var (balancesSql, balances) = DailyBalances(w);
        var parameters = HeaderParameters(w, reverses, balances);
        parameters.AddDynamicParams(LineArrays(w));
        return (HeaderSql(withDocumentRow, documentNumber) + balancesSql + ";\n" + InsertLinesSql(documentNumber), parameters);
    }

    /// <summary>The accounting-documents feed row (for a new posting) and the transaction header; <paramref name="documentNumber"/> is a SQL expression.</summary>
    static string HeaderSql(bool withDocumentRow, string documentNumber) =>
        (withDocumentRow ? UpsertDocumentSql.Replace("@DocumentNumber", documentNumber) + ";\n" : "") + """
            INSERT INTO ledger_transactions (company_id, id, company_entity_id, ledger_name, transaction_sequence_id, transaction_type,
                                             accounting_document_id, document_type, posting_date, reverses_transaction_id, created_by, created_at)
            VALUES (@companyId, @transactionId, @CompanyEntityId, @LedgerName, @sequenceId, @transactionType,
                    @DocumentId, @DocumentType, @PostingDate, @reverses, @createdBy, @now);
            """;

    static DynamicParameters HeaderParameters(PostingWrite w, Guid? reverses, object thenParameters)
    {
        var (companyId, createdBy, transactionId, sequenceId, transactionType, doc, now) = (w.CompanyId, w.CreatedBy, w.TransactionId, w.SequenceId,
            w.TransactionType, w.Doc, w.Now);
        var total = w.Lines.Where(l => l.Line.DcSign == DcSign.Debit).Sum(l => l.Line.Amount);
        var parameters = new DynamicParameters(thenParameters);
        parameters.AddDynamicParams(new
        {
            companyId, transactionId, doc.CompanyEntityId, doc.LedgerName, sequenceId, transactionType, doc.DocumentId, doc.DocumentType,
            doc.PostingDate, reverses, createdBy, now, doc.DocumentNumber, doc.Description, doc.Currency, doc.DocumentDate, doc.ValuationDate,
            doc.AreLinesWithTax, doc.BusinessPartnerName, doc.BusinessPartnerId, total,
        });
        return parameters;
    }

    /// <summary>
    /// Every line of a posting in one statement, one array per column; <paramref name="documentNumber"/> is a SQL expression. A line's
    /// tax code (unless its document named one) and tax tag label are its tax code's code and label, looked up here (same statement,
    /// no round trip), so the taxCode filters find every document's lines; tax codes are never renamed, so a reversal's mirror line
    /// gets what the original has.
    /// </summary>
    static string InsertLinesSql(string documentNumber) => $"""
        INSERT INTO ledger_lines (company_id, id, ledger_transaction_id, transaction_sequence_id, transaction_type, company_entity_id, ledger_name,
                                  account_id, dc_sign, transaction_amount, transaction_currency, local_amount, local_currency, group_amount,
                                  group_currency, signed_local_amount, posting_date, valuation_date, accounting_document_id,
                                  accounting_document_line_id, document_type, document_number, document_sequence_id, description,
                                  document_description, tax_id, tax_code, tax_tag_label, business_partner_name, business_partner_id,
                                  cost_center_id, custom_properties, created_by, created_at)
        SELECT @companyId, l.id, @transactionId, @sequenceId, @transactionType, @CompanyEntityId, @LedgerName,
               l.account_id, l.dc_sign, l.amount, @Currency, l.local_amount, @lineLocalCurrency, l.group_amount,
               @lineGroupCurrency, l.signed_local_amount, @PostingDate, @lineValuationDate, @DocumentId,
               l.document_line_id, @DocumentType, {documentNumber}, {documentNumber}, l.description,
               @Description, l.tax_id, COALESCE(l.tax_code, t.code), t.label,
               @BusinessPartnerName, @BusinessPartnerId, l.cost_center_id,
               l.custom_properties::jsonb, @createdBy, @now
          FROM unnest(@lineIds, @lineAccounts, @lineSigns, @lineAmounts, @lineLocal, @lineGroup, @lineSigned, @lineDocumentLines,
                      @lineDescriptions, @lineTaxIds, @lineTaxCodes, @lineCostCenters, @lineProperties)
               WITH ORDINALITY AS l(id, account_id, dc_sign, amount, local_amount, group_amount, signed_local_amount, document_line_id,
                                    description, tax_id, tax_code, cost_center_id, custom_properties, n)
          LEFT JOIN tax_codes t ON t.company_id = @companyId AND t.id = l.tax_id
         ORDER BY l.n
        """;

    /// <summary>The lines as one array per column (names distinct from the header's parameters).</summary>
    static object LineArrays(PostingWrite w) => new
    {
        lineLocalCurrency = w.Entity.LocalCurrency, lineGroupCurrency = w.Entity.GroupCurrency, lineValuationDate = w.Doc.ValuationDate ?? w.Doc.PostingDate,
        lineIds = w.Lines.Select(_ => Ids.New()).ToArray(),
        lineAccounts = w.Lines.Select(l => l.Line.AccountId).ToArray(),
        lineSigns = w.Lines.Select(l => l.Line.DcSign).ToArray(),
        lineAmounts = w.Lines.Select(l => l.Line.Amount).ToArray(),
        lineLocal = w.Lines.Select(l => l.LocalAmount).ToArray(),
        lineGroup = w.Lines.Select(l => l.GroupAmount).ToArray(),
        lineSigned = w.Lines.Select(l => l.Line.DcSign == DcSign.Debit ? l.LocalAmount : -l.LocalAmount).ToArray(),
        lineDocumentLines = w.Lines.Select(l => l.Line.DocumentLineId).ToArray(),
        lineDescriptions = w.Lines.Select(l => l.Line.Description).ToArray(),
        lineTaxIds = w.Lines.Select(l => l.Line.TaxId).ToArray(),
        lineTaxCodes = w.Lines.Select(l => l.Line.TaxCode).ToArray(),
        lineCostCenters = w.Lines.Select(l => l.Line.CostCenterId).ToArray(),
        lineProperties = w.Lines.Select(l => l.Line.CustomPropertiesJson).ToArray(),
    };

    /// <summary>Daily balances, in account order so concurrent postings lock rows in the same order (no deadlocks).</summary>
    static (string Sql, object Parameters) DailyBalances(PostingWrite w)
    {
        var (companyId, doc, lines) = (w.CompanyId, w.Doc, w.Lines);
        var perAccount = lines.GroupBy(l => l.Line.AccountId).OrderBy(g => g.Key).Select(g => new
        {
            AccountId = g.Key,
            DebitTransaction = g.Where(l => l.Line.DcSign == DcSign.Debit).Sum(l => l.Line.Amount),
            CreditTransaction = g.Where(l => l.Line.DcSign == DcSign.Credit).Sum(l => l.Line.Amount),
            DebitLocal = g.Where(l => l.Line.DcSign == DcSign.Debit).Sum(l => l.LocalAmount),
            CreditLocal = g.Where(l => l.Line.DcSign == DcSign.Credit).Sum(l => l.LocalAmount),
            DebitGroup = g.Where(l => l.Line.DcSign == DcSign.Debit).Sum(l => l.GroupAmount),
            CreditGroup = g.Where(l => l.Line.DcSign == DcSign.Credit).Sum(l => l.GroupAmount),
            Count = (long)g.Count(),
        }).ToList();
        return ("""
            INSERT INTO account_daily_balances AS b (company_id, company_entity_id, ledger_name, account_id, day, transaction_currency,
                                                     debit_transaction, credit_transaction, debit_local, credit_local, debit_group, credit_group, line_count)
            SELECT @companyId, @entityId, @ledgerName, a.account_id, @day, @currency, a.debit_transaction, a.credit_transaction,
                   a.debit_local, a.credit_local, a.debit_group, a.credit_group, a.line_count
              FROM unnest(@accounts, @debitTransaction, @creditTransaction, @debitLocal, @creditLocal, @debitGroup, @creditGroup, @counts)
                   AS a(account_id, debit_transaction, credit_transaction, debit_local, credit_local, debit_group, credit_group, line_count)
             ORDER BY a.account_id
            ON CONFLICT (company_id, company_entity_id, ledger_name, account_id, day, transaction_currency) DO UPDATE
               SET debit_transaction = b.debit_transaction + EXCLUDED.debit_transaction,
                   credit_transaction = b.credit_transaction + EXCLUDED.credit_transaction,
                   debit_local = b.debit_local + EXCLUDED.debit_local, credit_local = b.credit_local + EXCLUDED.credit_local,
                   debit_group = b.debit_group + EXCLUDED.debit_group, credit_group = b.credit_group + EXCLUDED.credit_group,
                   line_count = b.line_count + EXCLUDED.line_count
            """, new
        {
            entityId = doc.CompanyEntityId, ledgerName = doc.LedgerName, day = doc.PostingDate, currency = doc.Currency,
            accounts = perAccount.Select(a => a.AccountId).ToArray(),
            debitTransaction = perAccount.Select(a => a.DebitTransaction).ToArray(),
            creditTransaction = perAccount.Select(a => a.CreditTransaction).ToArray(),
            debitLocal = perAccount.Select(a => a.DebitLocal).ToArray(),
            creditLocal = perAccount.Select(a => a.CreditLocal).ToArray(),
            debitGroup = perAccount.Select(a => a.DebitGroup).ToArray(),
            creditGroup = perAccount.Select(a => a.CreditGroup).ToArray(),
            counts = perAccount.Select(a => a.Count).ToArray(),
        });
    }

    static async Task<string> TransactionNumberAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateOnly postingDate) =>
        $"LT-{postingDate.Year}-{await conn.ExecuteScalarAsync<long>("SELECT nextval('ledger_transaction_numbers')", transaction: tx):D8}";

    const string UpsertDocumentSql = """
        INSERT INTO accounting_documents (company_id, id, company_entity_id, document_type, ledger_name, document_number, document_sequence_id,
                                          status, description, currency, document_date, posting_date, valuation_date, are_lines_with_tax,
                                          business_partner_name, business_partner_id, total_amount, total_dc_sign, created_by, created_at, updated_at)
        VALUES (@companyId, @DocumentId, @CompanyEntityId, @DocumentType, @LedgerName, @DocumentNumber, @DocumentNumber,
                'POSTED', @Description, @Currency, @DocumentDate, @PostingDate, @ValuationDate, @AreLinesWithTax,
                @BusinessPartnerName, @BusinessPartnerId, @total, 'D', @createdBy, @now, @now)
        ON CONFLICT (company_id, id) DO UPDATE
           SET status = 'POSTED', total_amount = EXCLUDED.total_amount, posting_date = EXCLUDED.posting_date, updated_at = EXCLUDED.updated_at
        """;

    /// <summary>Marks a document's feed row (e.g. ARCHIVED after its reversal).</summary>
    public static Task SetDocumentStatusAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, string status) =>
        conn.ExecuteAsync("UPDATE accounting_documents SET status = @status, updated_at = now() WHERE company_id = @companyId AND id = @documentId",
            new { companyId, documentId, status }, tx);

    sealed record EntityCurrencies(string LocalCurrency, string GroupCurrency);

    static async Task<EntityCurrencies> LoadEntityAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId)
    {
        var row = await conn.QuerySingleOrDefaultAsync<(string Local, string Group)>("""
            SELECT e.local_currency, c.base_currency FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = @companyId AND e.id = @entityId
            """, new { companyId, entityId }, tx);
        if (row.Local is null) throw ApiException.Unprocessable($"Company entity {entityId} does not exist", "companyEntityId");
        return new EntityCurrencies(row.Local.Trim(), row.Group.Trim());
    }

    public static Task<DateOnly?> LockedThroughAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid entityId) =>
        conn.ExecuteScalarAsync<DateOnly?>(
            "SELECT locked_through FROM period_locks WHERE company_id = @companyId AND company_entity_id = @entityId",
            new { companyId, entityId }, tx);

    static void CheckPeriodOpen(DateOnly? locked, DateOnly postingDate)
    {
        if (locked is { } through && postingDate <= through)
            throw ApiException.Unprocessable(
                $"The books of this entity are closed through {through:yyyy-MM-dd}; posting date {postingDate:yyyy-MM-dd} is in a closed period",
                "postingDate");
    }

    static void CheckAccounts(Dictionary<Guid, (string Status, bool InEntity)> accounts, IReadOnlyList<PostingLine> lines)
    {
        var errors = new List<FieldError>();
        foreach (var line in lines)
        {
            var path = line.Path ?? ["lines"];
            if (!accounts.TryGetValue(line.AccountId, out var account))
                errors.Add(new FieldError("UNKNOWN_ACCOUNT", $"Ledger account {line.AccountId} does not exist", path));
            else if (account.Status != "ACTIVE")
                errors.Add(new FieldError("ACCOUNT_DISABLED", $"Ledger account {line.AccountId} is {account.Status}", path));
            else if (!account.InEntity)
                errors.Add(new FieldError("ACCOUNT_NOT_IN_ENTITY", $"Ledger account {line.AccountId} is not used by this entity", path));
        }
        if (errors.Count > 0) throw new ApiException(422, "UNPROCESSABLE_CONTENT", errors[0].Message, errors);
    }

    sealed class TransactionRow
    {
        public Guid Id { get; set; }
        public Guid CompanyEntityId { get; set; }
        public string LedgerName { get; set; } = "";
        public Guid AccountingDocumentId { get; set; }
        public string DocumentType { get; set; } = "";
        public DateOnly PostingDate { get; set; }
    }
}

/// <summary>Gap-free numbering per entity, document type and year, taken inside the caller's transaction.</summary>
public static class DocumentNumbers
{
    public static async Task<string> NextAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId, string type, int year)
    {
        // The row lock taken by the upsert serialises concurrent numbering until commit; a rollback gives the number back.
        var value = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO document_sequences (company_id, company_entity_id, document_type, year, next_value)
            VALUES (@companyId, @entityId, @type, @year, 2)
            ON CONFLICT (company_id, company_entity_id, document_type, year) DO UPDATE SET next_value = document_sequences.next_value + 1
            RETURNING next_value - 1
            """, new { companyId, entityId, type, year }, tx);
        return $"{type}-{year}-{value:D6}";
    }
}
