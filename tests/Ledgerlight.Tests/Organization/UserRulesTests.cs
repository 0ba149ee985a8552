using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledgerlight.Organization.Users;
using Ledgerlight.Organization.Users.Reimbursements;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Organization;

/// <summary>The pure rules of user management: no server, no database.</summary>
public class UserRulesTests
{
    static CreateUserRequest Create(string? email = "ada@example.com", string? firstName = "Ada", string? country = null,
        PhoneNumberModel? phone = null, IReadOnlyList<string>? roles = null) =>
        new(firstName, "Lovelace", email, null, phone, null, country, null, null, null, roles, null);

    static List<string> Paths(Validation v)
    {
        try { v.ThrowIfAny(); return []; }
        catch (ApiException e) { return e.Errors.Select(x => string.Join('.', x.Path ?? [])).ToList(); }
    }

    [Fact]
    public void A_valid_user_passes() => Assert.False(UserRules.Check(Create(roles: ["CARDHOLDER", "AP_CLERK"])).HasErrors);

    [Fact]
    public void Each_bad_field_is_named_by_its_path()
    {
        Assert.Equal(["email"], Paths(UserRules.Check(Create(email: null))));
        Assert.Equal(["email"], Paths(UserRules.Check(Create(email: "not-an-address"))));
        Assert.Equal(["firstName"], Paths(UserRules.Check(Create(firstName: new string('a', 256)))));
        Assert.Equal(["country"], Paths(UserRules.Check(Create(country: "XX"))));
        Assert.Equal(["phoneNumber.countryCode"], Paths(UserRules.Check(Create(phone: new PhoneNumberModel("ZZ", "123")))));
        Assert.Equal(["roles.1"], Paths(UserRules.Check(Create(roles: ["CARDHOLDER", "ADMIN"]))));
    }

    [Fact]
    public void A_patch_may_not_clear_the_email_but_may_clear_the_rest()
    {
        var clearEmail = JsonDocument.Parse("""{"email":null}""").RootElement;
        Assert.Equal(["email"], Paths(UserRules.Check(new UpdateUserRequest(null, null, null, null, null, null, null, null, null, null), clearEmail)));
        var clearName = JsonDocument.Parse("""{"lastName":null,"phoneNumber":null}""").RootElement;
        Assert.False(UserRules.Check(new UpdateUserRequest(null, null, null, null, null, null, null, null, null, null), clearName).HasErrors);
    }

    [Fact]
    public void Status_is_active_or_deactivated()
    {
        Assert.Equal("DEACTIVATED", UserRules.CheckStatus(new UpdateUserStatusRequest("DEACTIVATED")));
        Assert.Equal(400, Assert.Throws<ApiException>(() => UserRules.CheckStatus(new UpdateUserStatusRequest("SUSPENDED"))).Status);
        Assert.Equal(400, Assert.Throws<ApiException>(() => UserRules.CheckStatus(new UpdateUserStatusRequest(null))).Status);
    }

    [Fact]
    public void Reimbursement_config_needs_an_iso_currency_and_bounded_bank_fields()
    {
        static UpsertReimbursementConfigRequest R(string? currency, string? country = null, string? bic = null) =>
            new(currency, country, null, null, null, null, null, null, bic, null, null);
        ReimbursementConfigRules.Check(R("EUR", "DE", "DEUTDEFF"));
        Assert.Equal("currency", Assert.Throws<ApiException>(() => ReimbursementConfigRules.Check(R(null))).Errors[0].Path![0]);
        Assert.Equal("currency", Assert.Throws<ApiException>(() => ReimbursementConfigRules.Check(R("EURO"))).Errors[0].Path![0]);
        Assert.Equal("bankCountry", Assert.Throws<ApiException>(() => ReimbursementConfigRules.Check(R("EUR", "XX"))).Errors[0].Path![0]);
        Assert.Equal("bankAccountBic", Assert.Throws<ApiException>(() => ReimbursementConfigRules.Check(R("EUR", null, "DEUTDEFF12345"))).Errors[0].Path![0]);
    }

    [Fact]
    public void Tokens_are_256_random_bits_in_base64url_and_only_their_sha256_is_kept()
    {
        var a = PasswordSetupToken.Generate();
        var b = PasswordSetupToken.Generate();
        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length);
        Assert.True(PasswordSetupToken.IsWellFormed(a));
        Assert.False(PasswordSetupToken.IsWellFormed(a + "="));
        Assert.False(PasswordSetupToken.IsWellFormed("short"));
        Assert.False(PasswordSetupToken.IsWellFormed(null));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(a)), PasswordSetupToken.Hash(a));
    }

    [Fact]
    public void A_token_works_once_and_for_72_hours()
    {
        var issued = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var expires = PasswordSetupToken.ExpiresAt(issued);
        Assert.Equal(issued.AddHours(72), expires);
        Assert.True(PasswordSetupToken.IsUsable(expires, null, expires.AddTicks(-1)));
        Assert.False(PasswordSetupToken.IsUsable(expires, null, expires));
        Assert.False(PasswordSetupToken.IsUsable(expires, issued.AddMinutes(5), issued.AddMinutes(6)));
    }

    [Fact]
    public void Passwords_are_12_to_200_characters_and_confirmed()
    {
        Assert.Null(PasswordRules.Problem("correct horse battery", "correct horse battery"));
        Assert.NotNull(PasswordRules.Problem("", ""));
        Assert.NotNull(PasswordRules.Problem("elevenchars", "elevenchars"));
        Assert.Null(PasswordRules.Problem(new string('x', 200), new string('x', 200)));
        Assert.NotNull(PasswordRules.Problem(new string('x', 201), new string('x', 201)));
        Assert.NotNull(PasswordRules.Problem("correct horse battery", "correct horse battery!"));
    }

    [Fact]
    public void The_form_encodes_what_it_echoes()
    {
        var html = SetPasswordHtml.Form("\"><script>alert(1)</script>", "<b>bad</b>");
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;b&gt;bad&lt;/b&gt;", html);
        Assert.DoesNotContain("http", SetPasswordHtml.Form("t", null)); // no external assets
    }
}
