using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Ledgerlight.Organization.Users;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Receivables.Invoices;
using Xunit;

namespace Ledgerlight.Tests.Organization;

/// <summary>sendWelcomeEmail: the e-mail reaches a real SMTP server, and its link sets the password once.</summary>
public partial class WelcomeEmailTests(EmailServer server) : IClassFixture<EmailServer>
{
    static readonly HttpClient Browser = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    [GeneratedRegex(@"https?://[^\s]+/set-password\?token=[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPattern();

    async Task<(string UserId, string Link)> WelcomedUser()
    {
        var email = $"welcome-{Guid.NewGuid():N}@example.com";
        var user = (await server.Admin.PostAsync("/v1/users", new { email, firstName = "Wendy", sendWelcomeEmail = true })).AssertOk();
        SmtpSink.Message? message = null;
        await InvoiceKit.Eventually(() => Task.FromResult((message = server.Sink.Messages().FirstOrDefault(m => m.To.Contains(email))) is not null));
        // Undo quoted-printable soft breaks and "=3D" so the link reads as sent.
        var body = message!.Raw.Replace("=\r\n", "").Replace("=3D", "=");
        var link = LinkPattern().Match(body);
        Assert.True(link.Success, body);
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), link.Value);
        var (text, html, attachments) = InvoiceKit.Mime(message);
        Assert.Empty(attachments);
        Assert.Contains("Hello Wendy,", text);
        Assert.Contains(link.Value, text);
        Assert.Contains($"href=\"{link.Value}\"", html);
        Assert.Contains("Choose your password", html);
        return (user["id"]!.GetValue<string>(), link.Value);
    }

    static string TokenOf(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];

    static async Task<(HttpStatusCode Status, string Html)> Submit(string link, string token, string password, string? confirmation = null)
    {
        using var response = await Browser.PostAsync(new Uri(new Uri(link), "/set-password"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["password"] = password, ["confirmation"] = confirmation ?? password,
        }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    async Task<string?> PasswordHash(string userId)
    {
        await using var conn = await server.Db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<string?>("SELECT password_hash FROM users WHERE id = @id", new { id = Guid.Parse(userId) });
    }

    [Fact]
    public async Task The_link_sets_the_password_once()
    {
        var (userId, link) = await WelcomedUser();
        var token = TokenOf(link);

        using (var page = await Browser.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"post\"", html);
            Assert.Contains($"name=\"token\" value=\"{token}\"", html);
        }

        var tooShort = await Submit(link, token, "short", "short");
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.Status);
        Assert.Contains("at least 12", tooShort.Html);
        Assert.Null(await PasswordHash(userId));

        const string password = "a long and secret passphrase";
        var done = await Submit(link, token, password);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("Your password is set", done.Html);
        var hash = await PasswordHash(userId);
        Assert.NotNull(hash);
        Assert.DoesNotContain(password, hash);
        Assert.True(PasswordSetupStore.Verifies(hash!, password));

        await using (var conn = await server.Db.OpenConnectionAsync())
        {
            var stored = await conn.QuerySingleAsync<byte[]>("SELECT token_hash FROM password_setup_tokens WHERE user_id = @id", new { id = Guid.Parse(userId) });
            Assert.Equal(PasswordSetupToken.Hash(token), stored); // the hash, never the token
            Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE payload::text LIKE '%' || @token || '%'", new { token }));
        }

        var again = await Submit(link, token, "another long passphrase");
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Contains("cannot be used", again.Html);
        Assert.True(PasswordSetupStore.Verifies((await PasswordHash(userId))!, password));
        using var reopened = await Browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.BadRequest, reopened.StatusCode);
    }

    [Fact]
    public async Task An_expired_or_unknown_link_is_refused_with_a_page_not_an_error()
    {
        var (userId, link) = await WelcomedUser();
        await using (var conn = await server.Db.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE password_setup_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = @id", new { id = Guid.Parse(userId) });

        using (var page = await Browser.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains("cannot be used", await page.Content.ReadAsStringAsync());
        }
        var submitted = await Submit(link, TokenOf(link), "a long and secret passphrase");
        Assert.Equal(HttpStatusCode.BadRequest, submitted.Status);
        Assert.Null(await PasswordHash(userId));

        foreach (var path in new[] { "/set-password", "/set-password?token=", "/set-password?token=abc", $"/set-password?token={new string('A', 43)}" })
        {
            using var unknown = await Browser.GetAsync(new Uri(server.BaseAddress, path));
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Equal("text/html", unknown.Content.Headers.ContentType!.MediaType);
        }
        using var notAForm = await Browser.PostAsync(new Uri(server.BaseAddress, "/set-password"), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notAForm.StatusCode);
    }

    [Fact]
    public async Task Without_the_flag_no_email_is_queued()
    {
        var email = $"quiet-{Guid.NewGuid():N}@example.com";
        var id = (await server.Admin.PostAsync("/v1/users", new { email })).AssertOk()["id"]!.GetValue<string>();
        await using var conn = await server.Db.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = @kind AND payload->>'userId' = @id",
            new { kind = WelcomeEmail.JobKind, id }));
    }
}
