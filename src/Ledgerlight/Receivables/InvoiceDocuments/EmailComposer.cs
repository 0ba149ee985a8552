using System.Net;
using MimeKit;
using MimeKit.Text;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>A file sent with an e-mail (the invoice or credit note PDF).</summary>
public sealed record EmailAttachment(string FileName, byte[] Content, string MediaType = "application/pdf");

/// <summary>
/// The words of an e-mail, written once and sent twice: as plain text and as HTML. Paragraphs keep their own
/// line breaks; <see cref="Facts"/> is a short label/value list (number, amount, due date); <see cref="Action"/>
/// is one link shown as a button in HTML and as a bare URL in text.
/// </summary>
public sealed record EmailContent(string Greeting, IReadOnlyList<string> Paragraphs, string Signature,
    IReadOnlyList<(string Label, string Value)>? Facts = null, (string Label, string Url)? Action = null, string? Footnote = null);

/// <summary>
/// Builds MIME messages with MimeKit: multipart/alternative (text/plain then text/html), inside multipart/mixed
/// when a file is attached. Addresses were validated where the request came in (<see cref="EmailLimits"/>).
/// </summary>
public static class EmailComposer
{
    public static MimeMessage Compose(string from, IEnumerable<string> to, IEnumerable<string> cc, string? replyTo, string subject,
        EmailContent content, EmailAttachment? attachment = null)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to) message.To.Add(MailboxAddress.Parse(address));
        foreach (var address in cc) message.Cc.Add(MailboxAddress.Parse(address));
        if (!string.IsNullOrWhiteSpace(replyTo)) message.ReplyTo.Add(MailboxAddress.Parse(replyTo));

        // Quoted-printable keeps the parts readable in the raw message (and links intact for anyone grepping a mailbox).
        var text = new TextPart(TextFormat.Plain) { Text = Text(content), ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        var html = new TextPart(TextFormat.Html) { Text = Html(content), ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        var alternative = new MultipartAlternative { text, html };
        if (attachment is null)
        {
            message.Body = alternative;
            return message;
        }
        var file = new MimePart(ContentType.Parse(attachment.MediaType))
        {
            Content = new MimeContent(new MemoryStream(attachment.Content)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = attachment.FileName,
        };
        message.Body = new Multipart("mixed") { alternative, file };
        return message;
    }

    public static string Text(EmailContent c)
    {
        var lines = new List<string> { c.Greeting, "" };
        foreach (var p in c.Paragraphs) { lines.Add(p.Trim()); lines.Add(""); }
        if (c.Facts is { Count: > 0 } facts)
        {
            var width = facts.Max(f => f.Label.Length) + 2;
            lines.AddRange(facts.Select(f => (f.Label + ":").PadRight(width) + f.Value));
            lines.Add("");
        }
        if (c.Action is { } action) { lines.Add(action.Label + ":"); lines.Add(action.Url); lines.Add(""); }
        if (c.Footnote is { } note) { lines.Add(note); lines.Add(""); }
        lines.Add(c.Signature);
        return string.Join("\n", lines).Replace("\r\n", "\n").Replace('\r', '\n');
    }

    public static string Html(EmailContent c)
    {
        static string E(string s) => WebUtility.HtmlEncode(s).Replace("\r\n", "\n").Replace("\n", "<br>");
        const string p = "margin:0 0 14px 0;";
        var body = new System.Text.StringBuilder();
        body.Append($"<p style=\"{p}\">{E(c.Greeting)}</p>");
        foreach (var para in c.Paragraphs) body.Append($"<p style=\"{p}\">{E(para.Trim())}</p>");
        if (c.Facts is { Count: > 0 } facts)
        {
            body.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:4px 0 18px 0;\">");
            foreach (var (label, value) in facts)
                body.Append($"<tr><td style=\"padding:3px 18px 3px 0;color:#5f6b7a;\">{E(label)}</td><td style=\"padding:3px 0;font-weight:bold;\">{E(value)}</td></tr>");
            body.Append("</table>");
        }
        if (c.Action is { } action)
        {
            var url = WebUtility.HtmlEncode(action.Url);
            body.Append($"<p style=\"margin:8px 0 18px 0;\"><a href=\"{url}\" style=\"background:#1f3a5f;color:#ffffff;padding:10px 18px;" +
                        $"border-radius:4px;text-decoration:none;display:inline-block;\">{E(action.Label)}</a></p>");
            body.Append($"<p style=\"{p}font-size:12px;color:#5f6b7a;\">Or paste this address into your browser:<br>{url}</p>");
        }
        if (c.Footnote is { } note) body.Append($"<p style=\"{p}font-size:12px;color:#5f6b7a;\">{E(note)}</p>");
        body.Append($"<p style=\"margin:18px 0 0 0;\">{E(c.Signature)}</p>");
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>" +
               "<body style=\"margin:0;padding:24px;background:#f5f7fa;\">" +
               "<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-top:4px solid #1f3a5f;padding:24px 28px;" +
               "font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#171c26;\">" +
               body + "</div></body></html>";
    }
}
