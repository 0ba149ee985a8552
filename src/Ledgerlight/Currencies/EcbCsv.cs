using CsvHelper;

namespace Ledgerlight.Currencies;

/// <summary>One published reference rate: units of <paramref name="Currency"/> per 1 EUR on <paramref name="Date"/>.</summary>
public sealed record EcbRate(DateOnly Date, string Currency, decimal PerEur);

/// <summary>What a file held: the rates, the columns left out (not ISO 4217 codes in use, or EUR itself) and the N/A cells.</summary>
public sealed record EcbRates(IReadOnlyList<EcbRate> Rates, IReadOnlyList<string> SkippedColumns, int NotAvailable)
{
    public int Days => Rates.Select(r => r.Date).Distinct().Count();
    public DateOnly? From => Rates.Count == 0 ? null : Rates.Min(r => r.Date);
    public DateOnly? To => Rates.Count == 0 ? null : Rates.Max(r => r.Date);
}

/// <summary>A file that is not in the ECB's layout; the message names the line (and column) at fault.</summary>
public sealed class EcbCsvException(string message) : FormatException(message);

/// <summary>
/// Parses the ECB's reference-rate CSV files. Both layouts the ECB publishes are accepted:
/// the history (<c>eurofxref-hist.csv</c>: <c>Date,USD,JPY,...,</c> then <c>2025-05-09,1.1252,...,</c>,
/// newest first) and the single day (<c>eurofxref.csv</c>: <c>Date, USD, ...,</c> then
/// <c>09 May 2025, 1.1252, ...,</c>). Cells are trimmed, the trailing comma the ECB writes is
/// ignored, <c>N/A</c> means "no rate that day". Columns whose code is not an ISO 4217 code in use
/// (the ECB keeps CYP, EEK, ROL... in the history file) are skipped and reported, not refused.
/// Anything else unexpected is an error naming the line: a half-loaded file is worse than none.
/// Records are read by CsvHelper's parser (quoting, line endings, byte order mark); the rules here are the ECB's.
/// </summary>
public static class EcbCsv
{
    /// <summary>About 190 years of business days: the whole history (since 1999) fits with room to spare.</summary>
    public const int MaxLines = 50_000;

    const string NotAvailableCell = "N/A";
    static readonly string[] DateFormats = ["yyyy-MM-dd", "d MMMM yyyy", "dd MMMM yyyy"];

    public static EcbRates Parse(string text) => Parse(new StringReader(text));

    static readonly CsvReaderOptions Options = new()
    {
        HasHeader = false, TrimWhitespace = true, SkipEmptyLines = true, TrackLineNumbers = true, MalformedData = CsvMalformedDataHandling.Throw,
    };

    public static EcbRates Parse(TextReader reader)
    {
        try
        {
            return Parse(CsvReader.Create(reader, Options, false));
        }
        catch (CsvFormatException e)
        {
            throw new EcbCsvException($"line {e.LineNumber}: {e.Message}");
        }
    }

    static EcbRates Parse(CsvReader csv)
    {
        using var _ = csv;
        var header = NextRecord(csv) ?? throw new EcbCsvException("the file is empty; expected a header line starting with 'Date'");
        var lineNumber = (int)csv.LineNumber;
        if (header.Count == 0 || !header[0].Equals("Date", StringComparison.OrdinalIgnoreCase))
            throw new EcbCsvException($"line {lineNumber}: expected a header starting with 'Date', found '{Shorten(string.Join(",", header))}'");

        // Column index → currency code, or null for a column that is skipped.
        var columns = new string?[header.Count];
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < header.Count; i++)
        {
            var code = header[i].ToUpperInvariant();
            if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
                throw new EcbCsvException($"line {lineNumber}: column {i + 1} header '{header[i]}' is not a currency code");
            if (!seen.Add(code)) throw new EcbCsvException($"line {lineNumber}: column {code} appears twice");
            if (code == ExchangeRateStore.Euro || !CurrencyCodes.IsKnown(code)) skipped.Add(code);
            else columns[i] = code;
        }

        var rates = new List<EcbRate>();
        var dates = new HashSet<DateOnly>();
        var notAvailable = 0;
        while (NextRecord(csv) is { } cells)
        {
            lineNumber = (int)csv.LineNumber;
            if (lineNumber > MaxLines) throw new EcbCsvException($"the file has more than {MaxLines} lines");
            if (cells.Count != header.Count)
                throw new EcbCsvException($"line {lineNumber}: {cells.Count} values for {header.Count} columns");
            var date = ParseDate(cells[0], lineNumber);
            if (!dates.Add(date)) throw new EcbCsvException($"line {lineNumber}: date {date:yyyy-MM-dd} appears twice");
            for (var i = 1; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (cell.Length == 0 || cell.Equals(NotAvailableCell, StringComparison.OrdinalIgnoreCase))
                {
                    notAvailable++;
                    continue;
                }
                var code = columns[i];
                if (code is null) continue;
                rates.Add(new EcbRate(date, code, ParseRate(cell, lineNumber, code)));
            }
        }
        return new EcbRates(rates, skipped, notAvailable);
    }

    /// <summary>
    /// The next record that is not blank (whitespace-only lines count as blank), its cells trimmed, a byte order mark
    /// dropped, and the one empty cell after the ECB's trailing comma removed; null at the end of the file.
    /// </summary>
    static List<string>? NextRecord(CsvReader csv)
    {
        while (csv.Read())
        {
            var cells = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i).Trim().TrimStart('\uFEFF').Trim()).ToList();
            if (cells.All(c => c.Length == 0)) continue;
            if (cells.Count > 1 && cells[^1].Length == 0) cells.RemoveAt(cells.Count - 1);
            return cells;
        }
        return null;
    }

    static DateOnly ParseDate(string cell, int lineNumber) =>
        DateOnly.TryParseExact(cell, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new EcbCsvException($"line {lineNumber}: '{Shorten(cell)}' is not a date (expected YYYY-MM-DD)");

    /// <summary>Plain decimals only: no sign, exponent or thousands separator, and never zero.</summary>
    static decimal ParseRate(string cell, int lineNumber, string code)
    {
        if (!decimal.TryParse(cell, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
            throw new EcbCsvException($"line {lineNumber}, column {code}: '{Shorten(cell)}' is not a number");
        if (rate <= 0) throw new EcbCsvException($"line {lineNumber}, column {code}: a rate must be greater than zero");
        return rate;
    }

    static string Shorten(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "…";
}
