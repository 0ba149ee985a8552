namespace Ledgerlight.Documents.Pdf;

/// <summary>A column of the line table: header text, left edge, width, and whether its cells align right.</summary>
public sealed record TableColumn(string Header, double X, double Width, bool AlignRight);

/// <summary>
/// Lays a <see cref="SalesDocument"/> out on A4 pages as <see cref="DrawOp"/>s, a pure function of the document and a
/// text measure: issuer and title, customer and facts, the line table (header row repeated on every page it continues
/// on, rows never split), then the tax summary, totals and payment details kept together on the last page, notes,
/// and a footer with "Page i of n" on every page.
/// </summary>
public static class SalesDocumentLayout
{
    public const double PageWidth = 595.28, PageHeight = 841.89;
    public const double Left = 48, Right = PageWidth - 48, Width = Right - Left, Top = 48, Bottom = 784;
    public const double Body = 8.5, Small = 7, LineHeight = 11.5, RowPad = 4, RowLineHeight = 11, HeaderRowHeight = 18, CellPad = 5;
    public const int MaxDescriptionLines = 6;

    public static LaidOutDocument Compute(SalesDocument doc, TextMeasure measure)
    {
        var b = new PageBuilder(doc, measure, Columns(doc));
        b.FirstPageHeader();
        b.LineTable();
        b.Summary();
        b.Notes();
        return b.Finish();
    }

    /// <summary>The line table's columns; "Discount" only when some line has one, the description takes the rest.</summary>
    public static IReadOnlyList<TableColumn> Columns(SalesDocument doc)
    {
        var specs = new List<(string Header, double Width)> { ("Description", 0), ("Qty", 42), ("Unit price", 68) };
        if (doc.Lines.Any(l => l.DiscountAmount != 0)) specs.Add(("Discount", 60));
        specs.AddRange([("Tax rate", 46), ("Tax", 62), ("Net amount", 74)]);
        var description = Width - specs.Sum(s => s.Width);
        var x = Left;
        var columns = new List<TableColumn>();
        foreach (var (header, w) in specs)
        {
            var width = w == 0 ? description : w;
            columns.Add(new TableColumn(header, x, width, AlignRight: w != 0));
            x += width;
        }
        return columns;
    }

    /// <summary>The cells of one line, in <see cref="Columns"/> order (the description is wrapped separately).</summary>
    public static IReadOnlyList<string> Cells(SalesDocument doc, DocumentLine line)
    {
        var c = doc.Currency;
        var cells = new List<string> { line.Description, DocumentText.Quantity(line.Quantity), DocumentText.Amount(line.UnitPrice, c) };
        if (doc.Lines.Any(l => l.DiscountAmount != 0)) cells.Add(line.DiscountAmount == 0 ? "–" : DocumentText.Amount(line.DiscountAmount, c));
        cells.Add(line.TaxRatePercent is { } rate ? DocumentText.Percent(rate) : "–");
        cells.Add(DocumentText.Amount(line.TaxAmount, c));
        cells.Add(DocumentText.Amount(line.NetAmount, c));
        return cells;
    }
}
