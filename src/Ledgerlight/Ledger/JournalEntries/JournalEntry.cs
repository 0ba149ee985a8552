namespace Ledgerlight.Ledger.JournalEntries;

/// <summary>DirectedAmount: a positive amount in minor units with its debit/credit side.</summary>
public sealed record DirectedAmount(long Amount, string DcSign);

/// <summary>DirectedAmount as a request sends it: both parts optional so their absence can be reported.</summary>
public sealed record DirectedAmountRequest(long? Amount, string? DcSign);

public sealed record JournalEntryLineRequest(
    DirectedAmountRequest? NetTransactionAmount, DirectedAmountRequest? GrossTransactionAmount, DirectedAmountRequest? TaxAmount,
    string? Description, Guid? TargetCompanyEntityId, Guid? LedgerTaxId, Guid? LedgerAccountId, Guid? CostCenterId,
    Guid? AmortizationTemplateId, DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

/// <summary>ExternalCreateJournalEntryRequestV1Model.</summary>
public sealed record CreateJournalEntryRequest(
    Guid? CompanyEntityId, string? LedgerName, string? DocumentNumber, string? Description, string? Currency,
    DateOnly? PostingDate, DateOnly? ValuationDate, decimal? LocalCurrencyFxRateOverride, decimal? GroupCurrencyFxRateOverride,
    DateOnly? DocumentDate, bool? AreLinesWithTax, IReadOnlyList<JournalEntryLineRequest>? Lines, string? BusinessPartnerName,
    Guid? BusinessPartnerId, bool? ShouldPost, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties);

/// <summary>ExternalUpdateJournalEntryRequestV1Model (PATCH: the raw JSON decides what is present).</summary>
public sealed record UpdateJournalEntryRequest(
    Guid? CompanyEntityId, string? LedgerName, DateOnly? PostingDate, DateOnly? DocumentDate, bool? AreLinesWithTax,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, DateOnly? ValuationDate, decimal? LocalCurrencyFxRateOverride,
    decimal? GroupCurrencyFxRateOverride, string? DocumentNumber, string? BusinessPartnerName, Guid? BusinessPartnerId,
    string? Description, string? Currency);

/// <summary>A line with its three amounts settled: net + tax = gross, all on one side.</summary>
public sealed record NormalizedLine(int Position, string DcSign, long Net, long Tax, long Gross, JournalEntryLineRequest Source);

public static class JournalEntryStatus
{
    public const string Draft = "DRAFT";
    public const string Posted = "POSTED";
    public const string Archived = "ARCHIVED";
}

public enum JournalEntryAction { Edit, Post, Archive }

/// <summary>
/// A journal entry's life: a DRAFT is edited and posted; a draft or a posted entry is archived
/// (a posted one by a reversing transaction, as nothing posted is ever deleted).
/// </summary>
public static class JournalEntryLifecycle
{
    public static readonly StateMachine<JournalEntryAction> Machine = new("Journal entry", new Dictionary<JournalEntryAction, Transition>
    {
        [JournalEntryAction.Edit] = new([JournalEntryStatus.Draft], null, "edited (archive a posted entry to reverse it)"),
        [JournalEntryAction.Post] = new([JournalEntryStatus.Draft], JournalEntryStatus.Posted, "posted"),
        [JournalEntryAction.Archive] = new([JournalEntryStatus.Draft, JournalEntryStatus.Posted], JournalEntryStatus.Archived, "archived"),
    });
}

/// <summary>
/// The ledger lines of a posted entry, no database: each line at its net on its own side, and its tax
/// on the same side to the tax account its tax code names, else the chart's input VAT (debit lines,
/// recoverable) or output VAT (credit lines, owed).
/// </summary>
public static class JournalEntryPosting
{
    /// <summary>The key of the tax account a line's tax goes to, resolved by the store before <see cref="Lines"/> runs.</summary>
    public static (string Role, Guid? TaxId) TaxAccountKey(string dcSign, Guid? taxId) =>
        (dcSign == DcSign.Debit ? "INPUT_TAX" : "OUTPUT_TAX", taxId);

    public static List<PostingLine> Lines(IReadOnlyList<JournalEntryLineRow> lines, IReadOnlyDictionary<(string Role, Guid? TaxId), Guid> taxAccounts)
    {
        var postingLines = new List<PostingLine>();
        foreach (var line in lines)
        {
            var sign = line.DcSign.Trim();
            postingLines.Add(new PostingLine(line.LedgerAccountId!.Value, sign, line.NetAmount, line.Description, line.Id,
                line.LedgerTaxId, null, line.CostCenterId, line.CustomPropertiesJson, Path: ["lines", line.Position, "ledgerAccountId"]));
            if (line.TaxAmount == 0) continue;
            postingLines.Add(new PostingLine(taxAccounts[TaxAccountKey(sign, line.LedgerTaxId)], sign, line.TaxAmount, line.Description, line.Id,
                line.LedgerTaxId, Path: ["lines", line.Position, "taxAmount"]));
        }
        return postingLines;
    }
}

/// <summary>Journal entry rules that need no database.</summary>
public static class JournalEntryRules
{
    public static readonly string[] LedgerNames = ["PRIMARY", "ELIMINATION"];
    public const int MaxLines = Limits.MaxLinesPerDocument;

    /// <summary>
    /// Settles each line's net, tax and gross. With areLinesWithTax the caller gives gross (tax
    /// inside it); otherwise net (tax on top). Tax is the given taxAmount, else derived from the
    /// line's tax code. A second amount, when also given, must agree.
    /// </summary>
    public static List<NormalizedLine> Normalize(IReadOnlyList<JournalEntryLineRequest> lines, bool linesWithTax, Validation v,
        IReadOnlyDictionary<Guid, decimal>? taxRates = null)
    {
        var result = new List<NormalizedLine>();
        Limits.LineCount(lines.Count, "lines", MaxLines);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var given = linesWithTax ? line.GrossTransactionAmount : line.NetTransactionAmount;
            var givenName = linesWithTax ? "grossTransactionAmount" : "netTransactionAmount";
            if (given is null) { v.Required(null, "lines", i, givenName); continue; }
            if (given.Amount is null) { v.Required(null, "lines", i, givenName, "amount"); continue; }
            if (!DcSign.IsValid(given.DcSign)) { v.Add("dcSign must be D or C", "lines", i, givenName, "dcSign"); continue; }
            if (given.Amount < 0) { v.Add("Amounts are positive; the side is given by dcSign", "lines", i, givenName, "amount"); continue; }
            if (given.Amount > Limits.MaxAmount) { v.Amount(given.Amount, "lines", i, givenName, "amount"); continue; }
            var otherGiven = linesWithTax ? line.NetTransactionAmount : line.GrossTransactionAmount;
            v.Amount(otherGiven?.Amount, "lines", i, linesWithTax ? "netTransactionAmount" : "grossTransactionAmount", "amount");

            long tax = 0;
            if (line.TaxAmount is { Amount: { } taxAmount } taxGiven)
            {
                if (taxAmount is < 0 or > Limits.MaxAmount) { v.Amount(taxAmount, "lines", i, "taxAmount", "amount"); continue; }
                if (taxGiven.DcSign is not null && taxGiven.DcSign != given.DcSign)
                    v.Add("Tax must be on the same side as the line", "lines", i, "taxAmount", "dcSign");
                tax = taxAmount;
            }
            else if (line.LedgerTaxId is { } taxId && taxRates?.TryGetValue(taxId, out var rate) == true)
            {
                // No explicit tax: derive it from the tax code's rate, rounded once for the line.
                tax = linesWithTax ? TaxCodes.TaxMath.FromGross(given.Amount.Value, rate) : TaxCodes.TaxMath.FromNet(given.Amount.Value, rate);
            }
            var net = linesWithTax ? given.Amount.Value - tax : given.Amount.Value;
            // Both at most MaxAmount, so the gross (≤ 2·10^15) and 500 lines of it fit in int64.
            var gross = linesWithTax ? given.Amount.Value : checked(given.Amount.Value + tax);
            if (net < 0) v.Add("Tax exceeds the gross amount", "lines", i, "taxAmount", "amount");
            var other = linesWithTax ? line.NetTransactionAmount : line.GrossTransactionAmount;
            var expected = linesWithTax ? net : gross;
            if (other?.Amount is { } o && (o != expected || (other.DcSign is not null && other.DcSign != given.DcSign)))
                v.Add($"Inconsistent amounts: expected {expected} {given.DcSign}", "lines", i,
                    linesWithTax ? "netTransactionAmount" : "grossTransactionAmount");
            v.MaxLength(line.Description, 1000, "lines", i, "description");
            CustomPropertyRequests.CheckShape(v, line.CustomProperties, "lines", i, "customProperties");
            result.Add(new NormalizedLine(i, given.DcSign!, net, tax, gross, line));
        }
        return result;
    }

    /// <summary>Totals on the debit side of a balanced entry (what Light reports as the entry's amount).</summary>
    public static (DirectedAmount Net, DirectedAmount Tax, DirectedAmount Gross) Totals(IEnumerable<(string DcSign, long Net, long Tax, long Gross)> lines)
    {
        var debits = lines.Where(l => l.DcSign == DcSign.Debit).ToList();
        return (new DirectedAmount(debits.Sum(l => l.Net), DcSign.Debit), new DirectedAmount(debits.Sum(l => l.Tax), DcSign.Debit),
            new DirectedAmount(debits.Sum(l => l.Gross), DcSign.Debit));
    }
}
