namespace Ledgerlight.Organization.Companies;

/// <summary>ExternalCompanyV1Model.</summary>
public sealed record CompanyModel(
    Guid Id, string Name, string InvoiceEmail, string? ReceiptEmail, string? ContractEmail, string? LogoUrl,
    string BaseCurrency, DateTime CreatedAt, DateTime UpdatedAt);

public sealed class CompanyRow
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string BaseCurrency { get; set; } = "";
    public string InvoiceEmail { get; set; } = "";
    public string? ReceiptEmail { get; set; }
    public string? ContractEmail { get; set; }
    public string? LogoUrl { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public CompanyModel ToModel() =>
        new(Id, Name, InvoiceEmail, ReceiptEmail, ContractEmail, LogoUrl, BaseCurrency.Trim(), CreatedAt, UpdatedAt);
}

/// <summary>What a new company starts with besides its name and currency.</summary>
public sealed record CompanySetup(string Name, string Currency, string? AdminEmail = null, string? AdminFirstName = null,
    string? AdminLastName = null);

public sealed record ProvisionedCompany(Guid CompanyId, Guid EntityId, Guid? AdminUserId);
