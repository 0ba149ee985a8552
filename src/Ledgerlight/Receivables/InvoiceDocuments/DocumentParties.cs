using Ledgerlight.Documents.Pdf;
using Ledgerlight.Organization.Entities;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>
/// What invoices and credit notes print about the parties: the issuing entity (company name, entity address, VAT
/// number), the customer (billing address, else address) and the entity's bank account for payment details. Every
/// query is scoped by company.
/// </summary>
public static class DocumentParties
{
    sealed class EntityRow
    {
        public string CompanyName { get; set; } = "";
        public string? InvoiceEmail { get; set; }
        public string? VatNumber { get; set; }
        public string? Street { get; set; }
        public string? Street2 { get; set; }
        public string? Zipcode { get; set; }
        public string? City { get; set; }
        public string? State { get; set; }
        public string? Country { get; set; }
    }

    sealed class CustomerRow
    {
        public string Name { get; set; } = "";
        public string? VatNumber { get; set; }
        public string? Address { get; set; }
    }

    sealed class BankRow
    {
        public string Name { get; set; } = "";
        public string BankName { get; set; } = "";
        public string? Iban { get; set; }
        public string? Bic { get; set; }
        public string? DomesticBankAccountNumber { get; set; }
        public string? DomesticBankCode { get; set; }
    }

    /// <summary>Street, street 2, "zip city", state, country: the non-empty ones, in that order.</summary>
    public static IReadOnlyList<string> AddressLines(AddressModel? a)
    {
        if (a is null) return [];
        var lines = new List<string?> { a.Street, a.Street2, string.Join(" ", new[] { a.Zipcode, a.City }.Where(s => !string.IsNullOrWhiteSpace(s))), a.State, a.Country };
        return lines.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList();
    }

    public static async Task<DocumentParty> SellerAsync(NpgsqlConnection conn, Guid companyId, Guid entityId)
    {
        var e = await conn.QuerySingleAsync<EntityRow>("""
            SELECT co.name AS company_name, co.invoice_email, e.vat_number, e.street, e.street2, e.zipcode, e.city, e.state, e.country
              FROM company_entities e JOIN companies co ON co.id = e.company_id
             WHERE e.company_id = @companyId AND e.id = @entityId
            """, new { companyId, entityId });
        return new DocumentParty(e.CompanyName, AddressLines(new AddressModel(e.Country, e.City, e.State, e.Zipcode, e.Street, e.Street2)),
            e.VatNumber, e.InvoiceEmail);
    }

    public static async Task<DocumentParty?> BuyerAsync(NpgsqlConnection conn, Guid companyId, Guid? customerId)
    {
        if (customerId is null) return null;
        var c = await conn.QuerySingleOrDefaultAsync<CustomerRow>("""
            SELECT name, vat_number, COALESCE(billing_address, address)::text AS address
              FROM customers WHERE company_id = @companyId AND id = @customerId
            """, new { companyId, customerId });
        if (c is null) return null;
        var address = c.Address is null ? null : JsonSerializer.Deserialize<AddressModel>(c.Address, Json.Options);
        return new DocumentParty(c.Name, AddressLines(address), c.VatNumber);
    }

    /// <summary>The entity's bank account to print: one in the document's currency first, then the oldest.</summary>
    public static async Task<BankDetails?> BankAsync(NpgsqlConnection conn, Guid companyId, Guid entityId, string currency)
    {
        var b = await conn.QueryFirstOrDefaultAsync<BankRow>("""
            SELECT name, bank_name, iban, bic, domestic_bank_account_number, domestic_bank_code
              FROM bank_accounts
             WHERE company_id = @companyId AND company_entity_id = @entityId
               AND (iban IS NOT NULL OR domestic_bank_account_number IS NOT NULL)
             ORDER BY (trim(currency) = @currency) DESC, created_at, id
             LIMIT 1
            """, new { companyId, entityId, currency = currency.Trim() });
        return b is null ? null : new BankDetails(b.BankName, b.Name, b.Iban, b.Bic, b.DomesticBankAccountNumber, b.DomesticBankCode);
    }
}
