namespace Ledgerlight.Documents.Pdf;

/// <summary>The palette a laid-out page uses; the renderer maps each to a colour.</summary>
public enum Shade { Text, Muted, Accent, AccentLight, Stripe, Rule, White }

/// <summary>
/// One drawing instruction on a page, in points from the page's top-left corner. The layout produces these
/// as plain data, so what lands on which page is tested without rendering a PDF.
/// </summary>
public abstract record DrawOp
{
    public abstract DrawOp Shift(double dy);
}

/// <summary>One line of text whose top is at <see cref="Y"/>; right-aligned text ends at X + Width.</summary>
public sealed record TextOp(string Text, double X, double Y, double Width, double Size, bool Bold = false, bool AlignRight = false,
    Shade Color = Shade.Text) : DrawOp
{
    public override DrawOp Shift(double dy) => this with { Y = Y + dy };
}

public sealed record BoxOp(double X, double Y, double Width, double Height, Shade Fill) : DrawOp
{
    public override DrawOp Shift(double dy) => this with { Y = Y + dy };
}

public sealed record RuleOp(double X1, double Y1, double X2, double Y2, double Thickness = 0.5, Shade Color = Shade.Rule) : DrawOp
{
    public override DrawOp Shift(double dy) => this with { Y1 = Y1 + dy, Y2 = Y2 + dy };
}

/// <summary>Measures a single line of text in points at a font size, regular or bold.</summary>
public delegate double TextMeasure(string text, double size, bool bold);

/// <summary>A document laid out page by page: what the renderer draws.</summary>
public sealed record LaidOutDocument(string Title, string Author, IReadOnlyList<IReadOnlyList<DrawOp>> Pages)
{
    /// <summary>The text drawn on a page, in drawing order (what tests look for).</summary>
    public IEnumerable<string> TextOn(int page) => Pages[page].OfType<TextOp>().Select(t => t.Text);
}

/// <summary>Fitting text into widths: cut with an ellipsis, or wrapped at spaces (long words broken).</summary>
public static class TextFit
{
    public const string Ellipsis = "…";

    /// <summary>The longest prefix that fits, ending in "…" when cut.</summary>
    public static string Fit(string text, double width, double size, bool bold, TextMeasure measure)
    {
        text = OneLine(text);
        if (measure(text, size, bold) <= width) return text;
        var (lo, hi) = (0, text.Length);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (measure(text[..mid].TrimEnd() + Ellipsis, size, bold) <= width) lo = mid; else hi = mid - 1;
        }
        return lo == 0 ? Ellipsis : text[..lo].TrimEnd() + Ellipsis;
    }

    /// <summary>Greedy word wrap into at most <paramref name="maxLines"/> lines; the last is cut with "…" when text remains.</summary>
    public static IReadOnlyList<string> Wrap(string text, double width, double size, bool bold, TextMeasure measure, int maxLines)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "").Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (measure(candidate, size, bold) <= width) { current = candidate; continue; }
                if (current.Length > 0) lines.Add(current);
                current = word;
                while (current.Length > 1 && measure(current, size, bold) > width)
                {
                    var cut = Math.Max(1, FitCount(current, width, size, bold, measure));
                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }
            lines.Add(current);
        }
        while (lines.Count > 1 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count <= maxLines) return lines;
        var kept = lines.Take(maxLines).ToList();
        kept[^1] = Fit(kept[^1] + " " + string.Join(" ", lines.Skip(maxLines)), width, size, bold, measure);
        if (!kept[^1].EndsWith(Ellipsis)) kept[^1] = Fit(kept[^1] + Ellipsis, width, size, bold, measure);
        return kept;
    }

    static int FitCount(string text, double width, double size, bool bold, TextMeasure measure)
    {
        var (lo, hi) = (0, text.Length);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (measure(text[..mid], size, bold) <= width) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    static string OneLine(string text) => text.Replace("\r\n", " ").Replace('\r', ' ').Replace('\n', ' ').Replace('\t', ' ');
}
