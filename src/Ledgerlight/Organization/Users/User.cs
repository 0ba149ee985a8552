namespace Ledgerlight.Organization.Users;

public sealed record PhoneNumberModel(string? CountryCode, string? LocalNumber);

public sealed record UserGroupModel(Guid Id, string Name, string? Description, Guid CompanyId, long MemberCount, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalUserV1Model. roles, groups and managerIds only when the caller asks for them.</summary>
public sealed record UserModel(
    Guid Id, Guid CompanyId, Guid? CompanyEntityId, string Email, string? FirstName, string? LastName,
    PhoneNumberModel? PhoneNumber, string? AvatarUrl, string? Country, string? City, string? Zipcode, string? Address,
    string Status, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<string>? Roles, IReadOnlyList<UserGroupModel>? Groups, IReadOnlyList<Guid>? ManagerIds);

public sealed class UserRow : TimestampedRow
{
    public Guid? CompanyEntityId { get; set; }
    public string Email { get; set; } = "";
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? PhoneCountryCode { get; set; }
    public string? PhoneLocalNumber { get; set; }
    public string? AvatarUrl { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? Zipcode { get; set; }
    public string? Address { get; set; }
    public string Status { get; set; } = "";
    public string[] Roles { get; set; } = [];

    public const string Columns = "company_id, id, company_entity_id, email, first_name, last_name, phone_country_code, " +
                                  "phone_local_number, avatar_url, country, city, zipcode, address, status, roles, created_at, updated_at";

    public UserModel ToModel(bool includeRoles, IReadOnlyList<UserGroupModel>? groups, IReadOnlyList<Guid>? managers) => new(
        Id, CompanyId, CompanyEntityId, Email, FirstName, LastName,
        PhoneCountryCode is null && PhoneLocalNumber is null ? null : new PhoneNumberModel(PhoneCountryCode, PhoneLocalNumber),
        AvatarUrl, Country, City, Zipcode, Address, Status, CreatedAt, UpdatedAt,
        includeRoles ? Roles : null, groups, managers);
}
