namespace Ledgerlight.Receivables.Products;

public sealed class ProductStore(NpgsqlDataSource db, TimeProvider clock) : ReferenceStore<ProductRow, ProductModel, ProductRequest>(db, Table)
{
    /// <summary>Product states; passed to SQL as parameters.</summary>
    public const string Active = "ACTIVE";
    public const string Archived = "ARCHIVED";

    static readonly ReferenceTable<ProductRow> Table = new("products", ProductRow.Columns, "Product", "state");

    public static Task<ProductRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool forUpdate = false) =>
        Table.FindAsync(conn, tx, companyId, id, forUpdate);

    protected override ProductModel ToModel(ProductRow row, IReadOnlyList<CustomPropertyModel> properties) => row.ToModel(properties);

    public override async Task<ProductRow> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, ProductRequest r)
    {
        await CheckReferencesAsync(conn, companyId, r);
        var id = Ids.New();
        var now = clock.GetUtcNow().UtcDateTime;
        await conn.ExecuteAsync("""
            INSERT INTO products (company_id, id, name, pricing_type, billing_recurrence, pricings, state, default_tax_id, default_avatax_code,
                                  default_ledger_account_id, custom_properties, created_at, updated_at)
            VALUES (@companyId, @id, @name, @pricingType, @recurrence, @pricings::jsonb, @state, @DefaultTaxId, @DefaultAvataxCode,
                    @DefaultLedgerAccountId, @customProperties::jsonb, @now, @now)
            """, new { companyId, id, name = r.Name!.Trim(), pricingType = r.PricingType ?? "FIXED", recurrence = r.BillingRecurrence ?? "ONE_TIME",
            pricings = r.PricingsJson(), r.DefaultTaxId, r.DefaultAvataxCode, r.DefaultLedgerAccountId,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties), now, state = Active }, tx);
        return (await FindAsync(conn, tx, companyId, id))!;
    }

    /// <summary>PATCH: present fields change (null clears the optional ones; pricings replace the whole list), absent ones stay.</summary>
    public override async Task<ProductRow?> PatchAsync(Guid companyId, Guid id, ProductRequest r, JsonElement body)
    {
        await using var conn = await Db.OpenConnectionAsync();
        await CheckReferencesAsync(conn, companyId, r);
        var patch = new PatchSet(body, new { companyId, id, now = clock.GetUtcNow().UtcDateTime }).Raw("updated_at = @now")
            .Columns(r, nameof(r.DefaultTaxId), nameof(r.DefaultAvataxCode), nameof(r.DefaultLedgerAccountId))
            .Set("pricings", "pricings", r.PricingsJson(), "jsonb")
            .CustomProperties(r.CustomProperties);
        // The name, pricing type and recurrence cannot be cleared: a null leaves them as they are.
        if (r.Name is not null) patch.Always("name", "name", r.Name.Trim());
        if (r.PricingType is not null) patch.Columns(r, nameof(r.PricingType));
        if (r.BillingRecurrence is not null) patch.Columns(r, nameof(r.BillingRecurrence));
        var changed = await conn.ExecuteAsync($"UPDATE products SET {patch.Clause} WHERE company_id = @companyId AND id = @id", patch.Parameters);
        return changed == 0 ? null : await FindAsync(conn, null, companyId, id);
    }

    public Task<ProductRow?> ArchiveAsync(Guid companyId, Guid id) =>
        Table.SetStateAsync(Db, clock, companyId, id, Archived, row => row.State);

    static async Task CheckReferencesAsync(NpgsqlConnection conn, Guid companyId, ProductRequest r)
    {
        var v = new Validation();
        await CustomPropertyRequests.ValidateAsync(conn, null, companyId, "PRODUCT", r.CustomProperties, v, "customProperties");
        if (r.DefaultTaxId is { } taxId && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM tax_codes WHERE company_id = @companyId AND id = @taxId", new { companyId, taxId }) == 0)
            v.Add($"Tax code {taxId} does not exist", "defaultTaxId");
        if (r.DefaultLedgerAccountId is { } accountId && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @accountId", new { companyId, accountId }) == 0)
            v.Add($"Ledger account {accountId} does not exist", "defaultLedgerAccountId");
        v.ThrowIfAny();
    }
}
