using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Organization.Companies;
using Ledgerlight.Payables.Vendors;

namespace Ledgerlight.Organization;

/// <summary>
/// The --demo company: created once with an admin user, the standard chart and a few vendors.
/// Its API key is shown only when it is created, like any key.
/// </summary>
public sealed class DemoSeed(NpgsqlDataSource db, CompanyStore companies, ApiKeyStore keys, VendorStore vendors)
{
    public const string CompanyName = "Demo Company";

    /// <summary>The new key when the company was created now; null when it already existed.</summary>
    public async Task<string?> EnsureAsync()
    {
        await using (var conn = await db.OpenConnectionAsync())
        {
            // Serialise concurrent first starts so only one demo company appears.
            await conn.ExecuteAsync("SELECT pg_advisory_lock(4242)");
            try
            {
                if (await companies.FindAsync(CompanyName) is not null) return null;
                var company = await companies.ProvisionAsync(new CompanySetup(CompanyName, "USD", "admin@demo.example", "Dana", "Admin"));
                foreach (var (name, email, country) in new[]
                         {
                             ("Acme Office Supplies", "billing@acme.example", "US"),
                             ("Northwind Hosting", "accounts@northwind.example", "US"),
                             ("Globex Consulting", "finance@globex.example", "GB"),
                         })
                {
                    await vendors.CreateAsync(company.CompanyId, company.AdminUserId, new VendorRequest(
                        name, null, [company.EntityId], null, null, null, null, null, email, null, null, country,
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
                }
                var key = await keys.CreateAsync(company.CompanyId, Roles.Admin, "demo");
                return key.Key;
            }
            finally
            {
                await conn.ExecuteAsync("SELECT pg_advisory_unlock(4242)");
            }
        }
    }
}
