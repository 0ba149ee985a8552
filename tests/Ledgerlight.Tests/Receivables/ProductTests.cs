using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Receivables;

public class ProductTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<string> TaxId(string code) =>
        (await server.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(t => t!["code"]!.GetValue<string>() == code)!["id"]!.GetValue<string>();

    async Task<string> AccountId(int code) =>
        (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();

    [Fact]
    public async Task Product_with_prices_per_currency_tax_code_and_revenue_account()
    {
        var created = (await server.Admin.PostAsync("/v1/products", new
        {
            name = "Pro plan", pricingType = "FIXED", billingRecurrence = "MONTHLY",
            pricings = new[] { new { currency = "USD", amount = 4_900L }, new { currency = "EUR", amount = 4_500L }, new { currency = "JPY", amount = 7_000L } },
            defaultTaxId = await TaxId("STANDARD"), defaultLedgerAccountId = await AccountId(4100),
        })).AssertOk();
        Assert.Equal("ACTIVE", created["state"]!.GetValue<string>());
        Assert.Equal(3, created["pricings"]!.AsArray().Count);
        Assert.Equal(7_000, created["pricings"]!.AsArray().Single(p => p!["currency"]!.GetValue<string>() == "JPY")!["amount"]!.GetValue<long>());
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(created.ToJsonString(), (await server.Admin.GetAsync($"/v1/products/{id}")).AssertOk().ToJsonString());

        var monthly = (await server.Admin.GetAsync("/v1/products?filter=recurrence:eq:MONTHLY,state:eq:ACTIVE&sort=name:asc")).AssertOk();
        Assert.Contains(monthly["records"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
        Assert.Empty((await server.Admin.GetAsync($"/v1/products?filter=invoiceReceivableId:eq:{Guid.NewGuid()}")).AssertOk()["records"]!.AsArray());
    }

    [Fact]
    public async Task Patch_replaces_prices_and_keeps_the_rest()
    {
        var id = (await server.Admin.PostAsync("/v1/products", new { name = "Setup fee", pricings = new[] { new { currency = "USD", amount = 10_000L } } }))
            .AssertOk()["id"]!.GetValue<string>();
        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/products/{id}", new
        {
            pricings = new[] { new { currency = "USD", amount = 12_500L } }, billingRecurrence = "YEARLY",
        })).AssertOk();
        Assert.Equal(12_500, patched["pricings"]![0]!["amount"]!.GetValue<long>());
        Assert.Equal("YEARLY", patched["billingRecurrence"]!.GetValue<string>());
        Assert.Equal("Setup fee", patched["name"]!.GetValue<string>());
        Assert.Equal("FIXED", patched["pricingType"]!.GetValue<string>());
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/products/{id}", new Dictionary<string, object?> { ["name"] = null })).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Bad_prices_and_references_are_400_with_paths()
    {
        var error = (await server.Admin.PostAsync("/v1/products", new
        {
            name = "Broken", pricingType = "PER_SEAT",
            pricings = new object[] { new { currency = "USD", amount = -1L }, new { currency = "USD", amount = 5L }, new { currency = "XXX", amount = 1L } },
            defaultTaxId = Guid.NewGuid(),
        })).AssertError(400, "BAD_REQUEST");
        var paths = error["errors"]!.AsArray().Select(e => string.Join('.', e!["path"]!.AsArray().Select(p => p!.ToString()))).ToHashSet();
        Assert.Superset(new HashSet<string> { "pricingType", "pricings.0.amount", "pricings.1.currency", "pricings.2.currency" }, paths);

        var unknownTax = (await server.Admin.PostAsync("/v1/products", new { name = "Ref", defaultTaxId = Guid.NewGuid() })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("defaultTaxId", unknownTax["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Archive_is_final_and_repeats_conflict()
    {
        var id = (await server.Admin.PostAsync("/v1/products", new { name = "Legacy" })).AssertOk()["id"]!.GetValue<string>();
        Assert.Equal("ARCHIVED", (await server.Admin.PostAsync($"/v1/products/{id}/archive")).AssertOk()["state"]!.GetValue<string>());
        (await server.Admin.PostAsync($"/v1/products/{id}/archive")).AssertError(409, "CONFLICT");
        (await server.Viewer.PostAsync("/v1/products", new { name = "No" })).AssertError(403, "FORBIDDEN");
        var other = await server.CreateTenantAsync("Other Product Co", "USD");
        (await other.Admin.GetAsync($"/v1/products/{id}")).AssertError(404, "NOT_FOUND");
    }
}
