using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>
/// A minimal PDF 1.4 writer: A4 pages of text and lines in the standard Courier fonts (no font
/// files, no dependencies). Courier is fixed-width (600/1000 em), so widths and right alignment are
/// exact. Text is WinAnsi-encoded: Latin-1 plus the usual typographic marks; other characters print as '?'.
/// Coordinates are in points from the page's top-left corner.
/// </summary>
public sealed class PdfWriter
{
    public const double PageWidth = 595.28, PageHeight = 841.89;
    const double CharWidthEm = 0.6;
    readonly List<StringBuilder> _pages = [];
    StringBuilder Page => _pages[^1];

    public PdfWriter() => NewPage();

    public int PageCount => _pages.Count;

    public void NewPage() => _pages.Add(new StringBuilder());

    public static double TextWidth(string text, double size) => text.Length * CharWidthEm * size;

    /// <summary>The longest prefix that fits the width, ending in "…" when cut.</summary>
    public static string Fit(string text, double size, double width)
    {
        var max = (int)Math.Floor(width / (CharWidthEm * size));
        return text.Length <= max ? text : max <= 1 ? text[..Math.Max(0, max)] : text[..(max - 1)] + "…";
    }

    /// <summary>Draws one line of text whose top is at <paramref name="top"/>; right-aligned ends at x + width.</summary>
    public void Text(string text, double x, double top, double size, bool bold = false, bool alignRight = false, double width = 0)
    {
        text = text.Replace('\r', ' ').Replace('\n', ' ');
        if (alignRight) x = x + width - TextWidth(text, size);
        var baseline = PageHeight - top - size * 0.8;
        Page.Append(CultureInfo.InvariantCulture, $"BT /{(bold ? "F2" : "F1")} {N(size)} Tf {N(x)} {N(baseline)} Td (");
        foreach (var b in WinAnsi(text))
        {
            if (b is (byte)'(' or (byte)')' or (byte)'\\') Page.Append('\\');
            Page.Append(b is >= 32 and < 127 ? (char)b : $"\\{Convert.ToString(b, 8).PadLeft(3, '0')}");
        }
        Page.Append(") Tj ET\n");
    }

    public void Line(double x1, double y1, double x2, double y2, double lineWidth = 0.5) =>
        Page.Append(CultureInfo.InvariantCulture,
            $"{N(lineWidth)} w {N(x1)} {N(PageHeight - y1)} m {N(x2)} {N(PageHeight - y2)} l S\n");

    static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    static readonly Dictionary<char, byte> WinAnsiHigh = new()
    {
        ['€'] = 0x80, ['‚'] = 0x82, ['ƒ'] = 0x83, ['„'] = 0x84, ['…'] = 0x85, ['†'] = 0x86, ['‡'] = 0x87, ['ˆ'] = 0x88, ['‰'] = 0x89,
        ['Š'] = 0x8A, ['‹'] = 0x8B, ['Œ'] = 0x8C, ['Ž'] = 0x8E, ['‘'] = 0x91, ['’'] = 0x92, ['“'] = 0x93, ['”'] = 0x94, ['•'] = 0x95,
        ['–'] = 0x96, ['—'] = 0x97, ['˜'] = 0x98, ['™'] = 0x99, ['š'] = 0x9A, ['›'] = 0x9B, ['œ'] = 0x9C, ['ž'] = 0x9E, ['Ÿ'] = 0x9F,
    };

    static IEnumerable<byte> WinAnsi(string text)
    {
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' || c is >= '\u00A0' and <= '\u00FF') yield return (byte)c;
            else if (WinAnsiHigh.TryGetValue(c, out var b)) yield return b;
            else if (char.IsLowSurrogate(c)) continue;
            else yield return (byte)'?';
        }
    }

    static string Literal(string text)
    {
        var sb = new StringBuilder("(");
        foreach (var b in WinAnsi(text))
        {
            if (b is (byte)'(' or (byte)')' or (byte)'\\') sb.Append('\\');
            sb.Append(b is >= 32 and < 127 ? (char)b : '?');
        }
        return sb.Append(')').ToString();
    }

    public byte[] Save(string title, string author)
    {
        using var output = new MemoryStream();
        var offsets = new List<long>();
        void Write(string s) { var bytes = Encoding.Latin1.GetBytes(s); output.Write(bytes); }
        void Begin(int id) { offsets.Add(output.Position); Write($"{id} 0 obj\n"); }

        Write("%PDF-1.4\n%\u00E2\u00E3\u00CF\u00D3\n");
        // 1 catalog, 2 page tree, 3-4 fonts, 5 info, then a page and its content stream per page.
        var pageIds = Enumerable.Range(0, _pages.Count).Select(i => 6 + 2 * i).ToList();
        Begin(1); Write("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Begin(2); Write($"<< /Type /Pages /Kids [{string.Join(" ", pageIds.Select(p => $"{p} 0 R"))}] /Count {_pages.Count} >>\nendobj\n");
        Begin(3); Write("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>\nendobj\n");
        Begin(4); Write("<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>\nendobj\n");
        Begin(5); Write($"<< /Title {Literal(title)} /Author {Literal(author)} /Creator (Ledgerlight) /Producer (Ledgerlight) >>\nendobj\n");
        for (var i = 0; i < _pages.Count; i++)
        {
            Begin(pageIds[i]);
            Write($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {N(PageWidth)} {N(PageHeight)}] " +
                  $"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {pageIds[i] + 1} 0 R >>\nendobj\n");
            byte[] compressed;
            using (var buffer = new MemoryStream())
            {
                using (var z = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
                    z.Write(Encoding.Latin1.GetBytes(_pages[i].ToString()));
                compressed = buffer.ToArray();
            }
            Begin(pageIds[i] + 1);
            Write($"<< /Length {compressed.Length} /Filter /FlateDecode >>\nstream\n");
            output.Write(compressed);
            Write("\nendstream\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) Write($"{o:D10} 00000 n \n");
        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }
}
