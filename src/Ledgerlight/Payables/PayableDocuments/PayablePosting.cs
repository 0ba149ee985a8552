namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>A stored line of a bill or credit note, as its posting needs it.</summary>
public sealed record PostableLine(Guid Id, Guid AccountId, long Net, long Tax, string? Description, Guid? TaxCodeId, Guid? CostCenterId = null);

/// <summary>Where a document's lines and their fields sit in its API, so a posting error names the request field.</summary>
public sealed record PostingPaths(string Lines, string Account, string Tax);

/// <summary>Which side of accounts payable a document books: a bill credits it (we owe), a credit note debits it (we are owed back).</summary>
public enum PayableSide { Bill, CreditNote }

/// <summary>
/// The posting of an AP document, no database: each line's account takes its net and the input-tax
/// account its tax, accounts payable takes the gross with the vendor as business partner. A bill is
/// Dr expense/tax, Cr AP; a credit note is the same with the sides swapped. Debits come first, so the
/// bill's AP line is the last and the credit note's the first (<see cref="ApLineIndex"/>).
/// </summary>
public static class PayablePosting
{
    /// <summary>The tax-account key of a line: its tax code, or none.</summary>
    public static Guid TaxKey(Guid? taxCodeId) => taxCodeId ?? Guid.Empty;

    public static string ApSign(PayableSide side) => side == PayableSide.Bill ? DcSign.Credit : DcSign.Debit;

    /// <summary>Where the accounts-payable line sits in <see cref="Lines"/>' result with <paramref name="count"/> lines.</summary>
    public static int ApLineIndex(PayableSide side, int count) => side == PayableSide.Bill ? count - 1 : 0;

    /// <param name="taxAccounts">Input-tax account per <see cref="TaxKey"/> of every line with tax.</param>
    public static List<PostingLine> Lines(PayableSide side, Guid apAccount, string? apDescription, IReadOnlyList<PostableLine> lines,
        IReadOnlyDictionary<Guid, Guid> taxAccounts, PostingPaths paths)
    {
        var apSign = ApSign(side);
        var lineSign = DcSign.Flip(apSign);
        var result = new List<PostingLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Net != 0)
                result.Add(new PostingLine(line.AccountId, lineSign, line.Net, line.Description, line.Id, line.TaxCodeId,
                    CostCenterId: line.CostCenterId, Path: [paths.Lines, i, paths.Account]));
            if (line.Tax != 0)
                result.Add(new PostingLine(taxAccounts[TaxKey(line.TaxCodeId)], lineSign, line.Tax, line.Description, line.Id, line.TaxCodeId,
                    Path: [paths.Lines, i, paths.Tax]));
        }
        var ap = new PostingLine(apAccount, apSign, lines.Sum(l => l.Net + l.Tax), apDescription, Path: ["amount"]);
        if (side == PayableSide.Bill) result.Add(ap);
        else result.Insert(0, ap);
        return result;
    }
}
