using System.Globalization;
using Ledgerlight.Platform;

namespace Ledgerlight.Receivables.InvoiceDocuments;

public sealed record InvoicePdfLine(string Description, decimal Quantity, long UnitPrice, long DiscountAmount, long NetAmount, long TaxAmount);

/// <summary>Everything printed on a sales invoice; amounts in the invoice currency's minor units.</summary>
public sealed record InvoicePdfData(
    string CompanyName, IReadOnlyList<string> CompanyAddress, string? CustomerName, IReadOnlyList<string> CustomerAddress, string? InvoiceNumber,
    string State, DateOnly InvoiceDate, DateOnly? DueDate, string Currency, IReadOnlyList<InvoicePdfLine> Lines, string? Description,
    string? PoNumber, string? Reference, string? AdditionalText)
{
    public long NetTotal => Lines.Sum(l => l.NetAmount);
    public long TaxTotal => Lines.Sum(l => l.TaxAmount);
    public long GrossTotal => NetTotal + TaxTotal;
    public bool IsDraft => State == "DRAFT";
}

/// <summary>
/// Renders a sales invoice as an A4 PDF (see <see cref="PdfWriter"/>): issuer, customer and address,
/// number and dates, the lines (description, quantity, unit price, discount, net, tax) and the net,
/// tax and gross totals, amounts formatted with the currency's exponent. Pure: data in, bytes out.
/// </summary>
public static class InvoicePdf
{
    const double Margin = 50, PageBottom = 790, Size = 9, TableSize = 8;

    /// <summary>"1,234.50 USD": minor units shown with the currency's exponent (0 for JPY, 3 for KWD).</summary>
    public static string Money(long minor, string currency) => Amount(minor, currency) + " " + currency;

    /// <summary>"1,234.50": the amount without its currency code (table cells).</summary>
    public static string Amount(long minor, string currency)
    {
        var exponent = CurrencyCodes.IsKnown(currency) ? CurrencyCodes.Exponent(currency) : 2;
        var value = minor / (decimal)Math.Pow(10, exponent);
        return value.ToString("N" + exponent, CultureInfo.InvariantCulture);
    }

    static string Quantity(decimal q) => q.ToString("0.######", CultureInfo.InvariantCulture);
    static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static byte[] Render(InvoicePdfData data)
    {
        var pdf = new PdfWriter();
        var width = PdfWriter.PageWidth - 2 * Margin;
        var half = width / 2;
        double y = Margin;
        var heading = data.IsDraft ? "Draft invoice" : $"Invoice {data.InvoiceNumber}";

        // Columns: description | quantity | unit price | discount | net | tax
        double[] widths = [160, 45, 75, 70, 75, width - 425];
        var cols = new double[widths.Length];
        for (var i = 0; i < widths.Length; i++) cols[i] = i == 0 ? Margin : cols[i - 1] + widths[i - 1];

        void Row(string[] cells, bool bold)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                var pad = i == 0 ? 0 : 4;
                pdf.Text(PdfWriter.Fit(cells[i], TableSize, widths[i] - pad), cols[i] + pad, y, TableSize, bold, alignRight: i > 0, width: widths[i] - pad);
            }
            y += 12;
        }

        void TableHeader()
        {
            Row(["Description", "Qty", "Unit price", "Discount", "Net", "Tax"], bold: true);
            pdf.Line(Margin, y - 2, Margin + width, y - 2);
            y += 2;
        }

        void NewPageIfNeeded(double needed)
        {
            if (y + needed <= PageBottom) return;
            pdf.NewPage();
            y = Margin;
            pdf.Text($"{heading} (continued)", Margin, y, Size, bold: true);
            y += 18;
            TableHeader();
        }

        // Issuer (left), title (right)
        pdf.Text(PdfWriter.Fit(data.CompanyName, Size, half), Margin, y, Size, bold: true);
        pdf.Text(PdfWriter.Fit(heading, 16, half), Margin + half, y, 16, bold: true, alignRight: true, width: half);
        y += 13;
        foreach (var l in data.CompanyAddress) { pdf.Text(PdfWriter.Fit(l, Size, half), Margin, y, Size); y += 12; }
        y = Math.Max(y, Margin + 40);

        // Customer (left), invoice facts (right)
        var top = y;
        pdf.Text("Bill to", Margin, y, Size, bold: true); y += 13;
        pdf.Text(PdfWriter.Fit(data.CustomerName ?? "(no customer)", Size, half - 10), Margin, y, Size); y += 12;
        foreach (var l in data.CustomerAddress) { pdf.Text(PdfWriter.Fit(l, Size, half - 10), Margin, y, Size); y += 12; }
        var leftEnd = y;
        y = top;
        var facts = new List<(string, string)>
        {
            ("Invoice number", data.InvoiceNumber ?? "(assigned when opened)"),
            ("Invoice date", Date(data.InvoiceDate)),
            ("Due date", data.DueDate is { } due ? Date(due) : "-"),
            ("Currency", data.Currency),
        };
        if (!string.IsNullOrEmpty(data.PoNumber)) facts.Add(("PO number", data.PoNumber));
        if (!string.IsNullOrEmpty(data.Reference)) facts.Add(("Reference", data.Reference));
        foreach (var (label, value) in facts)
        {
            pdf.Text(label, Margin + half, y, Size, bold: true);
            pdf.Text(PdfWriter.Fit(value, Size, half - 90), Margin + half + 90, y, Size, alignRight: true, width: half - 90);
            y += 12;
        }
        y = Math.Max(y, leftEnd) + 16;
        if (!string.IsNullOrWhiteSpace(data.Description)) { pdf.Text(PdfWriter.Fit(data.Description!, Size, width), Margin, y, Size); y += 18; }

        TableHeader();
        foreach (var line in data.Lines)
        {
            NewPageIfNeeded(12);
            Row([
                line.Description, Quantity(line.Quantity), Amount(line.UnitPrice, data.Currency),
                line.DiscountAmount == 0 ? "-" : Amount(line.DiscountAmount, data.Currency), Amount(line.NetAmount, data.Currency),
                Amount(line.TaxAmount, data.Currency),
            ], bold: false);
        }

        NewPageIfNeeded(60);
        pdf.Line(Margin + half, y + 2, Margin + width, y + 2);
        y += 8;
        foreach (var (label, amount, bold) in new[] { ("Net total", data.NetTotal, false), ("Tax total", data.TaxTotal, false), ("Total due", data.GrossTotal, true) })
        {
            pdf.Text(label, Margin + half, y, Size, bold);
            pdf.Text(Money(amount, data.Currency), Margin + half + 90, y, Size, bold, alignRight: true, width: half - 90);
            y += 13;
        }
        if (!string.IsNullOrWhiteSpace(data.AdditionalText))
        {
            y += 12;
            foreach (var l in data.AdditionalText!.Split('\n'))
            {
                NewPageIfNeeded(12);
                pdf.Text(PdfWriter.Fit(l.TrimEnd('\r'), Size, width), Margin, y, Size);
                y += 12;
            }
        }
        return pdf.Save(heading, data.CompanyName);
    }
}
