using System.Net.Mail;
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
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = $"Welcome to {link.CompanyName} on Ledgerlight",
            Body = Body(link, LinkFor(baseUrl.Value, link.Token)),
        };
        message.To.Add(link.Email);
        await sender.SendAsync(message, ct);
    }

    public static string LinkFor(string baseUrl, string token) => $"{baseUrl}/set-password?token={token}";

    static string Body(IssuedPasswordLink link, string url) => string.Join("\r\n",
        $"Hello {link.FirstName ?? link.Email},",
        "",
        $"An account was created for you at {link.CompanyName}. Choose your password here:",
        "",
        url,
        "",
        $"The link works once and expires in {PasswordSetupToken.Lifetime.TotalHours:0} hours.",
        "If you did not expect this e-mail, you can ignore it.");
}
