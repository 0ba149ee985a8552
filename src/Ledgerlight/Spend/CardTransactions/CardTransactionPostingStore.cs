using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Payables.PayableDocuments;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Spend.CardTransactions;

/// <summary>
/// A card transaction into the ledger and back out: post books it through the posting engine (lines from
/// <see cref="CardTransactionPosting"/>), reset reverses that entry and returns the transaction to its settled,
/// editable state. Both run in the transaction skeleton of every document, the row locked.
/// </summary>
public sealed class CardTransactionPostingStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    /// <summary>Document type of a card transaction in the ledger's document feed.</summary>
    public const string DocumentType = "CT";

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<CardTransactionModel?> PostAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, CardTransactionRow.Table, principal.CompanyId, id, async s =>
        {
            var row = s.Row;
            var next = CardTransactionLifecycle.Machine.Next(row.Status, CardTransactionAction.Post);
            var (conn, tx, companyId) = (s.Connection, s.Transaction, s.CompanyId);
            var lines = await DefaultAccountsAsync(conn, tx, companyId, row);
            CardTransactionPosting.CheckPostable(row.Amount, lines);

            var postables = lines.Select(l => new PostableLine(l.Id, l.AccountId!.Value, l.NetAmount, l.TaxAmount, l.Description, l.TaxCodeId,
                l.CostCenterId)).ToList();
            var description = row.Description ?? row.MerchantModel?.Name;
            var postingDate = row.PostingDate ?? DateOnly.FromDateTime(row.PerformedAt);
            var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, row.CompanyEntityId);
            var postingLines = CardTransactionPosting.Lines(row.Type, await SystemAccounts.FindAsync(conn, tx, companyId, "CARD"), description,
                postables, await PayableLineReferences.InputTaxAccountsAsync(conn, tx, companyId, postables));
            var vendor = await conn.QuerySingleOrDefaultAsync<(Guid? Id, string? Name)>("""
                SELECT v.id, v.name FROM cards c JOIN vendors v ON v.company_id = c.company_id AND v.id = c.vendor_id
                 WHERE c.company_id = @companyId AND c.id = @cardId
                """, new { companyId, cardId = row.CardId }, tx);
            var posted = await engine.PostAsync(conn, tx, new PostingRequest(companyId, principal.ActorId(),
                new PostingDocument(id, DocumentType, row.CompanyEntityId, "PRIMARY", null, description, row.Currency, postingDate,
                    DateOnly.FromDateTime(row.PerformedAt), null, vendor.Name, vendor.Id, AreLinesWithTax: true),
                postingLines, await RateAsync(conn, tx, row.Currency, local, postingDate, "postingDate"),
                await RateAsync(conn, tx, row.Currency, group, postingDate, "postingDate")));
            await SetStateAsync(conn, tx, principal, row, next, postingDate, posted.Id);
        }, conn => CardTransactionStore.LoadModelAsync(conn, null, principal.CompanyId, id));

    public Task<CardTransactionModel?> ResetAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, CardTransactionRow.Table, principal.CompanyId, id, async s =>
        {
            CardTransactionLifecycle.Machine.Ensure(s.Row.Status, CardTransactionAction.Reset);
            var posted = s.Row.LedgerTransactionId ?? throw ApiException.Conflict("Card transaction is POSTED but has no ledger entry to reverse");
            await engine.ReverseAsync(s.Connection, s.Transaction, s.CompanyId, posted, null, principal.ActorId());
            await SetStateAsync(s.Connection, s.Transaction, principal, s.Row, CardTransactionLifecycle.ResetState(s.Row.Type), s.Row.PostingDate, null);
        }, conn => CardTransactionStore.LoadModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>
    /// The lines, each line without an account given the default: the card's vendor's default account, else the chart's
    /// EXPENSE account. Written back, so the posted line shows the account it was booked to.
    /// </summary>
    static async Task<IReadOnlyList<CardTransactionLineRow>> DefaultAccountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        CardTransactionRow row)
    {
        var lines = await CardTransactionStore.LinesAsync(conn, tx, companyId, row.Id);
        if (lines.All(l => l.AccountId is not null)) return lines;
        if (await MirrorPaymentCodingAsync(conn, tx, companyId, row, lines)) lines = await CardTransactionStore.LinesAsync(conn, tx, companyId, row.Id);
        if (lines.All(l => l.AccountId is not null)) return lines;
        var fallback = await conn.ExecuteScalarAsync<Guid?>("""
                           SELECT v.default_account_id FROM cards c JOIN vendors v ON v.company_id = c.company_id AND v.id = c.vendor_id
                            WHERE c.company_id = @companyId AND c.id = @cardId
                           """, new { companyId, cardId = row.CardId }, tx)
                       ?? await SystemAccounts.FindAsync(conn, tx, companyId, "EXPENSE");
        await conn.ExecuteAsync("""
            UPDATE card_transaction_lines SET account_id = @fallback
             WHERE company_id = @companyId AND transaction_id = @id AND account_id IS NULL
            """, new { companyId, id = row.Id, fallback }, tx);
        foreach (var line in lines) line.AccountId ??= fallback;
        return lines;
    }

    /// <summary>
    /// A refund still on its single uncoded line takes its payment's coding (accounts, tax codes, cost centres, in
    /// proportion), so posting it reverses what the payment booked; false when there is nothing to copy.
    /// </summary>
    static async Task<bool> MirrorPaymentCodingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CardTransactionRow row,
        IReadOnlyList<CardTransactionLineRow> lines)
    {
        if (row.Type != CardTransactionTypes.Refund || row.RelatedTransactionId is not { } paymentId || lines.Count != 1 || lines[0].AccountId is not null)
            return false;
        var paymentLines = await CardTransactionStore.LinesAsync(conn, tx, companyId, paymentId);
        if (paymentLines.Count == 0 || paymentLines.Any(l => l.AccountId is null)) return false;
        var mirrored = CardTransactionPosting.MirrorCoding(lines[0].Amount, paymentLines);
        await conn.ExecuteAsync("DELETE FROM card_transaction_lines WHERE company_id = @companyId AND transaction_id = @id",
            new { companyId, id = row.Id }, tx);
        for (var i = 0; i < mirrored.Count; i++)
        {
            var m = mirrored[i];
            await conn.ExecuteAsync("""
                INSERT INTO card_transaction_lines (company_id, id, transaction_id, account_id, tax_code_id, cost_center_id, amount, net_amount,
                                                    tax_amount, description, position, created_at, updated_at)
                VALUES (@companyId, @lineId, @id, @AccountId, @TaxCodeId, @CostCenterId, @Amount, @NetAmount, @TaxAmount, @Description, @position, now(), now())
                """, new { companyId, lineId = Ids.New(), id = row.Id, m.AccountId, m.TaxCodeId, m.CostCenterId, m.Amount, m.NetAmount, m.TaxAmount,
                m.Description, position = i }, tx);
        }
        return true;
    }

    async Task SetStateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, CardTransactionRow row, string state,
        DateOnly? postingDate, Guid? ledgerTransactionId) =>
        await conn.ExecuteAsync("""
            UPDATE card_transactions SET status = @state, edit_status = @editStatus, posting_date = @postingDate,
                   ledger_transaction_id = @ledgerTransactionId, updated_at = @now, updated_by = @userId
             WHERE company_id = @companyId AND id = @id
            """, new
        {
            state, editStatus = CardTransactionLifecycle.EditStatusOf(state), postingDate, ledgerTransactionId, now = Now,
            userId = principal.UserId, companyId = row.CompanyId, id = row.Id,
        }, tx);
}
