namespace Ledgerlight.Organization.Users.Reimbursements;

/// <summary>ExternalUpsertUserReimbursementConfigRequestV1Model: a PUT replaces the whole configuration.</summary>
public sealed record UpsertReimbursementConfigRequest(
    string? Currency, string? BankCountry, Guid? DefaultCostCenterId, string? BankName, string? BankCity, string? BankAddress,
    string? BankZipcode, string? BankAccountNumber, string? BankAccountBic, string? DomesticBankAccountNumber, string? DomesticBankAccountCode);

/// <summary>ExternalUserReimbursementConfigV1Model (failureContext: only once payouts exist and fail).</summary>
public sealed record ReimbursementConfigModel(
    Guid Id, Guid UserId, Guid CompanyId, string Currency, Guid? DefaultCostCenterId, string? BankCountry, string? BankName,
    string? BankCity, string? BankAddress, string? BankZipcode, string? BankAccountNumber, string? BankAccountBic,
    string? DomesticBankAccountNumber, string? DomesticBankAccountCode, string Status, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalReimbursementV1Model.</summary>
public sealed record ReimbursementModel(Guid Id, Guid CompanyId, Guid UserId, Guid[] ExpenseIds, string Status, DateTime CreatedAt);

public static class ReimbursementConfigRules
{
    public const string Active = "ACTIVE";

    public static void Check(UpsertReimbursementConfigRequest r)
    {
        var v = new Validation();
        v.Required(r.Currency, "currency");
        v.Currency(r.Currency, "currency");
        v.Country(r.BankCountry, "bankCountry");
        v.MaxLength(r.BankName, 255, "bankName");
        v.MaxLength(r.BankCity, 255, "bankCity");
        v.MaxLength(r.BankAddress, 255, "bankAddress");
        v.MaxLength(r.BankZipcode, 32, "bankZipcode");
        v.MaxLength(r.BankAccountNumber, 64, "bankAccountNumber");
        v.MaxLength(r.BankAccountBic, 11, "bankAccountBic");
        v.MaxLength(r.DomesticBankAccountNumber, 64, "domesticBankAccountNumber");
        v.MaxLength(r.DomesticBankAccountCode, 64, "domesticBankAccountCode");
        v.ThrowIfAny();
    }
}
