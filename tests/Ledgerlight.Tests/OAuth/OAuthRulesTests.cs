using Ledgerlight.OAuth;
using Ledgerlight.Platform.Auth;
using Xunit;

namespace Ledgerlight.Tests.OAuth;

/// <summary>The pure rules of the flow: no database, no HTTP.</summary>
public class OAuthRulesTests
{
    static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    static readonly Guid Client = Guid.NewGuid();
    const string Redirect = "https://app.example/callback";

    // RFC 7636 appendix B.
    const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    static CodeRecord Code(string? challenge = null, DateTime? usedAt = null, DateTime? expiresAt = null) =>
        new(Guid.NewGuid(), Client, Guid.NewGuid(), Redirect, challenge, expiresAt ?? Now.AddMinutes(1), usedAt, null);

    [Fact]
    public void Redirect_uris_match_exactly()
    {
        string[] registered = [Redirect, "com.example.app:/oauth"];
        Assert.True(OAuthRules.RedirectMatches(registered, Redirect));
        Assert.True(OAuthRules.RedirectMatches(registered, "com.example.app:/oauth"));
        foreach (var near in new[] { Redirect + "/", Redirect + "?x=1", "https://APP.example/callback", "https://app.example/callback/../callback", "https://app.example/call", null })
            Assert.False(OAuthRules.RedirectMatches(registered, near));
        Assert.Equal(Redirect, OAuthRules.ResolveRedirect([Redirect], null));
        Assert.Null(OAuthRules.ResolveRedirect(registered, null));
        Assert.Null(OAuthRules.ResolveRedirect(registered, "https://evil.example/"));
    }

    [Fact]
    public void Registered_redirect_uris_are_absolute_without_fragment_or_script()
    {
        Assert.Null(OAuthRules.RedirectUriProblem("https://app.example/cb?tenant=1"));
        Assert.Null(OAuthRules.RedirectUriProblem("http://127.0.0.1:8765/cb"));
        Assert.NotNull(OAuthRules.RedirectUriProblem("/cb"));
        Assert.NotNull(OAuthRules.RedirectUriProblem("https://app.example/cb#x"));
        Assert.NotNull(OAuthRules.RedirectUriProblem("javascript:alert(1)"));
        Assert.NotNull(OAuthRules.RedirectUriProblem("data:text/html,hi"));
        Assert.NotNull(OAuthRules.RedirectUriProblem(""));
    }

    [Fact]
    public void Pkce_S256_follows_rfc_7636()
    {
        Assert.True(OAuthRules.PkceVerifies(Challenge, Verifier));
        Assert.False(OAuthRules.PkceVerifies(Challenge, Verifier[..^1] + "Y"));
        Assert.False(OAuthRules.PkceVerifies(Challenge, null));
        Assert.False(OAuthRules.PkceVerifies(Challenge, "short"));
        Assert.Null(OAuthRules.ChallengeProblem(Challenge, "S256", isPublicClient: true));
        Assert.Null(OAuthRules.ChallengeProblem(null, null, isPublicClient: false));
        Assert.NotNull(OAuthRules.ChallengeProblem(null, null, isPublicClient: true));
        Assert.NotNull(OAuthRules.ChallengeProblem(Challenge, "plain", isPublicClient: false));
        Assert.NotNull(OAuthRules.ChallengeProblem(Challenge, null, isPublicClient: false));
        Assert.NotNull(OAuthRules.ChallengeProblem("too-short", "S256", isPublicClient: false));
    }

    [Fact]
    public void A_code_is_exchanged_once_in_time_by_its_client_for_its_redirect_with_its_verifier()
    {
        Assert.Null(OAuthRules.CheckCode(Code(), Client, Redirect, null, Now));
        Assert.Null(OAuthRules.CheckCode(Code(Challenge), Client, Redirect, Verifier, Now));
        Assert.Equal("invalid_grant", OAuthRules.CheckCode(null, Client, Redirect, null, Now)!.Error);
        Assert.Contains("another client", OAuthRules.CheckCode(Code(), Guid.NewGuid(), Redirect, null, Now)!.Description);
        Assert.Contains("already used", OAuthRules.CheckCode(Code(usedAt: Now.AddSeconds(-5)), Client, Redirect, null, Now)!.Description);
        Assert.Contains("expired", OAuthRules.CheckCode(Code(expiresAt: Now), Client, Redirect, null, Now)!.Description);
        Assert.Contains("redirect_uri", OAuthRules.CheckCode(Code(), Client, Redirect + "/", null, Now)!.Description);
        Assert.Contains("redirect_uri", OAuthRules.CheckCode(Code(), Client, null, null, Now)!.Description);
        Assert.Contains("code_verifier", OAuthRules.CheckCode(Code(Challenge), Client, Redirect, null, Now)!.Description);
        Assert.Contains("code_verifier", OAuthRules.CheckCode(Code(Challenge), Client, Redirect, Verifier.Replace('d', 'e'), Now)!.Description);
        Assert.Contains("code_verifier", OAuthRules.CheckCode(Code(), Client, Redirect, Verifier, Now)!.Description);
    }

    static RefreshRecord Refresh(DateTime? usedAt = null, DateTime? revokedAt = null, string status = "ACTIVE", DateTime? expiresAt = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Client, expiresAt ?? Now.AddDays(1), usedAt, revokedAt, status);

    [Fact]
    public void A_refresh_token_rotates_once_and_its_reuse_revokes_the_grant()
    {
        Assert.Equal(RefreshVerdict.Rotate, OAuthRules.CheckRefresh(Refresh(), Client, Now).Verdict);
        Assert.Equal(RefreshVerdict.Reuse, OAuthRules.CheckRefresh(Refresh(usedAt: Now.AddMinutes(-1)), Client, Now).Verdict);
        Assert.Equal(RefreshVerdict.Refuse, OAuthRules.CheckRefresh(null, Client, Now).Verdict);
        Assert.Equal(RefreshVerdict.Refuse, OAuthRules.CheckRefresh(Refresh(), Guid.NewGuid(), Now).Verdict);
        Assert.Equal(RefreshVerdict.Refuse, OAuthRules.CheckRefresh(Refresh(revokedAt: Now), Client, Now).Verdict);
        Assert.Equal(RefreshVerdict.Refuse, OAuthRules.CheckRefresh(Refresh(status: "DEACTIVATED"), Client, Now).Verdict);
        Assert.Equal(RefreshVerdict.Refuse, OAuthRules.CheckRefresh(Refresh(expiresAt: Now), Client, Now).Verdict);
        // Reuse of an already revoked chain is just refused: there is nothing left to revoke.
        Assert.Equal(RefreshVerdict.Refuse, OAuthRules.CheckRefresh(Refresh(usedAt: Now, revokedAt: Now), Client, Now).Verdict);
        Assert.All(new[] { Refresh(usedAt: Now), Refresh(expiresAt: Now) }, r => Assert.Equal("invalid_grant", OAuthRules.CheckRefresh(r, Client, Now).Error!.Error));
    }

    [Fact]
    public void Lockout_after_the_limit_for_the_lockout_period_and_stale_failures_are_forgotten()
    {
        var options = new OAuthOptions { MaxFailedSignIns = 3, LockoutMinutes = 15 };
        SignInFailures? record = null;
        for (var i = 1; i <= 2; i++)
        {
            record = LockoutRules.AfterFailure(record, Now, options);
            Assert.Null(LockoutRules.LockedUntil(record, Now));
        }
        record = LockoutRules.AfterFailure(record, Now, options);
        Assert.Equal(Now.AddMinutes(15), LockoutRules.LockedUntil(record, Now));
        Assert.Equal(Now.AddMinutes(15), LockoutRules.LockedUntil(record, Now.AddMinutes(14)));
        Assert.Null(LockoutRules.LockedUntil(record, Now.AddMinutes(15)));
        // After the lockout ends, counting starts afresh.
        Assert.Equal(1, LockoutRules.AfterFailure(record, Now.AddMinutes(16), options).Failures);
        // Two failures long ago do not count towards today's.
        var old = new SignInFailures(2, Now.AddHours(-2), null);
        Assert.Equal(1, LockoutRules.AfterFailure(old, Now, options).Failures);
    }

    [Fact]
    public void Client_credentials_come_from_the_form_or_basic_but_not_both()
    {
        var (form, e1) = ClientAuthentication.Read(null, "id", "secret");
        Assert.Equal(("id", "secret", false), (form!.ClientId, form.ClientSecret, form.ViaBasic));
        Assert.Null(e1);
        var basic = "Basic " + Convert.ToBase64String("my%20id:s%3Acret"u8.ToArray());
        var (viaBasic, _) = ClientAuthentication.Read(basic, null, null);
        Assert.Equal(("my id", "s:cret", true), (viaBasic!.ClientId, viaBasic.ClientSecret, viaBasic.ViaBasic));
        Assert.Equal("invalid_request", ClientAuthentication.Read(basic, null, "secret").Error!.Error);
        Assert.Equal("invalid_client", ClientAuthentication.Read(null, null, null).Error!.Error);
        Assert.Equal("invalid_client", ClientAuthentication.Read("Bearer x", "id", null).Error!.Error);
        Assert.Equal("invalid_client", ClientAuthentication.Read("Basic !!!", null, null).Error!.Error);
        Assert.Equal(401, ClientAuthentication.Read(null, null, null).Error!.Status);
    }

    [Fact]
    public void A_confidential_client_needs_its_secret_and_a_revoked_one_nothing_helps()
    {
        var secret = OAuthSecrets.Generate(OAuthSecrets.ClientSecretPrefix);
        var client = new OAuthClient(Client, Guid.NewGuid(), "App", "Co", OAuthSecrets.Hash(secret), [Redirect], false, null);
        Assert.Null(ClientAuthentication.Check(client, secret));
        Assert.NotNull(ClientAuthentication.Check(client, secret + "x"));
        Assert.NotNull(ClientAuthentication.Check(client, null));
        Assert.NotNull(ClientAuthentication.Check(client with { RevokedAt = Now }, secret));
        Assert.NotNull(ClientAuthentication.Check(null, secret));
        var spa = client with { SecretHash = null, IsPublic = true };
        Assert.Null(ClientAuthentication.Check(spa, null));
    }

    [Fact]
    public void A_users_light_roles_map_to_the_api_role_with_the_rights_they_need()
    {
        Assert.Equal(Roles.Admin, OAuthRules.ApiRole(["COMPANY_ADMIN", "SUPERUSER"]));
        Assert.Equal(Roles.Accountant, OAuthRules.ApiRole(["CONTROLLER", "AP_CLERK"]));
        Assert.Equal(Roles.ApClerk, OAuthRules.ApiRole(["AP_PREPARATION"]));
        Assert.Equal(Roles.ArClerk, OAuthRules.ApiRole(["AR_CLERK"]));
        Assert.Equal(Roles.Approver, OAuthRules.ApiRole(["INVOICE_APPROVER"]));
        Assert.Equal(Roles.Viewer, OAuthRules.ApiRole(["CARDHOLDER"]));
        Assert.Equal(Roles.Viewer, OAuthRules.ApiRole([]));
        Assert.All(Roles.All, r => Assert.NotEmpty(OAuthRules.Describe(r)));
    }

    [Fact]
    public void Redirect_parameters_are_appended_to_an_existing_query()
    {
        Assert.Equal("https://a.example/cb?code=c%2B1&state=s%20t",
            OAuthRules.AppendQuery("https://a.example/cb", [new("code", "c+1"), new("state", "s t")]));
        Assert.Equal("https://a.example/cb?tenant=1&code=c",
            OAuthRules.AppendQuery("https://a.example/cb?tenant=1", [new("code", "c"), new("state", null)]));
    }
}
