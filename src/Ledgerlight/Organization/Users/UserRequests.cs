namespace Ledgerlight.Organization.Users;

/// <summary>ExternalCreateUserRequestV1Model.</summary>
public sealed record CreateUserRequest(
    string? FirstName, string? LastName, string? Email, Guid? CompanyEntityId, PhoneNumberModel? PhoneNumber, string? AvatarUrl,
    string? Country, string? City, string? Address, string? Zipcode, IReadOnlyList<string>? Roles, bool? SendWelcomeEmail);

/// <summary>ExternalUpdateUserRequestV1Model: present fields change, an explicit null clears (never the e-mail).</summary>
public sealed record UpdateUserRequest(
    string? FirstName, string? LastName, string? Email, Guid? CompanyEntityId, PhoneNumberModel? PhoneNumber, string? AvatarUrl,
    string? Country, string? City, string? Address, string? Zipcode);

/// <summary>ExternalUpdateUserStatusRequestV1Model.</summary>
public sealed record UpdateUserStatusRequest(string? Status);

/// <summary>What a user's fields may hold; pure, so every rule is unit-tested without a database.</summary>
public static class UserRules
{
    public const string Active = "ACTIVE";
    public const string Deactivated = "DEACTIVATED";
    public static readonly IReadOnlyList<string> Statuses = [Active, Deactivated];

    public const int MaxText = 255;
    public const int MaxUrl = 2048;

    /// <summary>The roles Light's user models list (not the API-key roles of <see cref="Platform.Auth.Roles"/>).</summary>
    public static readonly IReadOnlyList<string> Roles =
    [
        "SUPERUSER", "REIMBURSEMENT", "CARDHOLDER", "CONTROLLER", "COMPANY_ADMIN", "VENDOR_MANAGEMENT", "INVOICE_APPROVER",
        "AP_PREPARATION", "AP_CLERK", "AR_CLERK", "PURCHASE_REQUESTER", "REPORT_VIEWER", "AUDITOR",
    ];

    public static Validation Check(CreateUserRequest r)
    {
        var v = new Validation();
        v.Required(r.Email, "email");
        CheckFields(v, r.FirstName, r.LastName, r.Email, r.PhoneNumber, r.AvatarUrl, r.Country, r.City, r.Address, r.Zipcode);
        for (var i = 0; i < (r.Roles?.Count ?? 0); i++)
            if (!Roles.Contains(r.Roles![i])) v.Add($"'roles.{i}' must be one of {string.Join(", ", Roles)}", "roles", i);
        return v;
    }

    public static Validation Check(UpdateUserRequest r, JsonElement body)
    {
        var v = new Validation();
        v.RefuseClearing(body, ["email"]);
        if (body.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String) v.Required(r.Email, "email");
        CheckFields(v, r.FirstName, r.LastName, r.Email, r.PhoneNumber, r.AvatarUrl, r.Country, r.City, r.Address, r.Zipcode);
        return v;
    }

    public static string CheckStatus(UpdateUserStatusRequest r)
    {
        var v = new Validation();
        v.Required(r.Status, "status");
        if (r.Status is { Length: > 0 } s && !Statuses.Contains(s)) v.Add("'status' must be ACTIVE or DEACTIVATED", "status");
        v.ThrowIfAny();
        return r.Status!;
    }

    /// <summary>E-mail addresses compare case-insensitively and without surrounding blanks.</summary>
    public static string? NormalizeEmail(string? email) => email?.Trim();

    static void CheckFields(Validation v, string? firstName, string? lastName, string? email, PhoneNumberModel? phone, string? avatarUrl,
        string? country, string? city, string? address, string? zipcode)
    {
        v.MaxLength(firstName, MaxText, "firstName");
        v.MaxLength(lastName, MaxText, "lastName");
        v.MaxLength(email, MaxText, "email");
        v.Email(NormalizeEmail(email), "email");
        v.MaxLength(avatarUrl, MaxUrl, "avatarUrl");
        v.Country(country, "country");
        v.MaxLength(city, MaxText, "city");
        v.MaxLength(address, MaxText, "address");
        v.MaxLength(zipcode, 32, "zipcode");
        v.Country(phone?.CountryCode, "phoneNumber", "countryCode");
        v.MaxLength(phone?.LocalNumber, 32, "phoneNumber", "localNumber");
    }
}
