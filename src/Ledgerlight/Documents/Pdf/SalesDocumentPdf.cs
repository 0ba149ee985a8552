using PdfSharp.Drawing;
using PdfSharp.Pdf;
using static Ledgerlight.Documents.Pdf.SalesDocumentLayout;

namespace Ledgerlight.Documents.Pdf;

/// <summary>
/// Draws a laid-out document with PDFsharp: A4 pages, DejaVu Sans (<see cref="EmbeddedFonts"/>) embedded as a
/// Unicode subset, so every character the font covers is real text a reader can search and copy.
/// </summary>
public static class SalesDocumentPdf
{
    static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    public static byte[] Render(SalesDocument doc)
    {
        using var context = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        return Render(SalesDocumentLayout.Compute(doc, Measure(context)));
    }

    public static byte[] Render(LaidOutDocument layout)
    {
        var fonts = new Fonts();
        using var pdf = new PdfDocument();
        pdf.Info.Title = layout.Title;
        pdf.Info.Author = layout.Author;
        pdf.Info.Creator = "Ledgerlight";
        foreach (var ops in layout.Pages)
        {
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            using var gfx = XGraphics.FromPdfPage(page);
            foreach (var op in ops) Draw(gfx, fonts, op);
        }
        using var output = new MemoryStream();
        pdf.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Measures with the same fonts the PDF is drawn with (a measure context draws nothing).</summary>
    static TextMeasure Measure(XGraphics context)
    {
        var fonts = new Fonts();
        return (text, size, bold) => text.Length == 0 ? 0 : context.MeasureString(text, fonts.Get(size, bold)).Width;
    }

    static void Draw(XGraphics gfx, Fonts fonts, DrawOp op)
    {
        switch (op)
        {
            case TextOp t when t.Text.Length > 0:
                var font = fonts.Get(t.Size, t.Bold);
                var rect = new XRect(t.X, t.Y, Math.Max(t.Width, 1), t.Size * 1.3);
                gfx.DrawString(t.Text, font, new XSolidBrush(Colour(t.Color)), rect, t.AlignRight ? XStringFormats.TopRight : XStringFormats.TopLeft);
                break;
            case BoxOp b:
                gfx.DrawRectangle(new XSolidBrush(Colour(b.Fill)), b.X, b.Y, b.Width, b.Height);
                break;
            case RuleOp r:
                gfx.DrawLine(new XPen(Colour(r.Color), r.Thickness), r.X1, r.Y1, r.X2, r.Y2);
                break;
        }
    }

    static XColor Colour(Shade shade) => shade switch
    {
        Shade.Muted => XColor.FromArgb(0x5F, 0x6B, 0x7A),
        Shade.Accent => XColor.FromArgb(0x1F, 0x3A, 0x5F),
        Shade.AccentLight => XColor.FromArgb(0xE6, 0xED, 0xF5),
        Shade.Stripe => XColor.FromArgb(0xF5, 0xF7, 0xFA),
        Shade.Rule => XColor.FromArgb(0xC9, 0xD1, 0xDB),
        Shade.White => XColors.White,
        _ => XColor.FromArgb(0x17, 0x1C, 0x26),
    };

    /// <summary>XFonts by size and weight, made once per rendering.</summary>
    sealed class Fonts
    {
        readonly Dictionary<(double, bool), XFont> _cache = [];

        public Fonts() => EmbeddedFonts.EnsureRegistered();

        public XFont Get(double size, bool bold)
        {
            if (!_cache.TryGetValue((size, bold), out var font))
                _cache[(size, bold)] = font = new XFont(EmbeddedFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);
            return font;
        }
    }
}
