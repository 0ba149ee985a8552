using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using System.Text.RegularExpressions;

namespace Ledgerlight.Spend.Expenses;

/// <summary>What a receipt says about itself, as far as it could be read; every field may be unknown.</summary>
public sealed record ReceiptFacts(long? Total, string? Currency, DateOnly? Date)
{
    public static readonly ReceiptFacts None = new(null, null, null);
}

/// <summary>
/// Reads what a PDF receipt says about itself: its text comes from PdfPig (compressed streams, fonts and
/// encodings as real PDF writers produce them); scans and images have no text and yield nothing, and the
/// user fills the expense in by PATCH. Reads at most <see cref="MaxBytes"/> and the first
/// <see cref="MaxPages"/> pages, and takes the amount after the last "total", the first ISO date (or
/// dd.mm.yyyy) and a currency code or symbol. A file PdfPig cannot read is simply unknown.
/// </summary>
public static partial class ReceiptScan
{
    public const int MaxBytes = 1 << 20;
    public const int MaxPages = 5;

    public static ReceiptFacts Read(Stream pdf)
    {
        var buffer = new byte[MaxBytes];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = pdf.Read(buffer, length, buffer.Length - length)) > 0) length += n;
        return Scan(buffer.AsSpan(0, length));
    }

    public static ReceiptFacts Scan(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("%PDF-"u8)) return ReceiptFacts.None;
        var text = TextOf(bytes.ToArray());
        if (text.Length == 0) return ReceiptFacts.None;
        return new ReceiptFacts(TotalOf(text, out var currencyNearTotal), currencyNearTotal ?? CurrencyOf(text), DateOf(text));
    }

    /// <summary>The text of the first pages, one line per text line as PdfPig orders it; empty when the file cannot be read.</summary>
    static string TextOf(byte[] bytes)
    {
        try
        {
            using var document = PdfDocument.Open(bytes);
            return string.Join('\n', document.GetPages().Take(MaxPages).Select(page => ContentOrderTextExtractor.GetText(page)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A damaged or hostile file is a receipt we cannot read, not an error of the upload.
            return "";
        }
    }

    static long? TotalOf(string text, out string? currency)
    {
        currency = null;
        var matches = TotalPattern().Matches(text);
        if (matches.Count == 0) return null;
        var m = matches[^1];
        var code = m.Groups["code"].Success ? m.Groups["code"].Value : m.Groups["code2"].Success ? m.Groups["code2"].Value : null;
        currency = code is null ? null : Normalise(code);
        var digits = m.Groups["amount"].Value.Replace(" ", "");
        // "1.234,56" and "1,234.56": the last separator is the decimal one.
        var whole = NonDigits().Replace(digits[..^3], "");
        var minor = digits[^2..];
        return long.TryParse(whole + minor, NumberStyles.None, CultureInfo.InvariantCulture, out var cents) && cents <= Limits.MaxAmount ? cents : null;
    }

    static string? CurrencyOf(string text)
    {
        foreach (Match m in CurrencyPattern().Matches(text))
            if (Normalise(m.Value) is { } code) return code;
        return null;
    }

    static string? Normalise(string token) => token switch
    {
        "€" => "EUR",
        "$" => "USD",
        "£" => "GBP",
        _ => CurrencyCodes.IsKnown(token.ToUpperInvariant()) ? token.ToUpperInvariant() : null,
    };

    static DateOnly? DateOf(string text)
    {
        var iso = IsoDate().Match(text);
        if (iso.Success && DateOnly.TryParseExact(iso.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        var dotted = DottedDate().Match(text);
        if (dotted.Success && DateOnly.TryParseExact(dotted.Value, ["dd.MM.yyyy", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out d))
            return d;
        return null;
    }

    [GeneratedRegex(@"(?i)total[^0-9\n]{0,24}?(?<code>[A-Z]{3}|[€$£])?\s*(?<amount>\d{1,3}(?:[ .,]?\d{3})*[.,]\d{2})(?!\d)\s*(?<code2>[A-Z]{3}\b|[€$£])?")]
    private static partial Regex TotalPattern();

    [GeneratedRegex(@"\b[A-Z]{3}\b|[€$£]")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex(@"[^0-9]")]
    private static partial Regex NonDigits();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b\d{2}[./]\d{2}[./]\d{4}\b")]
    private static partial Regex DottedDate();
}
