namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>What a vendor lends the lines of its bills and credit notes when they name no account or tax code.</summary>
public sealed class VendorDefaults
{
    public Guid Id { get; set; }
    public Guid? DefaultAccountId { get; set; }
    public Guid? DefaultTaxCodeId { get; set; }

    /// <summary>The company's vendor (null when it is not one); <paramref name="forUpdate"/> serialises writes to its approvers.</summary>
    public static Task<VendorDefaults?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid vendorId, bool forUpdate = false) =>
        conn.QuerySingleOrDefaultAsync<VendorDefaults>(
            "SELECT id, default_account_id, default_tax_code_id FROM vendors WHERE company_id = @companyId AND id = @vendorId" + (forUpdate ? " FOR UPDATE" : ""),
            new { companyId, vendorId }, tx);

    /// <summary>The vendor when an id is given; null for none (and for an unknown one, which callers report).</summary>
    public static async Task<VendorDefaults?> OfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? vendorId) =>
        vendorId is { } id ? await FindAsync(conn, tx, companyId, id) : null;
}
