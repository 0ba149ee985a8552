using Ledgerlight.Ledger.JournalEntries;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>What a bill's or credit note's header lends its ledger entry (the rate overrides win over the day's rates).</summary>
/// <param name="DocumentType">The ledger's document type and number series: AP for bills, CN for credit notes.</param>
/// <param name="ApRole">The system account the gross is booked to (accounts payable, or what a bill's type books to).</param>
public sealed record PayableEntryHeader(Guid DocumentId, string DocumentType, PayableSide Side, Guid CompanyEntityId, string Currency,
    DateOnly PostingDate, DateOnly? DocumentDate, decimal? LocalRateOverride, decimal? GroupRateOverride, string? Description,
    string? VendorName, Guid? VendorId, bool LinesWithTax, string ApRole);

/// <summary>A checked entry not yet written, with what the document stores of it (its rates, number and AP amounts as booked).</summary>
public sealed record PreparedPayableEntry(PreparedPosting Posting, decimal LocalRate, decimal GroupRate, string DocumentNumber,
    long BookedLocal, long BookedGroup)
{
    public Guid TransactionId => Posting.TransactionId;
}

/// <summary>
/// The ledger entry of a bill or credit note, prepared the one way both are: rates of the posting date unless
/// overridden, lines from <see cref="PayablePosting"/> with each tax code's input-tax account, then the document's
/// gap-free number. The caller stores the document's side and writes <see cref="PreparedPayableEntry.Posting"/>.
/// </summary>
public static class PayableLedgerEntry
{
    public static async Task<PreparedPayableEntry> PrepareAsync(NpgsqlConnection conn, NpgsqlTransaction tx, PostingEngine engine, Guid companyId,
        Guid createdBy, PayableEntryHeader h, IReadOnlyList<PostableLine> lines, PostingPaths paths)
    {
        var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, h.CompanyEntityId);
        var localRate = h.LocalRateOverride ?? await RateAsync(conn, tx, h.Currency, local, h.PostingDate, "localCurrencyFxRateOverride");
        var groupRate = h.GroupRateOverride ?? await RateAsync(conn, tx, h.Currency, group, h.PostingDate, "groupCurrencyFxRateOverride");
        var postingLines = PayablePosting.Lines(h.Side, await SystemAccounts.FindAsync(conn, tx, companyId, h.ApRole), h.Description, lines,
            await PayableLineReferences.InputTaxAccountsAsync(conn, tx, companyId, lines), paths);
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, createdBy,
            new PostingDocument(h.DocumentId, h.DocumentType, h.CompanyEntityId, "PRIMARY", null, h.Description, h.Currency, h.PostingDate,
                h.DocumentDate, null, h.VendorName, h.VendorId, h.LinesWithTax),
            postingLines, localRate, groupRate, TransactionId: Ids.New()));
        var apLine = prepared.Lines[PayablePosting.ApLineIndex(h.Side, prepared.Lines.Count)];
        // The gap-free number's row lock is held until commit: take it only once everything is checked.
        var number = await DocumentNumbers.NextAsync(conn, tx, companyId, h.CompanyEntityId, h.DocumentType, h.PostingDate.Year);
        return new PreparedPayableEntry(prepared, localRate, groupRate, number, apLine.LocalAmount, apLine.GroupAmount);
    }
}
