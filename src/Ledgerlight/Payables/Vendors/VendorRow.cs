using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Organization.Users;

namespace Ledgerlight.Payables.Vendors;

public sealed class VendorRow : CustomPropertiesRow
{
    public string Type { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string? VatId { get; set; }
    public string? BusinessRegistrationNumber { get; set; }
    public string? Identifier { get; set; }
    public string? AvatarUrl { get; set; }
    public string? Email { get; set; }
    public string? PhoneCountryCode { get; set; }
    public string? PhoneLocalNumber { get; set; }
    public string? Website { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? Address { get; set; }
    public string? Zipcode { get; set; }
    public string? BankName { get; set; }
    public string? BankCountry { get; set; }
    public string? BankCity { get; set; }
    public string? BankAddress { get; set; }
    public string? BankZipcode { get; set; }
    public string? BankAccountNumber { get; set; }
    public string? BankAccountBic { get; set; }
    public string? DomesticBankAccountNumber { get; set; }
    public string? DomesticBankAccountCode { get; set; }
    public string? SwedishBankgiroNumber { get; set; }
    public string? SwedishPlusgiroNumber { get; set; }
    public string? BankRecipientName { get; set; }
    public string Currency { get; set; } = "";
    public long? ContractValue { get; set; }
    public Guid? CreatedBy { get; set; }
    public string Status { get; set; } = "";
    public int Version { get; set; }
    public long LastMtdSpend { get; set; }
    public Guid[] CompanyEntityIds { get; set; } = [];
    public Guid? DefaultConfigId { get; set; }
    public Guid? DefaultCompanyEntityId { get; set; }
    public Guid? DefaultAccountId { get; set; }
    public Guid? DefaultTaxCodeId { get; set; }
    public Guid? DefaultCostCenterId { get; set; }
    public Guid? DefaultSenderBankAccountId { get; set; }
    public DateTime? DefaultConfigCreatedAt { get; set; }
    public DateTime? DefaultConfigUpdatedAt { get; set; }
    /// <summary>The company's base currency, joined in for groupCurrency.</summary>
    public string GroupCurrency { get; set; } = "";
    /// <summary>The vendor's bill approvers as a JSON array (vendor_approvers, joined in).</summary>
    public string? ApproversJson { get; set; }

    public const string Columns =
        "v.company_id, v.id, v.type, v.name, v.description, v.vat_id, v.business_registration_number, v.identifier, v.avatar_url, " +
        "v.email, v.phone_country_code, v.phone_local_number, v.website, v.country, v.city, v.address, v.zipcode, v.bank_name, " +
        "v.bank_country, v.bank_city, v.bank_address, v.bank_zipcode, v.bank_account_number, v.bank_account_bic, " +
        "v.domestic_bank_account_number, v.domestic_bank_account_code, v.swedish_bankgiro_number, v.swedish_plusgiro_number, " +
        "v.bank_recipient_name, v.currency, v.contract_value, v.created_by, v.status, v.version, " + VendorSpend.ReadSql + " AS last_mtd_spend, " +
        "v.company_entity_ids, v.default_config_id, v.default_company_entity_id, v.default_account_id, v.default_tax_code_id, " +
        "v.default_cost_center_id, v.default_sender_bank_account_id, v.default_config_created_at, v.default_config_updated_at, " +
        "v.created_at, v.updated_at, c.base_currency AS group_currency, v.custom_properties::text AS custom_properties_json, " +
        "(SELECT json_agg(json_build_object('id', a.id, 'userId', a.user_id, 'vendorId', a.vendor_id, 'priority', a.priority, " +
        "'createdAt', a.created_at) ORDER BY a.priority, a.created_at) FROM vendor_approvers a " +
        "WHERE a.company_id = v.company_id AND a.vendor_id = v.id)::text AS approvers_json";

    public const string From = "vendors v JOIN companies c ON c.id = v.company_id";

    public VendorModel ToModel(IReadOnlyList<object>? customProperties = null) => new(
        Type, Id, CompanyId, CompanyEntityIds,
        DefaultConfigId is { } configId
            ? new DefaultVendorEntityModel(configId, Id, DefaultCompanyEntityId, DefaultAccountId, DefaultTaxCodeId,
                DefaultCostCenterId, DefaultSenderBankAccountId, DefaultConfigCreatedAt!.Value, DefaultConfigUpdatedAt!.Value)
            : null,
        VatId, BusinessRegistrationNumber, Identifier, Name, Description, AvatarUrl, Email,
        PhoneCountryCode is null && PhoneLocalNumber is null ? null : new PhoneNumberModel(PhoneCountryCode, PhoneLocalNumber),
        Website, Country, City, Address, Zipcode, BankName, BankCountry, BankCity, BankAddress, BankZipcode, BankAccountNumber,
        BankAccountBic, DomesticBankAccountNumber, DomesticBankAccountCode, SwedishBankgiroNumber, SwedishPlusgiroNumber,
        BankRecipientName, CreatedAt, Approvers(), [], Currency.Trim(), ContractValue, CreatedBy, Status, Version, UpdatedAt,
        customProperties ?? [], LastMtdSpend, GroupCurrency.Trim());

    IReadOnlyList<object> Approvers() => ApproversJson is null
        ? []
        : System.Text.Json.JsonSerializer.Deserialize<List<VendorApproverModel>>(ApproversJson, Ledgerlight.Platform.Json.Options)!.Cast<object>().ToList();
}

/// <summary>ExternalVendorApproverV1Model.</summary>
public sealed record VendorApproverModel(Guid Id, Guid UserId, Guid VendorId, int Priority, DateTime CreatedAt);
