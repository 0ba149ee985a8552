using NpgsqlTypes;

namespace Ledgerlight.Receivables.Customers;

public sealed class CustomerStore(NpgsqlDataSource db, TimeProvider clock) : ReferenceStore<CustomerRow, CustomerModel, CustomerRequest>(db, Table)
{
    public const string Active = "ACTIVE";
    public const string Archived = "ARCHIVED";

    static readonly ReferenceTable<CustomerRow> Table = new("customers", CustomerRow.Columns, "Customer", "status");

    public static Task<CustomerRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool forUpdate = false) =>
        Table.FindAsync(conn, tx, companyId, id, forUpdate);

    protected override CustomerModel ToModel(CustomerRow row, IReadOnlyList<CustomPropertyModel> properties) => row.ToModel(properties);

    static async Task CheckCustomPropertiesAsync(NpgsqlConnection conn, Guid companyId, CustomerRequest r)
    {
        var v = new Validation();
        await CustomPropertyRequests.ValidateAsync(conn, null, companyId, "CUSTOMER", r.CustomProperties, v, "customProperties");
        v.ThrowIfAny();
    }

    public override async Task<CustomerRow> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, CustomerRequest r)
    {
        await CheckCustomPropertiesAsync(conn, companyId, r);
        var id = Ids.New();
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO customers (company_id, id, status, created_at, updated_at, {string.Join(", ", Fields.Select(f => f.Column))})
            VALUES (@companyId, @id, @status, @now, @now, {string.Join(", ", Fields.Select(f => "@" + f.Column))})
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("companyId", companyId);
            cmd.Parameters.AddWithValue("status", Active);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("now", now);
            foreach (var field in Fields) cmd.Parameters.Add(field.Parameter(r));
            await cmd.ExecuteNonQueryAsync();
        }
        return (await FindAsync(conn, null, companyId, id))!;
    }

    /// <summary>PATCH: a field present in the body is set (null clears; for the e-mail lists an empty list clears), absent ones stay.</summary>
    public override async Task<CustomerRow?> PatchAsync(Guid companyId, Guid id, CustomerRequest r, JsonElement body)
    {
        await using var conn = await Db.OpenConnectionAsync();
        await CheckCustomPropertiesAsync(conn, companyId, r);
        var present = Fields.Where(f => body.TryGetProperty(f.Json, out _)).ToList();
        await using var cmd = new NpgsqlCommand($"""
            UPDATE customers SET updated_at = @now{string.Concat(present.Select(f => $", {f.Column} = @{f.Column}"))}
             WHERE company_id = @companyId AND id = @id
            """, conn);
        cmd.Parameters.AddWithValue("companyId", companyId);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
        foreach (var field in present) cmd.Parameters.Add(field.Parameter(r));
        if (await cmd.ExecuteNonQueryAsync() == 0) return null;
        return await FindAsync(conn, null, companyId, id);
    }

    /// <summary>ACTIVE ⇄ ARCHIVED. Archiving an archived customer (or activating an active one) is a 409 naming the state.</summary>
    public Task<CustomerRow?> SetStatusAsync(Guid companyId, Guid id, string status) =>
        Table.SetStateAsync(Db, clock, companyId, id, status, row => row.Status);

    /// <summary>A customer that may be invoiced: exists in the company and is not archived (422 otherwise).</summary>
    public static async Task<CustomerRow> RequireInvoiceableAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, params object[] path)
    {
        var row = await FindAsync(conn, tx, companyId, id) ?? throw ApiException.BadRequest($"Customer {id} does not exist", path);
        if (row.Status == Archived) throw ApiException.Unprocessable("The customer is archived and cannot be invoiced; activate it first", path);
        return row;
    }

    /// <summary>One writable attribute: its JSON name, column and how the request's value becomes a parameter.</summary>
    sealed record Field(string Json, string Column, Func<CustomerRequest, object?> Value, NpgsqlDbType Type)
    {
        public NpgsqlParameter Parameter(CustomerRequest r) => new(Column, Type) { Value = Value(r) ?? DBNull.Value };
    }

    static string? AddressJson(Organization.Entities.AddressModel? a) => a is null ? null : JsonSerializer.Serialize(a, Json.Options);

    static string[] Emails(IReadOnlyList<string?>? emails) => (emails ?? []).Where(e => e is not null).Select(e => e!.Trim()).ToArray();

    static readonly Field[] Fields =
    [
        new("name", "name", r => r.Name?.Trim(), NpgsqlDbType.Text),
        new("email", "email", r => r.Email, NpgsqlDbType.Text),
        new("address", "address", r => AddressJson(r.Address), NpgsqlDbType.Jsonb),
        new("billingAddress", "billing_address", r => AddressJson(r.BillingAddress), NpgsqlDbType.Jsonb),
        new("shippingAddress", "shipping_address", r => AddressJson(r.ShippingAddress), NpgsqlDbType.Jsonb),
        new("domain", "domain", r => r.Domain, NpgsqlDbType.Text),
        new("description", "description", r => r.Description, NpgsqlDbType.Text),
        new("vatNumber", "vat_number", r => r.VatNumber, NpgsqlDbType.Text),
        new("businessRegistrationNumber", "business_registration_number", r => r.BusinessRegistrationNumber, NpgsqlDbType.Text),
        new("easCode", "eas_code", r => r.EasCode, NpgsqlDbType.Text),
        new("einvoiceAddress", "einvoice_address", r => r.EinvoiceAddress, NpgsqlDbType.Text),
        new("einvoiceNetwork", "einvoice_network", r => r.EinvoiceNetwork, NpgsqlDbType.Text),
        new("type", "type", r => r.Type, NpgsqlDbType.Text),
        new("logoUrl", "logo_url", r => r.LogoUrl, NpgsqlDbType.Text),
        new("recipientEmails", "recipient_emails", r => Emails(r.RecipientEmails), NpgsqlDbType.Array | NpgsqlDbType.Text),
        new("ccEmails", "cc_emails", r => Emails(r.CcEmails), NpgsqlDbType.Array | NpgsqlDbType.Text),
        new("customProperties", "custom_properties", r => CustomPropertyRequests.ToJson(r.CustomProperties), NpgsqlDbType.Jsonb),
    ];
}
