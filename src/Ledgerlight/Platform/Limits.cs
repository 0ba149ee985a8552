namespace Ledgerlight.Platform;

/// <summary>
/// The explicit bounds on money and document size (TigerStyle: a limit on everything).
///
/// <para><see cref="MaxAmount"/> = 10^15 minor units (10 trillion USD, 1 quadrillion JPY) for every money
/// field a caller sends: line amounts, tax amounts, prices, header totals, payments, bank transactions.
/// With <see cref="MaxLinesPerDocument"/> = 500 the sums of one document provably fit in int64:
/// a line's gross is at most net + tax ≤ 2·10^15 and 500 such lines make ≤ 10^18 &lt; 9.22·10^18
/// (long.MaxValue); a sales line's price × quantity is itself refused above the maximum, so the same bound
/// holds there. Sums that cross documents (daily and account balances, bank daily totals) and currency
/// conversions at arbitrary rates have no such bound: they use checked arithmetic and an overflow refuses
/// the change with a 422 and writes nothing.</para>
/// </summary>
public static class Limits
{
    /// <summary>The largest amount any money field accepts, in minor units of its currency.</summary>
    public const long MaxAmount = 1_000_000_000_000_000;

    /// <summary>The most lines (items) one document (bill, credit note, PO, journal entry, invoice, credit, contract) holds.</summary>
    public const int MaxLinesPerDocument = 500;

    /// <summary>Absent, or 0 ≤ value ≤ <see cref="MaxAmount"/>.</summary>
    public static bool IsAmount(long? value) => value is null or (>= 0 and <= MaxAmount);

    /// <summary>A money field that must be 0 ≤ value ≤ <see cref="MaxAmount"/>.</summary>
    public static void Amount(this Validation v, long? value, params object[] path)
    {
        if (value is < 0) v.Add($"'{Join(path)}' must not be negative", path);
        else if (value is > MaxAmount) v.Add($"'{Join(path)}' must be at most {MaxAmount} (minor units)", path);
    }

    /// <summary>A signed money field: |value| ≤ <see cref="MaxAmount"/>.</summary>
    public static void SignedAmount(this Validation v, long? value, params object[] path)
    {
        if (value is > MaxAmount or < -MaxAmount) v.Add($"'{Join(path)}' must be between -{MaxAmount} and {MaxAmount} (minor units)", path);
    }

    /// <summary>A computed amount (price × quantity, a converted total) within the maximum, else 422 naming the field.</summary>
    public static long CheckComputed(long value, string what, params object[] path) =>
        value is > MaxAmount or < -MaxAmount
            ? throw ApiException.Unprocessable($"{what} ({value}) exceeds the maximum amount of {MaxAmount} minor units", path)
            : value;

    /// <summary>
    /// Refuses a document with too many lines at once, with one error and before anything else is looked at:
    /// 100,000 lines must cost no more than one.
    /// </summary>
    public static void LineCount(int? count, string path, int max = MaxLinesPerDocument)
    {
        if (count > max) throw ApiException.BadRequest($"At most {max} {path} per document; got {count}", path);
    }

    /// <summary>Lines already stored plus the ones being added, for endpoints that add lines to an existing document (422).</summary>
    public static void LinesAfterAdding(long existing, int adding, string path, int max = MaxLinesPerDocument)
    {
        if (existing + adding > max)
            throw ApiException.Unprocessable($"A document has at most {max} {path}; it has {existing} and {adding} would be added", path);
    }

    /// <summary>a + b, or the 422 of <see cref="Overflow"/> when it leaves int64 (a running total across documents).</summary>
    public static long Add(long a, long b, string what, params object[] path)
    {
        try { return checked(a + b); }
        catch (OverflowException) { throw Overflow(what, path); }
    }

    /// <summary>Σ values, or the 422 of <see cref="Overflow"/> when it leaves int64.</summary>
    public static long Sum(IEnumerable<long> values, string what, params object[] path)
    {
        long total = 0;
        foreach (var value in values) total = Add(total, value, what, path);
        return total;
    }

    /// <summary>The 422 for an accumulation beyond int64 (a balance, a daily total): nothing is written.</summary>
    public static ApiException Overflow(string what, params object[] path) =>
        ApiException.Unprocessable($"{what} would exceed the largest amount Ledgerlight can hold (int64 minor units); nothing was changed", path);

    static string Join(object[] path) => string.Join('.', path);
}
