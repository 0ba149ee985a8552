namespace Ledgerlight.Ledger;

public static class DcSign
{
    public const string Debit = "D";
    public const string Credit = "C";

    public static string Flip(string sign) => sign == Debit ? Credit : Debit;

    public static bool IsValid(string? sign) => sign is Debit or Credit;
}

/// <summary>The document a posting belongs to; copied onto every line it produces.</summary>
public sealed record PostingDocument(
    Guid DocumentId,
    string DocumentType,
    Guid CompanyEntityId,
    string LedgerName,
    string? DocumentNumber,
    string? Description,
    string Currency,
    DateOnly PostingDate,
    DateOnly? DocumentDate = null,
    DateOnly? ValuationDate = null,
    string? BusinessPartnerName = null,
    Guid? BusinessPartnerId = null,
    bool AreLinesWithTax = false);

/// <summary>
/// One line to post, in the document's currency. Amounts are positive minor units; the sign says
/// debit or credit. Path is where the line came from in the caller's request, for error messages.
/// LocalAmount/GroupAmount, when given, are used as they are instead of converting at the
/// posting's rate: settlements carry the amounts an open item was booked at, and an FX
/// gain/loss line has no document-currency amount at all.
/// </summary>
public sealed record PostingLine(
    Guid AccountId,
    string DcSign,
    long Amount,
    string? Description = null,
    Guid? DocumentLineId = null,
    Guid? TaxId = null,
    string? TaxCode = null,
    Guid? CostCenterId = null,
    string? CustomPropertiesJson = null,
    object[]? Path = null,
    long? LocalAmount = null,
    long? GroupAmount = null);

/// <summary>
/// Everything the engine needs to post: document, lines, and the rates from the document currency
/// into the entity's local currency and the company's group currency (1 when they are the same).
/// </summary>
public sealed record PostingRequest(
    Guid CompanyId,
    Guid? CreatedBy,
    PostingDocument Document,
    IReadOnlyList<PostingLine> Lines,
    decimal LocalRate,
    decimal GroupRate,
    string TransactionType = "DEFAULT",
    Guid? TransactionId = null);

public sealed record PostedTransaction(Guid Id, string SequenceId, DateOnly PostingDate, int LineCount);

/// <summary>A line after conversion: document, local and group amounts.</summary>
public sealed record ConvertedLine(PostingLine Line, long LocalAmount, long GroupAmount);

/// <summary>Posting rules that need no database: balance checks and currency conversion.</summary>
public static class PostingRules
{
    /// <summary>A full document (500 lines, each with a net and a tax line) plus its control-account line.</summary>
    public const int MaxLines = 2 * Limits.MaxLinesPerDocument + 1;

    /// <summary>Refuses entries that do not balance in their own currency, or have nothing to post.</summary>
    public static void CheckBalanced(IReadOnlyList<PostingLine> lines)
    {
        if (lines.Count == 0) throw ApiException.Unprocessable("A posting needs at least one line", "lines");
        if (lines.Count > MaxLines) throw ApiException.Unprocessable($"A posting has at most {MaxLines} lines", "lines");
        long debit = 0, credit = 0;
        foreach (var line in lines)
        {
            if (line.Amount < 0) throw ApiException.Unprocessable("Line amounts must not be negative", line.Path ?? ["lines"]);
            if (!DcSign.IsValid(line.DcSign)) throw ApiException.Unprocessable("dcSign must be D or C", line.Path ?? ["lines"]);
            try
            {
                checked
                {
                    if (line.DcSign == DcSign.Debit) debit += line.Amount;
                    else credit += line.Amount;
                }
            }
            catch (OverflowException)
            {
                throw Limits.Overflow("The entry's total", "lines");
            }
        }
        if (debit != credit)
            throw new ApiException(422, "UNPROCESSABLE_CONTENT",
                $"Entry does not balance: debits {debit} and credits {credit} differ by {Math.Abs(debit - credit)}",
                [new FieldError("UNBALANCED_ENTRY", "Debits must equal credits", ["lines"],
                    new Dictionary<string, object?> { ["debit"] = debit, ["credit"] = credit })]);
        if (debit == 0) throw ApiException.Unprocessable("Entry has no amounts to post", "lines");
    }

    /// <summary>
    /// Converts every line into local and group currency. Rounding each line separately can leave
    /// the converted entry a few minor units out of balance; that difference goes onto the largest
    /// line of the side that is short, so the converted entry balances exactly too.
    /// </summary>
    public static List<ConvertedLine> Convert(IReadOnlyList<PostingLine> lines, string currency, string localCurrency,
        decimal localRate, string groupCurrency, decimal groupRate)
    {
        var local = lines.Select(l => l.LocalAmount ?? Money.Convert(l.Amount, currency, localCurrency, localRate)).ToArray();
        var group = lines.Select(l => l.GroupAmount ?? Money.Convert(l.Amount, currency, groupCurrency, groupRate)).ToArray();
        Rebalance(lines, local, l => l.LocalAmount is not null, "local");
        Rebalance(lines, group, l => l.GroupAmount is not null, "group");
        return lines.Select((l, i) => new ConvertedLine(l, local[i], group[i])).ToList();
    }

    static void Rebalance(IReadOnlyList<PostingLine> lines, long[] amounts, Func<PostingLine, bool> isFixed, string what)
    {
        long debit = 0, credit = 0;
        try
        {
            for (var i = 0; i < lines.Count; i++)
                checked
                {
                    if (lines[i].DcSign == DcSign.Debit) debit += amounts[i]; else credit += amounts[i];
                }
        }
        catch (OverflowException)
        {
            throw Limits.Overflow($"The entry's total in {what} currency", "lines");
        }
        if (debit == credit) return;
        var shortSide = debit < credit ? DcSign.Debit : DcSign.Credit;
        var candidates = Enumerable.Range(0, lines.Count).Where(i => lines[i].DcSign == shortSide && !isFixed(lines[i])).ToList();
        // Amounts the caller fixed are never adjusted; if nothing else can absorb the difference, the caller's amounts are wrong.
        if (candidates.Count == 0)
            throw ApiException.Unprocessable($"Entry does not balance in {what} currency: debits {debit}, credits {credit}", "lines");
        // Cannot overflow: the largest short-side line plus the difference is at most the long side's total.
        amounts[candidates.MaxBy(i => amounts[i])] += Math.Abs(debit - credit);
    }
}

/// <summary>A checked and converted posting, ready to write (see PostingEngine.PrepareAsync).</summary>
public sealed record PreparedPosting(PostingRequest Request, string LocalCurrency, string GroupCurrency, List<ConvertedLine> Lines,
    string SequenceId, Guid TransactionId);
