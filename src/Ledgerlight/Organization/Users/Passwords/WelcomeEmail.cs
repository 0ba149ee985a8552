using Ledgerlight.Documents;
using Ledgerlight.Receivables.InvoiceDocuments;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Organization.Users;

/// <summary>
/// "user.welcome-email" jobs, queued with the user (sendWelcomeEmail): issues a set-password link and
/// mails it. The token is made here, not at queueing time, so the job table never holds a usable
/// secret; a retry issues a fresh link (which retires the earlier one). A failed send rethrows so the
/// queue retries with its backoff.
/// </summary>
public sealed class WelcomeEmail(PasswordSetupStore links, IEmailSender sender, SmtpSettings settings, PublicBaseUrl baseUrl) : IJobHandler
{
    public const string JobKind = "user.welcome-email";

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var companyId = job.CompanyId ?? throw new InvalidOperationException("welcome e-mail job without a company");
        var userId = job.Payload.GetProperty("userId").GetGuid();
        // A user deactivated before the job ran gets no link.
        if (await links.IssueAsync(companyId, userId, ct) is not { } link) return;
        using var message = EmailComposer.Compose(settings.From, [link.Email], [], null, $"Welcome to {link.CompanyName} on Ledgerlight",
            Content(link, LinkFor(baseUrl.Value, link.Token)));
        await sender.SendAsync(message, ct);
    }

    public static string LinkFor(string baseUrl, string token) => $"{baseUrl}/set-password?token={token}";

    /// <summary>Text and HTML say the same: who invited them, the one-time link (a button in HTML), how long it lasts.</summary>
    public static EmailContent Content(IssuedPasswordLink link, string url) => new(
        $"Hello {link.FirstName ?? link.Email},",
        [$"An account was created for you at {link.CompanyName}. Choose your password to sign in."],
        link.CompanyName,
        Action: ("Choose your password", url),
        Footnote: $"The link works once and expires in {PasswordSetupToken.Lifetime.TotalHours:0} hours. If you did not expect this e-mail, you can ignore it.");
}
