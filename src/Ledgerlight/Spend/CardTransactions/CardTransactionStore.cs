namespace Ledgerlight.Spend;

/// <summary>
/// A card transaction to write, with its one line (same amount; the next step makes lines editable).
/// ProviderTransactionId and CapturedAt are set by statement imports (the issuer's id; a settled row's date).
/// </summary>
public sealed record NewCardTransaction(
    Guid CompanyEntityId, Guid CardBalanceAccountId, Guid CardId, string NetworkReference, Guid? RelatedTransactionId,
    long OriginalAmount, string OriginalCurrency, long Amount, string Currency, decimal? FxRate, string Direction, string Reason,
    string PurchaseType, string Status, string Type, string? MerchantJson, string? Description, DateTime PerformedAt,
    string? ProviderTransactionId = null, DateTime? CapturedAt = null);

/// <summary>Reads and writes card_transactions and their lines; the issuer decides what to write.</summary>
public static class CardTransactionStore
{
    public static async Task<Guid> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, NewCardTransaction t, DateTime now)
    {
        var id = Ids.New();
        try
        {
            await conn.ExecuteAsync("""
                INSERT INTO card_transactions (company_id, id, company_entity_id, card_balance_account_id, card_id, network_reference,
                    related_transaction_id, original_amount, original_currency, amount, currency, fx_rate, direction, transaction_reason,
                    purchase_type, status, type, merchant, edit_status, description, performed_at, captured_at, provider_transaction_id,
                    created_at, updated_at)
                VALUES (@companyId, @id, @CompanyEntityId, @CardBalanceAccountId, @CardId, @NetworkReference, @RelatedTransactionId,
                    @OriginalAmount, @OriginalCurrency, @Amount, @Currency, @FxRate, @Direction, @Reason, @PurchaseType, @Status, @Type,
                    @MerchantJson::jsonb, @editStatus, @Description, @PerformedAt, @CapturedAt, @ProviderTransactionId, @now, @now);
                INSERT INTO card_transaction_lines (company_id, id, transaction_id, amount, net_amount, tax_amount, description, position, created_at, updated_at)
                VALUES (@companyId, @lineId, @id, @Amount, @Amount, 0, @Description, 0, @now, @now)
                """, new
            {
                companyId, id, t.CompanyEntityId, t.CardBalanceAccountId, t.CardId, t.NetworkReference, t.RelatedTransactionId, t.OriginalAmount,
                t.OriginalCurrency, t.Amount, t.Currency, t.FxRate, t.Direction, t.Reason, t.PurchaseType, t.Status, t.Type, t.MerchantJson,
                editStatus = CardTransactionLifecycle.EditStatusOf(t.Status), t.Description, t.PerformedAt, t.CapturedAt, t.ProviderTransactionId,
                now, lineId = Ids.New(),
            }, tx);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ApiException.Conflict($"Network reference '{t.NetworkReference}' was already used for another card");
        }
        return id;
    }

    public static Task<Guid?> FindByReferenceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string reference) =>
        conn.ExecuteScalarAsync<Guid?>("SELECT id FROM card_transactions WHERE company_id = @companyId AND network_reference = @reference",
            new { companyId, reference }, tx);

    public static async Task<CardTransactionModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await CardTransactionRow.Table.FindAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var lines = await LinesAsync(conn, tx, companyId, id);
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId,
            [row.CustomProperties, .. lines.Select(l => l.CustomProperties)]);
        return row.ToModel(lines.Select((l, i) => l.ToModel(properties[i + 1])).ToList(), properties[0]);
    }

    /// <summary>A transaction's lines in their order.</summary>
    public static async Task<IReadOnlyList<CardTransactionLineRow>> LinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        (await conn.QueryAsync<CardTransactionLineRow>(
            $"SELECT {CardTransactionLineRow.Columns} FROM card_transaction_lines WHERE company_id = @companyId AND transaction_id = @id ORDER BY position, id",
            new { companyId, id }, tx)).ToList();

    /// <summary>What a card spent in [from, to): its payments that count against limits, in the account currency.</summary>
    public static Task<long> CardSpendAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid cardId, DateTime from, DateTime to) =>
        conn.ExecuteScalarAsync<long>("""
            SELECT COALESCE(sum(amount), 0)::bigint FROM card_transactions
             WHERE company_id = @companyId AND card_id = @cardId AND type = @payment AND status = ANY(@spending)
               AND performed_at >= @from AND performed_at < @to
            """, new { companyId, cardId, payment = CardTransactionTypes.Payment, spending = CardTransactionStates.Spending, from, to }, tx);
}
