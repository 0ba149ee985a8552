using Ledgerlight.Currencies;

namespace Ledgerlight.Spend;

/// <summary>
/// Ledgerlight's own card issuer. Every decision runs in one transaction that first locks the card row
/// and then its balance account row (always in that order, so two authorizations cannot deadlock):
/// parallel authorizations on a card, or on cards sharing an account, are decided one after the
/// other against the limits and funds the previous ones left, never against a stale read.
/// </summary>
public sealed class SandboxCardIssuer(NpgsqlDataSource db, CardKeyStore keys, TimeProvider clock) : ICardIssuer
{
    public CardNumbers.IssuedNumber IssueNumber() => CardNumbers.Issue();

    public Task<CardPublicKeyModel> PublicKeyAsync(Guid companyId, Guid entityId, CancellationToken ct = default) =>
        keys.CurrentAsync(companyId, entityId, ct);

    public Task<byte[]> DecryptAsync(Guid companyId, Guid entityId, byte[] ciphertext, CancellationToken ct = default) =>
        keys.DecryptAsync(companyId, entityId, ciphertext, ct);

    public async Task<CardTransactionModel> HandleAsync(Guid companyId, NetworkMessage message, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        Guid id;
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            id = message.Type switch
            {
                NetworkMessageTypes.Authorization => await AuthorizeAsync(conn, tx, companyId, message),
                NetworkMessageTypes.Capture => await SettleAsync(conn, tx, companyId, message, CardTransactionAction.Capture),
                NetworkMessageTypes.Void => await SettleAsync(conn, tx, companyId, message, CardTransactionAction.Void),
                _ => await RefundAsync(conn, tx, companyId, message),
            };
            await tx.CommitWriteAsync(ct);
        }
        return (await CardTransactionStore.LoadModelAsync(conn, null, companyId, id))!;
    }

    sealed class LockedCard
    {
        public Guid Id { get; set; }
        public Guid CompanyEntityId { get; set; }
        public Guid CardBalanceAccountId { get; set; }
        public string Status { get; set; } = "";
        public Guid OwnerId { get; set; }
    }

    async Task<Guid> AuthorizeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, NetworkMessage m)
    {
        var card = await conn.QuerySingleOrDefaultAsync<LockedCard>("""
            SELECT id, company_entity_id, card_balance_account_id, status, owner_id FROM cards
             WHERE company_id = @companyId AND id = @cardId FOR UPDATE
            """, new { companyId, cardId = m.CardId }, tx) ?? throw ApiException.NotFound("Card");
        if (await CardTransactionStore.FindByReferenceAsync(conn, tx, companyId, m.Reference!) is { } existing) return existing;
        var account = (await CardBalanceAccountStore.FindAsync(conn, tx, companyId, card.CardBalanceAccountId, forUpdate: true))!;
        var ownerStatus = await conn.ExecuteScalarAsync<string>("SELECT status FROM users WHERE company_id = @companyId AND id = @ownerId",
            new { companyId, card.OwnerId }, tx) ?? "";

        var now = clock.GetUtcNow().UtcDateTime;
        var performedAt = m.PerformedAt?.ToUniversalTime() ?? now;
        // Foreign purchases settle in the account currency at the ECB rate of the purchase day.
        var rate = m.Currency == account.Currency ? 1m
            : (await ExchangeRateStore.FindAsync(conn, tx, m.Currency!, account.Currency, DateOnly.FromDateTime(performedAt)))?.Rate;
        var amount = rate is { } r ? Money.Convert(m.Amount!.Value, m.Currency!, account.Currency, r) : 0;
        var limits = await LimitUsageAsync(conn, tx, companyId, card.Id, performedAt);
        var totals = (await CardBalanceAccountStore.TotalsAsync(conn, tx, companyId, [account.Id]))[account.Id];
        var decision = AuthorizationRules.Decide(new AuthorizationFacts(card.Status, account.Status, ownerStatus, amount, limits, totals.Available,
            HasRate: rate is not null));

        return await CardTransactionStore.InsertAsync(conn, tx, companyId, new NewCardTransaction(
            card.CompanyEntityId, account.Id, card.Id, m.Reference!, null, m.Amount!.Value, m.Currency!, amount, account.Currency,
            m.Currency == account.Currency ? null : rate, Directions.Debit, decision.Reason, m.PurchaseType ?? "POS",
            decision.Approved ? CardTransactionStates.Authorized : CardTransactionStates.Declined, CardTransactionTypes.Payment,
            MerchantJson(m.Merchant), m.Merchant?.Name, performedAt), now);
    }

    /// <summary>Each of the card's limits with what its current window has already spent (authorizations included).</summary>
    static async Task<List<LimitUsage>> LimitUsageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid cardId, DateTime at)
    {
        var limits = await conn.QueryAsync<CardLimitRow>(
            $"SELECT {CardLimitRow.Columns} FROM card_limits WHERE company_id = @companyId AND card_id = @cardId", new { companyId, cardId }, tx);
        var usage = new List<LimitUsage>();
        foreach (var limit in limits)
        {
            var spent = CardLimitIntervals.Window(limit.Interval, at) is { } w
                ? await CardTransactionStore.CardSpendAsync(conn, tx, companyId, cardId, w.From, w.To)
                : 0;
            usage.Add(new LimitUsage(limit.Interval, limit.Amount, spent));
        }
        return usage;
    }

    /// <summary>Capture (settlement) or void of an authorization; a retried message finds it already done and changes nothing.</summary>
    async Task<Guid> SettleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, NetworkMessage m, CardTransactionAction action)
    {
        var row = await CardTransactionRow.Table.LockAsync(conn, tx, companyId, m.TransactionId!.Value) ?? throw ApiException.NotFound("Card transaction");
        if (row.Type != CardTransactionTypes.Payment) throw ApiException.Conflict($"Only a payment can be {action.ToString().ToLowerInvariant()}d");
        // A capture retried after the transaction was posted finds it settled already: the same answer, nothing changed.
        if (action == CardTransactionAction.Capture && row.Status == CardTransactionStates.Posted) return row.Id;
        var next = CardTransactionLifecycle.Machine.Next(row.Status, action);
        if (next == row.Status) return row.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync("""
            UPDATE card_transactions SET status = @next, transaction_reason = @reason, captured_at = @capturedAt, updated_at = @now
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            next, now, companyId, id = row.Id,
            reason = action == CardTransactionAction.Void ? TransactionReasons.Cancelled : row.TransactionReason,
            capturedAt = action == CardTransactionAction.Capture ? (m.PerformedAt?.ToUniversalTime() ?? now) : (DateTime?)null,
        }, tx);
        return row.Id;
    }

    /// <summary>A refund is its own transaction (REFUND, CREDIT) against a settled payment, at most what is left of it.</summary>
    async Task<Guid> RefundAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, NetworkMessage m)
    {
        var original = await CardTransactionRow.Table.LockAsync(conn, tx, companyId, m.TransactionId!.Value) ?? throw ApiException.NotFound("Card transaction");
        if (await CardTransactionStore.FindByReferenceAsync(conn, tx, companyId, m.Reference!) is { } existing) return existing;
        if (original.Type != CardTransactionTypes.Payment) throw ApiException.Conflict("Only a payment can be refunded");
        CardTransactionLifecycle.Machine.Ensure(original.Status, CardTransactionAction.Refund);
        if (m.Currency is { } currency && currency != original.OriginalCurrency)
            throw ApiException.Unprocessable($"The payment was made in {original.OriginalCurrency}; refund in that currency", "currency");
        var (refundedOriginal, refundedSettled) = await conn.QuerySingleAsync<(long, long)>("""
            SELECT COALESCE(sum(original_amount), 0)::bigint, COALESCE(sum(amount), 0)::bigint FROM card_transactions
             WHERE company_id = @companyId AND related_transaction_id = @id AND type = @refund AND status = ANY(@refunded)
            """, new { companyId, id = original.Id, refund = CardTransactionTypes.Refund, refunded = CardTransactionStates.SettledRefund }, tx);
        var remaining = original.OriginalAmount - refundedOriginal;
        var amountOriginal = m.Amount ?? remaining;
        if (amountOriginal <= 0 || amountOriginal > remaining)
            throw ApiException.Unprocessable($"At most {remaining} {original.OriginalCurrency} minor units of this payment are left to refund", "amount");
        // The last refund takes exactly what is left, so a full refund always returns the settled amount to the unit.
        var amount = amountOriginal == remaining ? original.Amount - refundedSettled
            : Money.Convert(amountOriginal, original.OriginalCurrency, original.Currency, original.FxRate ?? 1m);
        var now = clock.GetUtcNow().UtcDateTime;
        return await CardTransactionStore.InsertAsync(conn, tx, companyId, new NewCardTransaction(
            original.CompanyEntityId, original.CardBalanceAccountId, original.CardId, m.Reference!, original.Id, amountOriginal,
            original.OriginalCurrency, amount, original.Currency, original.FxRate, Directions.Credit, TransactionReasons.Approved,
            original.PurchaseType, CardTransactionStates.Refunded, CardTransactionTypes.Refund, original.Merchant, original.Description,
            m.PerformedAt?.ToUniversalTime() ?? now), now);
    }

    /// <summary>The merchant as card transactions store it (also for imported statements).</summary>
    internal static string? MerchantJson(NetworkMerchant? m) => m is null ? null
        : JsonSerializer.Serialize(new CardMerchantModel(m.Name, m.Name, m.Country, m.Zipcode, m.Id, m.Mcc, null, null), Json.Options);
}
