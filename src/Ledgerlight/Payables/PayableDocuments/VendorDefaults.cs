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

    /// <summary>
    /// The bank account the vendor's default entity settings say payments to it go out from, when it fits a bill of this entity
    /// and currency (a bank account of another entity or currency could not pay it, so it is no default for it).
    /// </summary>
    public static Task<Guid?> SenderBankAccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? vendorId, Guid entityId,
        string currency) =>
        vendorId is not { } id ? Task.FromResult<Guid?>(null) : conn.ExecuteScalarAsync<Guid?>("""
            SELECT ba.id FROM vendors v
              JOIN bank_accounts ba ON ba.company_id = v.company_id AND ba.id = v.default_sender_bank_account_id
             WHERE v.company_id = @companyId AND v.id = @id AND ba.company_entity_id = @entityId AND trim(ba.currency) = @currency
            """, new { companyId, id, entityId, currency }, tx);

    /// <summary>The vendor when an id is given; null for none (and for an unknown one, which callers report).</summary>
    public static async Task<VendorDefaults?> OfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? vendorId) =>
        vendorId is { } id ? await FindAsync(conn, tx, companyId, id) : null;
}
