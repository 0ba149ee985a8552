using Ledgerlight.Organization.Users;

namespace Ledgerlight.Payables.Vendors;

public sealed record DefaultVendorEntityModel(
    Guid Id, Guid VendorId, Guid? CompanyEntityId, Guid? AccountId, Guid? TaxCodeId, Guid? CostCenterId,
    Guid? SenderBankAccountId, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalVendorV1Model, every field of it.</summary>
public sealed record VendorModel(
    string Type, Guid VendorId, Guid CompanyId, IReadOnlyList<Guid> CompanyEntityIds, DefaultVendorEntityModel? DefaultCompanyEntity,
    string? VatId, string? BusinessRegistrationNumber, string? Identifier, string Name, string? Description, string? AvatarUrl,
    string? Email, PhoneNumberModel? PhoneNumber, string? Website, string? Country, string? City, string? Address, string? Zipcode,
    string? BankName, string? BankCountry, string? BankCity, string? BankAddress, string? BankZipcode, string? BankAccountNumber,
    string? BankAccountBic, string? DomesticBankAccountNumber, string? DomesticBankAccountCode, string? SwedishBankgiroNumber,
    string? SwedishPlusgiroNumber, string? BankRecipientName, DateTime VendorCreatedAt, IReadOnlyList<object> Approvers,
    IReadOnlyList<object> Notes, string Currency, long? ContractValue, Guid? CreatedBy, string Status, int Version,
    DateTime UpdatedAt, IReadOnlyList<object>? CustomProperties, long? LastMtdSpendInGroupCurrency, string GroupCurrency);

public sealed record DefaultVendorEntityRequest(Guid? CompanyEntityId, Guid? AccountId, Guid? TaxCodeId, Guid? CostCenterId, Guid? SenderBankAccountId);

/// <summary>ExternalCreateVendorRequestV1Model / ExternalUpdateVendorRequestV1Model (update has no currency).</summary>
public sealed record VendorRequest(
    string? Name, DefaultVendorEntityRequest? DefaultCompanyEntity, IReadOnlyList<Guid>? CompanyEntityIds,
    string? VatId, string? BusinessRegistrationNumber, string? Identifier, string? Description, string? AvatarUrl,
    string? Email, PhoneNumberModel? PhoneNumber, string? Website, string? Country, string? City, string? Address,
    string? Zipcode, string? BankName, string? BankCountry, string? BankCity, string? BankAddress, string? BankZipcode,
    string? BankAccountNumber, string? BankAccountBic, string? DomesticBankAccountNumber, string? DomesticBankAccountCode,
    string? SwedishBankgiroNumber, string? SwedishPlusgiroNumber, string? BankRecipientName, string? Currency,
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties)
{
    const int MaxText = 1000;

    /// <summary>Shape rules that need no database: required name, lengths, codes, formats.</summary>
    public void Validate(Validation v, bool isCreate)
    {
        v.Required(Name, "name");
        v.MaxLength(Name, 255, "name");
        foreach (var (value, field) in TextFields()) v.MaxLength(value, MaxText, field);
        v.Email(Email, "email");
        v.Country(Country, "country");
        v.Country(BankCountry, "bankCountry");
        if (PhoneNumber?.CountryCode is { } cc) v.Country(cc, "phoneNumber", "countryCode");
        v.MaxLength(PhoneNumber?.LocalNumber, 50, "phoneNumber", "localNumber");
        if (isCreate) v.Currency(Currency, "currency");
        if (CompanyEntityIds is { Count: > 100 }) v.Add("At most 100 company entities", "companyEntityIds");
        if (DefaultCompanyEntity is not null && DefaultCompanyEntity.CompanyEntityId is null)
            v.Required(null, "defaultCompanyEntity", "companyEntityId");
        CustomPropertyRequests.CheckShape(v, CustomProperties, "customProperties");
    }

    IEnumerable<(string? Value, string Field)> TextFields() =>
    [
        (VatId, "vatId"), (BusinessRegistrationNumber, "businessRegistrationNumber"), (Identifier, "identifier"),
        (Description, "description"), (AvatarUrl, "avatarUrl"), (Email, "email"), (Website, "website"), (City, "city"),
        (Address, "address"), (Zipcode, "zipcode"), (BankName, "bankName"), (BankCity, "bankCity"), (BankAddress, "bankAddress"),
        (BankZipcode, "bankZipcode"), (BankAccountNumber, "bankAccountNumber"), (BankAccountBic, "bankAccountBic"),
        (DomesticBankAccountNumber, "domesticBankAccountNumber"), (DomesticBankAccountCode, "domesticBankAccountCode"),
        (SwedishBankgiroNumber, "swedishBankgiroNumber"), (SwedishPlusgiroNumber, "swedishPlusgiroNumber"),
        (BankRecipientName, "bankRecipientName"),
    ];
}
