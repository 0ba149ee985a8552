using System.Diagnostics;
using System.Text;
using Ledgerlight.Documents.Pdf;
using Xunit;

namespace Ledgerlight.Tests.Documents.Pdf;

/// <summary>Sample documents and the poppler tools (pdftotext, pdfinfo, pdftoppm) the PDF tests read PDFs back with.</summary>
public static class PdfSamples
{
    public static readonly DocumentParty Seller = new("Acme Test Corp", ["1 Main St", "10115 Berlin", "DE"], "DE123456789", "billing@acme.example");

    public static SalesDocument Invoice(string number = "INV-2026-0042", IReadOnlyList<DocumentLine>? lines = null) => new(
        SalesDocumentKind.Invoice, number, false, Seller, new DocumentParty("Zoë Customer GmbH", ["Hauptstraße 5", "80331 München", "DE"], "DE987654321"),
        new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 1), "USD",
        lines ?? [
            new DocumentLine("Consulting hour", 2, 12_550, 1_000, 24_100, 4_820, 20m, "Standard rate 20%"),
            new DocumentLine("Travel", 1.5m, 10_000, 0, 15_000, 0, 0m, "Zero rate 0%"),
            new DocumentLine("Books", 3, 2_000, 0, 6_000, 600, 10m, "Reduced rate 10%"),
        ],
        "March work", "PO-9", "Project Apollo", "Thank you for your business.\nPlease quote the invoice number with your payment.",
        new BankDetails("Commerzbank", "Operating account", "DE89370400440532013000", "COBADEFFXXX", null, null));

    public static IReadOnlyList<DocumentLine> ManyLines(int n) =>
        Enumerable.Range(1, n).Select(i => new DocumentLine($"Line item number {i:D3}", 1, 100, 0, 100, 20, 20m)).ToList();

    /// <summary>The PDF's text via poppler's pdftotext (pages separated by form feeds).</summary>
    public static string Text(byte[] pdf, bool layout = true) => Run(pdf, "pdftotext", layout ? ["-layout", "-enc", "UTF-8", "{0}", "-"] : ["-enc", "UTF-8", "{0}", "-"]);

    public static string[] Pages(byte[] pdf) => Text(pdf).Split('\f').SkipLast(1).ToArray();

    public static string Run(byte[] pdf, string tool, string[] args)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ledgerlight-pdf-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
            foreach (var a in args) psi.ArgumentList.Add(string.Format(a, file));
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{tool} failed: {stderr.Result}");
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>The layout as data: what lands on which page, without rendering a PDF.</summary>
public class SalesDocumentLayoutTests
{
    // A crude but monotonic measure: layout rules must hold for any font.
    static readonly TextMeasure Crude = (text, size, bold) => text.Length * size * (bold ? 0.6 : 0.55);

    [Fact]
    public void Tax_summary_groups_lines_per_rate_highest_first()
    {
        var summary = PdfSamples.Invoice().TaxSummary();
        Assert.Equal(["20%", "10%", "0%"], summary.Select(r => r.Label));
        Assert.Equal([(24_100L, 4_820L), (6_000L, 600L), (15_000L, 0L)], summary.Select(r => (r.NetAmount, r.TaxAmount)));
        var untaxed = PdfSamples.Invoice(lines: [new DocumentLine("A", 1, 100, 0, 100, 0), new DocumentLine("B", 1, 50, 0, 50, 0)]).TaxSummary();
        Assert.Equal("No tax", Assert.Single(untaxed).Label);
    }

    [Fact]
    public void Payment_details_show_due_date_bank_and_reference_for_invoices_only()
    {
        var rows = PdfSamples.Invoice().PaymentDetails().ToDictionary(r => r.Label, r => r.Value);
        Assert.Equal("2026-04-01", rows["Due date"]);
        Assert.Equal("DE89 3704 0044 0532 0130 00", rows["IBAN"]);
        Assert.Equal("COBADEFFXXX", rows["BIC / SWIFT"]);
        Assert.Equal("INV-2026-0042", rows["Payment reference"]);
        Assert.Empty((PdfSamples.Invoice() with { Kind = SalesDocumentKind.CreditNote }).PaymentDetails());
    }

    [Fact]
    public void A_short_invoice_is_one_page_with_everything_on_it()
    {
        var layout = SalesDocumentLayout.Compute(PdfSamples.Invoice(), Crude);
        var page = Assert.Single(layout.Pages);
        var text = layout.TextOn(0).ToList();
        foreach (var expected in new[] { "INVOICE", "INV-2026-0042", "Acme Test Corp", "Zoë Customer GmbH", "Consulting hour", "Total due", "505.20 USD",
                     "PAYMENT DETAILS", "NOTES", "Page 1 of 1" })
            Assert.Contains(expected, text);
        Assert.Equal(1, text.Count(t => t == "Description")); // one table header
    }

    [Fact]
    public void Long_tables_break_between_rows_repeat_the_header_and_end_with_the_totals()
    {
        var doc = PdfSamples.Invoice(lines: PdfSamples.ManyLines(300));
        var layout = SalesDocumentLayout.Compute(doc, Crude);
        Assert.True(layout.Pages.Count > 1);
        var perPage = Enumerable.Range(0, layout.Pages.Count).Select(p => layout.TextOn(p).ToList()).ToList();
        // every line exactly once, in order
        var rows = perPage.SelectMany(t => t.Where(s => s.StartsWith("Line item number"))).ToList();
        Assert.Equal(doc.Lines.Select(l => l.Description), rows);
        // each page that holds rows starts its table with the header row
        foreach (var t in perPage.Where(t => t.Any(s => s.StartsWith("Line item"))))
            Assert.True(t.IndexOf("Description") >= 0 && t.IndexOf("Description") < t.FindIndex(s => s.StartsWith("Line item")));
        Assert.Contains("Total due", perPage[^1]);
        Assert.All(perPage.SkipLast(1), t => Assert.DoesNotContain("Total due", t));
        Assert.Contains($"Page {layout.Pages.Count} of {layout.Pages.Count}", perPage[^1]);
        // nothing is drawn below the footer line
        Assert.All(layout.Pages.SelectMany(p => p.OfType<TextOp>()), t => Assert.True(t.Y + t.Size <= SalesDocumentLayout.PageHeight - 20));
    }

    [Fact]
    public void Long_descriptions_wrap_and_long_names_are_cut_with_an_ellipsis()
    {
        var wrapped = TextFit.Wrap("one two three four five six seven eight nine ten", 60, 10, false, Crude, 3);
        Assert.Equal(3, wrapped.Count);
        Assert.EndsWith(TextFit.Ellipsis, wrapped[^1]);
        Assert.All(wrapped, l => Assert.True(Crude(l, 10, false) <= 60));
        Assert.Equal(["abcdefghij", "klmnop"], TextFit.Wrap("abcdefghijklmnop", 56, 10, false, Crude, 5));
        var cut = TextFit.Fit(new string('x', 200), 100, 10, false, Crude);
        Assert.EndsWith(TextFit.Ellipsis, cut);
        Assert.True(Crude(cut, 10, false) <= 100);
    }

    [Fact]
    public void The_discount_column_appears_only_when_a_line_has_a_discount()
    {
        Assert.Contains("Discount", SalesDocumentLayout.Columns(PdfSamples.Invoice()).Select(c => c.Header));
        var none = PdfSamples.Invoice(lines: PdfSamples.ManyLines(2));
        Assert.DoesNotContain("Discount", SalesDocumentLayout.Columns(none).Select(c => c.Header));
        Assert.Equal(SalesDocumentLayout.Width, SalesDocumentLayout.Columns(none).Sum(c => c.Width), 3);
    }
}

/// <summary>Rendered PDFs read back with poppler: real Unicode text, pagination, a credit note's own wording.</summary>
public class SalesDocumentPdfTests
{
    [Theory]
    [InlineData("ООО Ромашка", "Москва, ул. Тверская, д. 7")]
    [InlineData("Αθηναϊκή Εταιρεία Α.Ε.", "Οδός Ερμού 12, Αθήνα")]
    [InlineData("Zażółć gęślą jaźń Sp. z o.o.", "ul. Świętokrzyska 1, Łódź")]
    public void Cyrillic_Greek_and_Polish_names_come_out_as_text(string name, string street)
    {
        var doc = PdfSamples.Invoice() with
        {
            Buyer = new DocumentParty(name, [street]),
            Lines = [new DocumentLine($"Услуги / Υπηρεσίες / Usługi — {name}", 1, 10_000, 0, 10_000, 2_000, 20m)],
        };
        var text = PdfSamples.Text(SalesDocumentPdf.Render(doc), layout: false);
        Assert.Contains(name, text);
        Assert.Contains(street, text);
        Assert.Contains("Услуги / Υπηρεσίες / Usługi", text);
        Assert.DoesNotContain("?", text);
    }

    [Fact]
    public void The_font_is_embedded_so_no_system_font_is_needed()
    {
        // pdffonts: name, type, encoding, then emb / sub / uni as yes|no. Both faces embedded, subset, with a Unicode map.
        var fonts = PdfSamples.Run(SalesDocumentPdf.Render(PdfSamples.Invoice()), "pdffonts", ["{0}"]).Split('\n').Skip(2).Where(l => l.Length > 0).ToList();
        Assert.Equal(2, fonts.Count);
        Assert.Single(fonts, f => f.Contains("DejaVu Sans,Bold"));
        Assert.All(fonts, f => Assert.Matches(@"DejaVu Sans.*Identity-H\s+yes\s+yes\s+yes", f));
    }

    [Fact]
    public void An_invoice_prints_parties_facts_lines_tax_summary_totals_and_payment_details()
    {
        var text = PdfSamples.Text(SalesDocumentPdf.Render(PdfSamples.Invoice()));
        foreach (var expected in new[] { "INVOICE", "INV-2026-0042", "Acme Test Corp", "VAT no. DE123456789", "Zoë Customer GmbH", "Hauptstraße 5",
                     "80331 München", "2026-03-02", "2026-04-01", "PO-9", "Project Apollo", "March work", "Consulting hour", "125.50", "10.00", "241.00",
                     "48.20", "20%", "10%", "0%", "451.00 USD", "54.20 USD", "505.20 USD", "Total due", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX",
                     "Thank you for your business.", "Please quote the invoice number", "Page 1 of 1" })
            Assert.Contains(expected, text);
    }

    [Fact]
    public void A_300_line_invoice_paginates_with_every_line_and_the_totals_on_the_last_page()
    {
        var doc = PdfSamples.Invoice(lines: PdfSamples.ManyLines(300));
        var pdf = SalesDocumentPdf.Render(doc);
        var pages = PdfSamples.Pages(pdf);
        Assert.True(pages.Length > 1, $"{pages.Length} page(s)");
        for (var i = 1; i <= 300; i++) Assert.Single(pages, p => p.Contains($"Line item number {i:D3}"));
        Assert.All(pages.Where(p => p.Contains("Line item")), p => Assert.Contains("Description", p));
        Assert.Contains("Total due", pages[^1]);
        Assert.Contains("360.00 USD", pages[^1]); // 300 × 1.00 net + 300 × 0.20 tax
        Assert.Contains($"Page {pages.Length} of {pages.Length}", pages[^1]);
        Assert.Contains("(continued)", pages[1]);
        Assert.All(pages.SkipLast(1), p => Assert.DoesNotContain("Total due", p));
    }

    [Fact]
    public void A_credit_note_says_so_and_has_no_payment_details()
    {
        var doc = PdfSamples.Invoice("CN-7") with { Kind = SalesDocumentKind.CreditNote, DueDate = null };
        var text = PdfSamples.Text(SalesDocumentPdf.Render(doc));
        Assert.Contains("CREDIT NOTE", text);
        Assert.Contains("Credit note number", text);
        Assert.Contains("CREDIT TO", text);
        Assert.Contains("Total credit", text);
        Assert.DoesNotContain("PAYMENT DETAILS", text);
        var draft = PdfSamples.Text(SalesDocumentPdf.Render(doc with { IsDraft = true }));
        Assert.Contains("DRAFT CREDIT NOTE", draft);
        Assert.Contains("Draft credit note", draft); // the footer and the document title
    }
}
