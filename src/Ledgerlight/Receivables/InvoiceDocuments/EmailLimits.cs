using MimeKit;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>
/// Bounds on a caller-composed e-mail (invoice send-email, customer credit post-and-send-email): the server sends it under
/// its own From address, so a caller must not be able to turn it into a mass mailer or inject headers. At most
/// <see cref="MaxAddresses"/> addresses (recipients and cc together), each a single plain address of at most
/// <see cref="MaxAddressLength"/> characters (no display name, list or control character); a one-line subject of at most
/// <see cref="MaxSubjectLength"/> characters; a reply-to that is one such address; a message of at most
/// <see cref="MaxMessageLength"/> characters. Each violation is a 400 naming its field.
/// </summary>
public static class EmailLimits
{
    public const int MaxAddresses = 10;
    public const int MaxAddressLength = 254;
    public const int MaxSubjectLength = 200;
    public const int MaxMessageLength = 5_000;

    public static void Validate(Validation v, string? subject, string? replyTo, IReadOnlyList<string?>? recipients, IReadOnlyList<string?>? cc,
        string? customMessage, params object[] at)
    {
        object[] P(params object[] rest) => [.. at, .. rest];
        if (subject is not null)
        {
            if (subject.Length > MaxSubjectLength) v.Add($"'subject' is at most {MaxSubjectLength} characters", P("subject"));
            if (subject.Any(char.IsControl)) v.Add("'subject' must be one line without control characters", P("subject"));
        }
        if (!string.IsNullOrEmpty(replyTo) && !IsSingleAddress(replyTo))
            v.Add("'replyTo' must be one e-mail address", P("replyTo"));
        if (customMessage is { Length: > MaxMessageLength }) v.Add($"'customMessage' is at most {MaxMessageLength} characters", P("customMessage"));
        if ((recipients?.Count ?? 0) + (cc?.Count ?? 0) > MaxAddresses)
            v.Add($"At most {MaxAddresses} addresses in recipients and cc together", P(recipients is { Count: > 0 } ? "recipients" : "cc"));
        foreach (var (list, field) in new[] { (recipients, "recipients"), (cc, "cc") })
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                if (string.IsNullOrWhiteSpace(list![i])) v.Add("Email address must not be empty", P(field, i));
                else if (!IsSingleAddress(list[i]!)) v.Add($"'{field}[{i}]' must be one e-mail address", P(field, i));
            }
    }

    /// <summary>A plain address (local@domain), exactly as MimeKit (which sends it) reads it: no display name, no second address, no CR/LF.</summary>
    public static bool IsSingleAddress(string value) =>
        value.Length <= MaxAddressLength
        && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"')
        && MailboxAddress.TryParse(value, out var parsed) && parsed.Address == value && string.IsNullOrEmpty(parsed.Name)
        && value.IndexOf('@') is > 0 and var at && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.');
}
