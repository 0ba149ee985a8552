using Ledgerlight.Ledger.JournalEntries;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Spend;

/// <summary>Card balance accounts: the primary one per entity, balances, funding (the one ledger posting of this step), statements.</summary>
public sealed class CardBalanceAccountStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    const string From = "card_balance_accounts b";

    /// <summary>Light's document type for card movements; funding is one.</summary>
    public const string DocumentType = "CC";

    /// <summary>Every entity's first balance account, in its currency; called in the transaction that creates the entity.</summary>
    public static Task CreatePrimaryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId, string entityName,
        string currency, DateTime now) =>
        conn.ExecuteAsync("""
            INSERT INTO card_balance_accounts (company_id, id, company_entity_id, currency, label, status, is_primary, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @currency, @label, @status, true, @now, @now)
            """, new { companyId, id = Ids.New(), entityId, currency, label = $"{entityName} {currency}", status = CardBalanceAccountStatuses.Active, now }, tx);

    public async Task<CardBalanceAccountRow?> GetAsync(Guid companyId, Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await FindAsync(conn, null, companyId, id);
    }

    public static Task<CardBalanceAccountRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool forUpdate = false) =>
        conn.QuerySingleOrDefaultAsync<CardBalanceAccountRow>(
            $"SELECT {CardBalanceAccountRow.Columns} FROM {From} WHERE b.company_id = @companyId AND b.id = @id{(forUpdate ? " FOR UPDATE" : "")}",
            new { companyId, id }, tx);

    public async Task<CardBalanceAccountModel?> GetModelAsync(Guid companyId, Guid id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await FindAsync(conn, null, companyId, id);
        if (row is null) return null;
        return row.ToModel((await TotalsAsync(conn, null, companyId, [id])).GetValueOrDefault(id, BalanceTotals.Zero));
    }

    /// <summary>Balance sums of several accounts in two statements (fundings, transactions); states reach SQL as parameters.</summary>
    public static async Task<Dictionary<Guid, BalanceTotals>> TotalsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId,
        IReadOnlyList<Guid> ids)
    {
        var funded = (await conn.QueryAsync<(Guid, long)>("""
            SELECT card_balance_account_id, sum(amount)::bigint FROM card_balance_account_fundings
             WHERE company_id = @companyId AND card_balance_account_id = ANY(@ids) GROUP BY card_balance_account_id
            """, new { companyId, ids = ids.ToArray() }, tx)).ToDictionary(r => r.Item1, r => r.Item2);
        var spent = (await conn.QueryAsync<(Guid Id, long Captured, long Reserved, long Refunded)>("""
            SELECT card_balance_account_id,
                   COALESCE(sum(amount) FILTER (WHERE type = @payment AND status = ANY(@settled)), 0)::bigint,
                   COALESCE(sum(amount) FILTER (WHERE type = @payment AND status = @authorized), 0)::bigint,
                   COALESCE(sum(amount) FILTER (WHERE type = @refund AND status = ANY(@refunded)), 0)::bigint
              FROM card_transactions
             WHERE company_id = @companyId AND card_balance_account_id = ANY(@ids) GROUP BY card_balance_account_id
            """, new
        {
            companyId, ids = ids.ToArray(), payment = CardTransactionTypes.Payment, refund = CardTransactionTypes.Refund,
            settled = CardTransactionStates.SettledPayment, authorized = CardTransactionStates.Authorized, refunded = CardTransactionStates.SettledRefund,
        }, tx)).ToDictionary(r => r.Id);
        return ids.Distinct().ToDictionary(id => id, id =>
        {
            var s = spent.GetValueOrDefault(id);
            return new BalanceTotals(funded.GetValueOrDefault(id), s.Captured, s.Reserved, s.Refunded);
        });
    }

    /// <summary>
    /// Moves money from a bank account of the same entity and currency into the balance account:
    /// Dr the CARD account / Cr the bank's ledger account, through the PostingEngine, in the
    /// transaction that records the funding (the balance account row locked, like an authorization).
    /// </summary>
    public async Task<CardBalanceAccountModel?> FundAsync(Principal principal, Guid id, FundCardBalanceAccountRequest request)
    {
        var companyId = principal.CompanyId;
        await using var conn = await db.OpenConnectionAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            var account = await FindAsync(conn, tx, companyId, id, forUpdate: true);
            if (account is null) return null;
            if (account.Status != CardBalanceAccountStatuses.Active) throw ApiException.Conflict($"Card balance account is {account.Status}");
            var bank = await conn.QuerySingleOrDefaultAsync<(Guid EntityId, string Currency, Guid LedgerAccountId, string Name)>("""
                SELECT company_entity_id, trim(currency), ledger_account_id, name FROM bank_accounts WHERE company_id = @companyId AND id = @bankAccountId
                """, new { companyId, bankAccountId = request.BankAccountId!.Value }, tx);
            if (bank.LedgerAccountId == Guid.Empty)
                throw ApiException.BadRequest($"Bank account {request.BankAccountId} does not exist", "bankAccountId");
            if (bank.EntityId != account.CompanyEntityId)
                throw ApiException.Unprocessable("The bank account belongs to another entity than the card balance account", "bankAccountId");
            if (bank.Currency != account.Currency)
                throw ApiException.Unprocessable($"The bank account is in {bank.Currency}, the card balance account in {account.Currency}", "bankAccountId");

            var now = clock.GetUtcNow().UtcDateTime;
            var date = request.Date ?? DateOnly.FromDateTime(now);
            var fundingId = Ids.New();
            var transactionId = Ids.New();
            var description = request.Description ?? $"Funding of {account.Label} from {bank.Name}";
            var card = await SystemAccounts.FindAsync(conn, tx, companyId, "CARD");
            var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, account.CompanyEntityId);
            await engine.PostAsync(conn, tx, new PostingRequest(companyId, principal.UserId,
                new PostingDocument(fundingId, DocumentType, account.CompanyEntityId, "PRIMARY", null, description, account.Currency, date, date),
                [
                    new PostingLine(card, DcSign.Debit, request.Amount!.Value, description, Path: ["amount"]),
                    new PostingLine(bank.LedgerAccountId, DcSign.Credit, request.Amount!.Value, description, Path: ["amount"]),
                ],
                await RateAsync(conn, tx, account.Currency, local, date, "date"), await RateAsync(conn, tx, account.Currency, group, date, "date"),
                TransactionId: transactionId));
            await conn.ExecuteAsync("""
                INSERT INTO card_balance_account_fundings (company_id, id, card_balance_account_id, bank_account_id, amount, description, funded_at,
                                                           ledger_transaction_id, created_by)
                VALUES (@companyId, @fundingId, @id, @bankAccountId, @amount, @description, @fundedAt, @transactionId, @userId)
                """, new
            {
                companyId, fundingId, id, bankAccountId = request.BankAccountId, amount = request.Amount, description,
                fundedAt = date == DateOnly.FromDateTime(now) ? now : date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), transactionId,
                userId = principal.UserId,
            }, tx);
            await tx.CommitWriteAsync();
        }
        return await GetModelAsync(companyId, id);
    }

    /// <summary>
    /// Every movement of one balance account, as a CTE the three readers below filter: fundings (CREDIT), payments
    /// that spend (authorized or settled, DEBIT) and settled refunds (CREDIT). Declined and voided payments are not movements.
    /// </summary>
    const string MovementsCte = """
        WITH movements AS (
            SELECT id::text AS provider_id, @credit AS direction, amount, funded_at AS booked_at, funded_at AS valued_at, description,
                   NULL::text AS reference, false AS is_card
              FROM card_balance_account_fundings
             WHERE company_id = @companyId AND card_balance_account_id = @id
            UNION ALL
            SELECT id::text, direction, amount, performed_at, COALESCE(captured_at, performed_at), COALESCE(description, merchant->>'name'),
                   network_reference, true
              FROM card_transactions
             WHERE company_id = @companyId AND card_balance_account_id = @id
               AND ((type = @payment AND status = ANY(@spending)) OR (type = @refund AND status = ANY(@refunded))))
        """;

    static object MovementParameters(Guid companyId, Guid id, DateTime from, DateTime to) => new
    {
        companyId, id, from, to, credit = Directions.Credit, payment = CardTransactionTypes.Payment, refund = CardTransactionTypes.Refund,
        spending = CardTransactionStates.Spending, refunded = CardTransactionStates.SettledRefund,
    };

    /// <summary>Movements booked in [from, to).</summary>
    public static async Task<List<BalanceMovement>> MovementsAsync(NpgsqlConnection conn, Guid companyId, Guid id, DateTime from, DateTime to) =>
        (await conn.QueryAsync<MovementRow>(MovementsCte + """
            SELECT provider_id, direction, amount, booked_at, valued_at, description, reference FROM movements
             WHERE booked_at >= @from AND booked_at < @to
            """, MovementParameters(companyId, id, from, to)))
        .Select(r => new BalanceMovement(r.ProviderId, r.Direction, r.Amount, r.BookedAt, r.ValuedAt, r.Description, r.Reference)).ToList();

    sealed class MovementRow
    {
        public string ProviderId { get; set; } = "";
        public string Direction { get; set; } = "";
        public long Amount { get; set; }
        public DateTime BookedAt { get; set; }
        public DateTime ValuedAt { get; set; }
        public string? Description { get; set; }
        public string? Reference { get; set; }
    }

    /// <summary>The balance (available) at an instant: every movement before it, summed in the database.</summary>
    public static Task<long> BalanceBeforeAsync(NpgsqlConnection conn, Guid companyId, Guid id, DateTime before) =>
        conn.ExecuteScalarAsync<long>(MovementsCte + """
            SELECT COALESCE(sum(CASE WHEN direction = @credit THEN amount ELSE -amount END), 0)::bigint FROM movements WHERE booked_at < @to
            """, MovementParameters(companyId, id, DateTime.UnixEpoch, before));

    public async Task<CardStatementModel> StatementAsync(CardBalanceAccountRow account, DateTime from, DateTime to)
    {
        await using var conn = await db.OpenConnectionAsync();
        var opening = await BalanceBeforeAsync(conn, account.CompanyId, account.Id, from);
        var (lines, closing) = StatementRules.Build(opening, await MovementsAsync(conn, account.CompanyId, account.Id, from, to));
        return new CardStatementModel(account.Id, account.Currency, from, to, opening, closing, lines, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Card payments (authorized or settled) less refunds, in the account's currency, performed in [from, to).</summary>
    public async Task<long> SpendAsync(CardBalanceAccountRow account, DateTime from, DateTime to)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>(MovementsCte + """
            SELECT COALESCE(sum(CASE WHEN direction = @credit THEN -amount ELSE amount END), 0)::bigint FROM movements
             WHERE is_card AND booked_at >= @from AND booked_at < @to
            """, MovementParameters(account.CompanyId, account.Id, from, to));
    }
}
