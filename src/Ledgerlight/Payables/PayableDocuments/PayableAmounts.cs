namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>The header amount of an AP document created with lines, no database.</summary>
public static class PayableAmounts
{
    /// <summary>
    /// With lines the amount is their gross sum; a given amount must equal it (422). Without lines the
    /// given amount stands. <paramref name="linesName"/> names them in the message ("line items", "lines").
    /// </summary>
    public static long? FromLines(long? given, IReadOnlyList<long> lineGross, string linesName)
    {
        if (lineGross.Count == 0) return given;
        var sum = lineGross.Sum();
        if (given is { } g && g != sum)
            throw ApiException.Unprocessable($"'amount' {g} does not equal the sum of the {linesName} {sum}", "amount");
        return sum;
    }
}
