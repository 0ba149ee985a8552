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

    public static byte[] Render(InvoicePdfData data) => new Layout(data).Render();

    /// <summary>One rendering: the writer, the cursor (y) and the table geometry, drawn top to bottom in sections.</summary>
    sealed class Layout
    {
        readonly InvoicePdfData _data;
        readonly PdfWriter _pdf = new();
        readonly double _width = PdfWriter.PageWidth - 2 * Margin;
        readonly double _half;
        readonly string _heading;
        // Columns: description | quantity | unit price | discount | net | tax
        readonly double[] _widths;
        readonly double[] _cols;
        double _y = Margin;

        public Layout(InvoicePdfData data)
        {
            _data = data;
            _half = _width / 2;
            _heading = data.IsDraft ? "Draft invoice" : $"Invoice {data.InvoiceNumber}";
            _widths = [160, 45, 75, 70, 75, _width - 425];
            _cols = new double[_widths.Length];
            for (var i = 0; i < _widths.Length; i++) _cols[i] = i == 0 ? Margin : _cols[i - 1] + _widths[i - 1];
        }

        public byte[] Render()
        {
            Issuer();
            CustomerAndFacts();
            LineTable();
            Totals();
            AdditionalText();
            return _pdf.Save(_heading, _data.CompanyName);
        }

        void Row(string[] cells, bool bold)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                var pad = i == 0 ? 0 : 4;
                _pdf.Text(PdfWriter.Fit(cells[i], TableSize, _widths[i] - pad), _cols[i] + pad, _y, TableSize, bold, alignRight: i > 0, width: _widths[i] - pad);
            }
            _y += 12;
        }

        void TableHeader()
        {
            Row(["Description", "Qty", "Unit price", "Discount", "Net", "Tax"], bold: true);
            _pdf.Line(Margin, _y - 2, Margin + _width, _y - 2);
            _y += 2;
        }

        void NewPageIfNeeded(double needed)
        {
            if (_y + needed <= PageBottom) return;
            _pdf.NewPage();
            _y = Margin;
            _pdf.Text($"{_heading} (continued)", Margin, _y, Size, bold: true);
            _y += 18;
            TableHeader();
        }

        /// <summary>Issuer (left), title (right).</summary>
        void Issuer()
        {
            _pdf.Text(PdfWriter.Fit(_data.CompanyName, Size, _half), Margin, _y, Size, bold: true);
            _pdf.Text(PdfWriter.Fit(_heading, 16, _half), Margin + _half, _y, 16, bold: true, alignRight: true, width: _half);
            _y += 13;
            foreach (var l in _data.CompanyAddress) { _pdf.Text(PdfWriter.Fit(l, Size, _half), Margin, _y, Size); _y += 12; }
            _y = Math.Max(_y, Margin + 40);
        }

        /// <summary>Customer (left), invoice facts (right), then the description.</summary>
        void CustomerAndFacts()
        {
            var top = _y;
            _pdf.Text("Bill to", Margin, _y, Size, bold: true); _y += 13;
            _pdf.Text(PdfWriter.Fit(_data.CustomerName ?? "(no customer)", Size, _half - 10), Margin, _y, Size); _y += 12;
            foreach (var l in _data.CustomerAddress) { _pdf.Text(PdfWriter.Fit(l, Size, _half - 10), Margin, _y, Size); _y += 12; }
            var leftEnd = _y;
            _y = top;
            var facts = new List<(string, string)>
            {
                ("Invoice number", _data.InvoiceNumber ?? "(assigned when opened)"),
                ("Invoice date", Date(_data.InvoiceDate)),
                ("Due date", _data.DueDate is { } due ? Date(due) : "-"),
                ("Currency", _data.Currency),
            };
            if (!string.IsNullOrEmpty(_data.PoNumber)) facts.Add(("PO number", _data.PoNumber));
            if (!string.IsNullOrEmpty(_data.Reference)) facts.Add(("Reference", _data.Reference));
            foreach (var (label, value) in facts)
            {
                _pdf.Text(label, Margin + _half, _y, Size, bold: true);
                _pdf.Text(PdfWriter.Fit(value, Size, _half - 90), Margin + _half + 90, _y, Size, alignRight: true, width: _half - 90);
                _y += 12;
            }
            _y = Math.Max(_y, leftEnd) + 16;
            if (!string.IsNullOrWhiteSpace(_data.Description)) { _pdf.Text(PdfWriter.Fit(_data.Description!, Size, _width), Margin, _y, Size); _y += 18; }
        }

        void LineTable()
        {
            TableHeader();
            foreach (var line in _data.Lines)
            {
                NewPageIfNeeded(12);
                Row([
                    line.Description, Quantity(line.Quantity), Amount(line.UnitPrice, _data.Currency),
                    line.DiscountAmount == 0 ? "-" : Amount(line.DiscountAmount, _data.Currency), Amount(line.NetAmount, _data.Currency),
                    Amount(line.TaxAmount, _data.Currency),
                ], bold: false);
            }
        }

        void Totals()
        {
            NewPageIfNeeded(60);
            _pdf.Line(Margin + _half, _y + 2, Margin + _width, _y + 2);
            _y += 8;
            foreach (var (label, amount, bold) in new[] { ("Net total", _data.NetTotal, false), ("Tax total", _data.TaxTotal, false), ("Total due", _data.GrossTotal, true) })
            {
                _pdf.Text(label, Margin + _half, _y, Size, bold);
                _pdf.Text(Money(amount, _data.Currency), Margin + _half + 90, _y, Size, bold, alignRight: true, width: _half - 90);
                _y += 13;
            }
        }

        void AdditionalText()
        {
            if (string.IsNullOrWhiteSpace(_data.AdditionalText)) return;
            _y += 12;
            foreach (var l in _data.AdditionalText!.Split('\n'))
            {
                NewPageIfNeeded(12);
                _pdf.Text(PdfWriter.Fit(l.TrimEnd('\r'), Size, _width), Margin, _y, Size);
                _y += 12;
            }
        }
    }
}
