using Ledgerlight.Organization.Entities;

namespace Ledgerlight.Receivables.Customers;

public sealed record ExternalSourceModel(string Name, string ExternalId);

/// <summary>ExternalCustomerV1Model.</summary>
public sealed record CustomerModel(
    Guid Id, string Name, string? Email, AddressModel? Address, AddressModel? BillingAddress, AddressModel? ShippingAddress, string Status,
    string? Description, string? VatNumber, string? BusinessRegistrationNumber, string? EasCode, string? EinvoiceAddress,
    string? EinvoiceNetwork, string? Type, string? LogoUrl, string? Domain, ExternalSourceModel? ExternalSource, DateTime CreatedAt,
    DateTime UpdatedAt, IReadOnlyList<object>? CustomProperties, IReadOnlyList<string> RecipientEmails, IReadOnlyList<string> CcEmails);

/// <summary>ExternalCreateCustomerRequestV1Model and ExternalUpdateCustomerRequestV1Model (PATCH reads presence from the JSON).</summary>
public sealed record CustomerRequest(
    string? Name, string? Email, AddressModel? Address, AddressModel? BillingAddress, AddressModel? ShippingAddress, string? Domain,
    string? Description, string? VatNumber, string? BusinessRegistrationNumber, string? EasCode, string? EinvoiceAddress,
    string? EinvoiceNetwork, string? Type, string? LogoUrl, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties,
    IReadOnlyList<string?>? RecipientEmails, IReadOnlyList<string?>? CcEmails) : IReferenceRequest
{
    static readonly string[] Networks = ["MYDATA", "NEMHANDEL", "PEPPOL", "PORTUGUESE_TAX_REPORTING", "SDI", "VERIFACTU"];
    static readonly string[] Types = ["BUSINESS", "CONSUMER", "GOVERNMENT"];
    public const int MaxEmails = 50;

    public void Validate(Validation v, bool isCreate)
    {
        if (isCreate) v.Required(Name, "name");
        else if (Name is not null && string.IsNullOrWhiteSpace(Name)) v.Add("'name' must not be empty", "name");
        v.MaxLength(Name, 255, "name");
        v.Email(Email, "email");
        foreach (var (value, field) in new[] { (Domain, "domain"), (Description, "description"), (VatNumber, "vatNumber"),
                     (BusinessRegistrationNumber, "businessRegistrationNumber"), (EasCode, "easCode"), (EinvoiceAddress, "einvoiceAddress"), (LogoUrl, "logoUrl") })
            v.MaxLength(value, 1000, field);
        if (EinvoiceNetwork is not null && !Networks.Contains(EinvoiceNetwork)) v.Add($"Unknown e-invoice network '{EinvoiceNetwork}'", "einvoiceNetwork");
        if (Type is not null && !Types.Contains(Type)) v.Add("'type' must be BUSINESS, CONSUMER or GOVERNMENT", "type");
        foreach (var (address, field) in new[] { (Address, "address"), (BillingAddress, "billingAddress"), (ShippingAddress, "shippingAddress") })
            if (address?.Country is { } country) v.Country(country, field, "country");
        foreach (var (emails, field) in new[] { (RecipientEmails, "recipientEmails"), (CcEmails, "ccEmails") })
        {
            if (emails is null) continue;
            if (emails.Count > MaxEmails) v.Add($"At most {MaxEmails} addresses", field);
            for (var i = 0; i < emails.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(emails[i])) v.Add("Email address must not be empty", field, i);
                else v.Email(emails[i], field, i);
            }
        }
        CustomPropertyRequests.CheckShape(v, CustomProperties, "customProperties");
    }
}

public sealed class CustomerRow : CustomPropertiesRow
{
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Address { get; set; }
    public string? BillingAddress { get; set; }
    public string? ShippingAddress { get; set; }
    public string Status { get; set; } = "";
    public string? Description { get; set; }
    public string? VatNumber { get; set; }
    public string? BusinessRegistrationNumber { get; set; }
    public string? EasCode { get; set; }
    public string? EinvoiceAddress { get; set; }
    public string? EinvoiceNetwork { get; set; }
    public string? Type { get; set; }
    public string? LogoUrl { get; set; }
    public string? Domain { get; set; }
    public string[] RecipientEmails { get; set; } = [];
    public string[] CcEmails { get; set; } = [];

    public const string Columns =
        "company_id, id, name, email, custom_properties::text AS custom_properties_json, address::text AS address, billing_address::text AS billing_address, shipping_address::text AS shipping_address, " +
        "status, description, vat_number, business_registration_number, eas_code, einvoice_address, einvoice_network, type, logo_url, domain, " +
        "recipient_emails, cc_emails, created_at, updated_at";

    static AddressModel? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<AddressModel>(json, Json.Options);

    public CustomerModel ToModel(IReadOnlyList<CustomPropertyModel>? customProperties = null) => new(Id, Name, Email, Parse(Address), Parse(BillingAddress), Parse(ShippingAddress), Status, Description,
        VatNumber, BusinessRegistrationNumber, EasCode, EinvoiceAddress, EinvoiceNetwork, Type, LogoUrl, Domain, null, CreatedAt, UpdatedAt,
        customProperties ?? [], RecipientEmails, CcEmails);
}
