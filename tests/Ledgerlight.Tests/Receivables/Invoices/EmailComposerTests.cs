using Ledgerlight.Receivables.InvoiceDocuments;
using MimeKit;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Invoices;

/// <summary>One EmailContent becomes a text and an HTML part that say the same; the caller's words are never markup.</summary>
public class EmailComposerTests
{
    static readonly EmailContent Content = new("Dear ООО Ромашка,", ["<script>alert(1)</script> & thanks\nsecond line"], "Acme & Sons",
        [("Amount due", "241.00 USD")], ("Pay now", "https://pay.example/i?a=1&b=2"), "Footnote <b>here</b>");

    [Fact]
    public void The_html_part_escapes_the_callers_text_and_keeps_its_line_breaks()
    {
        var html = EmailComposer.Html(Content);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; thanks<br>second line", html);
        Assert.Contains("Footnote &lt;b&gt;here&lt;/b&gt;", html);
        Assert.Contains("href=\"https://pay.example/i?a=1&amp;b=2\"", html);
        Assert.Contains("Acme &amp; Sons", html);
    }

    [Fact]
    public void The_text_part_has_the_same_words_the_facts_and_the_bare_link()
    {
        var text = EmailComposer.Text(Content);
        Assert.StartsWith("Dear ООО Ромашка,\n\n<script>alert(1)</script> & thanks\nsecond line\n", text);
        Assert.Contains("Amount due: 241.00 USD", text);
        Assert.Contains("Pay now:\nhttps://pay.example/i?a=1&b=2", text);
        Assert.EndsWith("Acme & Sons", text);
    }

    [Fact]
    public void A_message_is_alternative_text_and_html_and_mixed_with_an_attachment()
    {
        using var plain = EmailComposer.Compose("Billing <billing@acme.example>", ["a@b.example"], ["c@d.example"], null, "Invoice Ω-7", Content);
        var alternative = Assert.IsType<MultipartAlternative>(plain.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Empty(plain.ReplyTo);
        Assert.Equal("Billing", ((MailboxAddress)plain.From[0]).Name);

        using var withPdf = EmailComposer.Compose("billing@acme.example", ["a@b.example"], [], "ar@acme.example", "Invoice", Content,
            new EmailAttachment("invoice-7.pdf", [1, 2, 3]));
        var mixed = Assert.IsType<Multipart>(withPdf.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.IsType<MultipartAlternative>(mixed[0]);
        var file = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal(("application/pdf", "invoice-7.pdf", true), (file.ContentType.MimeType, file.FileName, file.IsAttachment));
        Assert.Equal("ar@acme.example", ((MailboxAddress)withPdf.ReplyTo[0]).Address);
    }
}
