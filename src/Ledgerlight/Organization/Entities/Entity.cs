namespace Ledgerlight.Organization.Entities;

public sealed record AddressModel(string? Country, string? City, string? State, string? Zipcode, string? Street, string? Street2);

/// <summary>ExternalCompanyEntityV1Model: a legal entity of the company; documents are booked against one.</summary>
public sealed record EntityModel(
    Guid Id, Guid CompanyId, string Code, Guid? ParentCompanyEntityId, string LocalCurrency, string DisplayName,
    string? VatNumber, string Name, AddressModel? Address, string Status, long SeedInvoiceNumber,
    DateTime CreatedAt, DateTime UpdatedAt);

public sealed class EntityRow : TimestampedRow
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? VatNumber { get; set; }
    public string LocalCurrency { get; set; } = "";
    public Guid? ParentCompanyEntityId { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Zipcode { get; set; }
    public string? Street { get; set; }
    public string? Street2 { get; set; }
    public string Status { get; set; } = "";
    public int SortPosition { get; set; }
    public long SeedInvoiceNumber { get; set; }

    public EntityModel ToModel() => new(Id, CompanyId, Code, ParentCompanyEntityId, LocalCurrency.Trim(), DisplayName, VatNumber,
        Name, (Country ?? City ?? State ?? Zipcode ?? Street ?? Street2) is null ? null
            : new AddressModel(Country, City, State, Zipcode, Street, Street2),
        Status, SeedInvoiceNumber, CreatedAt, UpdatedAt);

    public const string Columns = "company_id, id, code, name, display_name, vat_number, local_currency, parent_company_entity_id, " +
                                  "country, city, state, zipcode, street, street2, status, sort_position, seed_invoice_number, created_at, updated_at";
}
