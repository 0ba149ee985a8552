using static Ledgerlight.Documents.Pdf.SalesDocumentLayout;

namespace Ledgerlight.Documents.Pdf;

/// <summary>One layout pass: the pages so far and the cursor (y) on the last one, filled section by section.</summary>
sealed class PageBuilder(SalesDocument doc, TextMeasure measure, IReadOnlyList<TableColumn> columns)
{
    readonly List<List<DrawOp>> _pages = [];
    double _y;

    List<DrawOp> Ops => _pages[^1];
    bool Fits(double height) => _y + height <= Bottom;
    string Fit(string text, double width, double size, bool bold = false) => TextFit.Fit(text, width, size, bold, measure);

    void Text(string text, double x, double y, double width, double size, bool bold = false, bool right = false, Shade color = Shade.Text) =>
        Ops.Add(new TextOp(Fit(text, width, size, bold), x, y, width, size, bold, right, color));

    void NewPage()
    {
        _pages.Add([]);
        _y = Top;
        if (_pages.Count == 1) return;
        Text($"{doc.Title} (continued)", Left, _y, Width * 0.6, 10, bold: true);
        Text(doc.Seller.Name, Left + Width * 0.6, _y + 1.5, Width * 0.4, Body, right: true, color: Shade.Muted);
        Ops.Add(new RuleOp(Left, _y + 18, Right, _y + 18));
        _y += 30;
    }

    /// <summary>Issuer (left) and the document title (right), a rule, then "Bill to" (left) and the facts (right), then the description.</summary>
    public void FirstPageHeader()
    {
        NewPage();
        var kind = (doc.IsDraft ? "Draft " + doc.KindName : doc.KindName).ToUpperInvariant();
        Text(kind, Right - 240, _y - 2, 240, 20, bold: true, right: true, color: Shade.Accent);
        if (!doc.IsDraft && !string.IsNullOrWhiteSpace(doc.Number)) Text(doc.Number, Right - 240, _y + 24, 240, 10, right: true, color: Shade.Muted);
        var ly = _y;
        Text(doc.Seller.Name, Left, ly, Width * 0.55, 15, bold: true); ly += 21;
        foreach (var line in PartyLines(doc.Seller)) { Text(line, Left, ly, Width * 0.55, Body, color: Shade.Muted); ly += LineHeight; }
        _y = Math.Max(ly, _y + 44) + 12;
        Ops.Add(new RuleOp(Left, _y, Right, _y, 1, Shade.Accent));
        _y += 16;

        var top = _y;
        Text(doc.Kind == SalesDocumentKind.Invoice ? "BILL TO" : "CREDIT TO", Left, top, Width * 0.5, Small, bold: true, color: Shade.Muted);
        ly = top + 11;
        Text(doc.Buyer?.Name ?? "(no customer)", Left, ly, Width * 0.5, 10, bold: true); ly += 14;
        foreach (var line in doc.Buyer is { } buyer ? PartyLines(buyer) : []) { Text(line, Left, ly, Width * 0.5, Body); ly += LineHeight; }

        double fx = Left + Width * 0.56, fw = Width * 0.44, fy = top;
        foreach (var (label, value) in doc.Facts())
        {
            Text(label, fx, fy, fw * 0.45, Body, color: Shade.Muted);
            Text(value, fx + fw * 0.45, fy, fw * 0.55, Body, bold: true, right: true);
            fy += 13;
        }
        _y = Math.Max(ly, fy) + 14;
        if (!string.IsNullOrWhiteSpace(doc.Description))
        {
            foreach (var line in TextFit.Wrap(doc.Description, Width, 9.5, true, measure, 3)) { Text(line, Left, _y, Width, 9.5, bold: true); _y += 13; }
            _y += 6;
        }
    }

    static IEnumerable<string> PartyLines(DocumentParty p)
    {
        foreach (var line in p.Address) yield return line;
        if (!string.IsNullOrWhiteSpace(p.VatNumber)) yield return "VAT no. " + p.VatNumber;
        if (!string.IsNullOrWhiteSpace(p.Email)) yield return p.Email;
    }

    void TableHeader()
    {
        Ops.Add(new BoxOp(Left, _y, Width, HeaderRowHeight, Shade.Accent));
        foreach (var c in columns) Text(c.Header, c.X + CellPad, _y + 5, c.Width - 2 * CellPad, 7.5, bold: true, right: c.AlignRight, color: Shade.White);
        _y += HeaderRowHeight;
    }

    /// <summary>The lines: a row never splits; a row that does not fit starts a new page that repeats the header row.</summary>
    public void LineTable()
    {
        TableHeader();
        for (var i = 0; i < doc.Lines.Count; i++)
        {
            var cells = SalesDocumentLayout.Cells(doc, doc.Lines[i]);
            var description = TextFit.Wrap(cells[0], columns[0].Width - 2 * CellPad, Body, false, measure, MaxDescriptionLines);
            var height = 2 * RowPad + RowLineHeight * Math.Max(1, description.Count);
            if (!Fits(height)) { NewPage(); TableHeader(); }
            if (i % 2 == 1) Ops.Add(new BoxOp(Left, _y, Width, height, Shade.Stripe));
            for (var k = 0; k < description.Count; k++)
                Text(description[k], columns[0].X + CellPad, _y + RowPad + k * RowLineHeight, columns[0].Width - 2 * CellPad, Body);
            for (var c = 1; c < columns.Count; c++)
                Text(cells[c], columns[c].X + CellPad, _y + RowPad, columns[c].Width - 2 * CellPad, Body, right: true);
            _y += height;
        }
        Ops.Add(new RuleOp(Left, _y, Right, _y, 0.75));
    }

    /// <summary>Tax summary, totals and payment details: laid out apart, then placed as one block where it fits.</summary>
    public void Summary()
    {
        var (ops, height) = SummaryBlock();
        if (!Fits(height + 14)) NewPage();
        _y += 14;
        Ops.AddRange(ops.Select(o => o.Shift(_y)));
        _y += height;
    }

    (List<DrawOp> Ops, double Height) SummaryBlock()
    {
        var page = _pages[^1];
        var saved = _y;
        _pages[^1] = [];
        _y = 0;
        TaxSummaryAndTotals();
        PaymentDetails();
        var result = (_pages[^1], _y);
        _pages[^1] = page;
        _y = saved;
        return result;
    }

    void TaxSummaryAndTotals()
    {
        var c = doc.Currency;
        double tx = Left, tw = Width * 0.5, ty = 0;
        Text("TAX SUMMARY", tx, ty, tw, Small, bold: true, color: Shade.Muted); ty += 12;
        Text("Rate", tx, ty, tw * 0.34, Small, color: Shade.Muted);
        Text("Net", tx + tw * 0.34, ty, tw * 0.33, Small, right: true, color: Shade.Muted);
        Text("Tax", tx + tw * 0.67, ty, tw * 0.33, Small, right: true, color: Shade.Muted);
        ty += 10;
        Ops.Add(new RuleOp(tx, ty, tx + tw, ty)); ty += 4;
        foreach (var row in doc.TaxSummary())
        {
            Text(row.Label, tx, ty, tw * 0.34, Body);
            Text(DocumentText.Amount(row.NetAmount, c), tx + tw * 0.34, ty, tw * 0.33, Body, right: true);
            Text(DocumentText.Amount(row.TaxAmount, c), tx + tw * 0.67, ty, tw * 0.33, Body, right: true);
            ty += 13;
        }

        double ox = Left + Width * 0.58, ow = Width * 0.42, oy = 0;
        foreach (var (label, amount) in new[] { ("Subtotal (net)", doc.NetTotal), ("Tax", doc.TaxTotal) })
        {
            Text(label, ox, oy, ow * 0.5, 9, color: Shade.Muted);
            Text(DocumentText.Money(amount, c), ox + ow * 0.4, oy, ow * 0.6, 9, right: true);
            oy += 15;
        }
        Ops.Add(new BoxOp(ox, oy, ow, 26, Shade.AccentLight));
        Ops.Add(new RuleOp(ox, oy, ox + ow, oy, 1.2, Shade.Accent));
        var total = doc.Kind == SalesDocumentKind.Invoice ? "Total due" : "Total credit";
        Text(total, ox + 8, oy + 7, ow * 0.4, 11, bold: true, color: Shade.Accent);
        Text(DocumentText.Money(doc.GrossTotal, c), ox + ow * 0.35, oy + 7, ow * 0.65 - 8, 11, bold: true, right: true, color: Shade.Accent);
        oy += 26;
        _y = Math.Max(ty, oy) + 18;
    }

    void PaymentDetails()
    {
        var rows = doc.PaymentDetails();
        if (rows.Count == 0) return;
        var height = 24 + 13 * rows.Count;
        Ops.Add(new BoxOp(Left, _y, Width, height, Shade.Stripe));
        Ops.Add(new RuleOp(Left, _y, Left, _y + height, 2, Shade.Accent));
        Text("PAYMENT DETAILS", Left + 12, _y + 8, Width - 24, Small, bold: true, color: Shade.Muted);
        var y = _y + 20;
        foreach (var (label, value) in rows)
        {
            Text(label, Left + 12, y, 110, Body, color: Shade.Muted);
            Text(value, Left + 125, y, Width - 137, Body, bold: true);
            y += 13;
        }
        _y += height + 8;
    }

    /// <summary>The invoice's free text, wrapped, flowing onto further pages as needed.</summary>
    public void Notes()
    {
        if (string.IsNullOrWhiteSpace(doc.Notes)) return;
        var lines = TextFit.Wrap(doc.Notes, Width, Body, false, measure, 400);
        if (!Fits(12 + LineHeight)) NewPage();
        _y += 4;
        Text("NOTES", Left, _y, Width, Small, bold: true, color: Shade.Muted);
        _y += 12;
        foreach (var line in lines)
        {
            if (!Fits(LineHeight)) NewPage();
            Text(line, Left, _y, Width, Body);
            _y += LineHeight;
        }
    }

    /// <summary>Adds the footer (issuer, title, "Page i of n") now that the page count is known.</summary>
    public LaidOutDocument Finish()
    {
        for (var i = 0; i < _pages.Count; i++)
        {
            const double y = Bottom + 16;
            _pages[i].Add(new RuleOp(Left, y, Right, y));
            _pages[i].Add(new TextOp(Fit($"{doc.Seller.Name} · {doc.Title}", Width * 0.7, Small), Left, y + 5, Width * 0.7, Small, Color: Shade.Muted));
            _pages[i].Add(new TextOp($"Page {i + 1} of {_pages.Count}", Left + Width * 0.7, y + 5, Width * 0.3, Small, AlignRight: true, Color: Shade.Muted));
        }
        return new LaidOutDocument(doc.Title, doc.Seller.Name, _pages.Select(p => (IReadOnlyList<DrawOp>)p).ToList());
    }
}
