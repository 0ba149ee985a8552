using Ledgerlight.Ledger;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class LedgerAccountTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task New_company_has_the_standard_chart_in_code_order()
    {
        var page = (await server.Admin.GetAsync("/v1/ledger-accounts?limit=200")).AssertOk();
        var codes = page["records"]!.AsArray().Select(a => a!["code"]!.GetValue<int>()).ToList();
        Assert.Equal(StandardChart.Accounts.Select(a => a.Code).Order(), codes);
        var types = page["records"]!.AsArray().Select(a => a!["type"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "BANK", "ACCOUNTS_RECEIVABLE", "ACCOUNTS_PAYABLE", "REVENUE", "RETAINED_EARNINGS",
            "EXCHANGE_RATE_GAIN_REALIZED", "EXCHANGE_RATE_LOSS_REALIZED" }, types);
        var first = page["records"]![0]!;
        Assert.Equal(server.Company.EntityId.ToString(), first["companyEntities"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_and_sorts_from_the_spec_work()
    {
        var bank = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=type:eq:BANK")).AssertOk();
        Assert.All(bank["records"]!.AsArray(), a => Assert.Equal("BANK", a!["type"]!.GetValue<string>()));

        var range = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=code:gte:2000,code:lt:3000&sort=code:desc")).AssertOk();
        var codes = range["records"]!.AsArray().Select(a => a!["code"]!.GetValue<int>()).ToList();
        Assert.All(codes, c => Assert.InRange(c, 2000, 2999));
        Assert.Equal(codes.OrderDescending(), codes);

        var liabilities = (await server.Admin.GetAsync("/v1/ledger-accounts?filter=category:eq:LIABILITY&limit=200")).AssertOk();
        Assert.Equal(StandardChart.Accounts.Count(a => AccountTypes.CategoryOf(a.Type) == "LIABILITY"), liabilities["total"]!.GetValue<long>());

        var byEntity = (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=companyEntityId:eq:{server.Company.EntityId}&limit=200")).AssertOk();
        Assert.Equal(StandardChart.Accounts.Count, byEntity["records"]!.AsArray().Count);
        var otherEntity = (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=companyEntityId:eq:{Guid.NewGuid()}")).AssertOk();
        Assert.Empty(otherEntity["records"]!.AsArray());

        var labels = (await server.Admin.GetAsync("/v1/ledger-accounts?sort=label:asc&limit=200")).AssertOk()["records"]!.AsArray()
            .Select(a => a!["label"]!.GetValue<string>()).ToList();
        Assert.Equal(labels.Order(StringComparer.Ordinal), labels);
    }

    [Fact]
    public async Task Ledger_feature_narrows_to_bookable_accounts()
    {
        var receivables = (await server.Admin.GetAsync("/v1/ledger-accounts?ledgerFeature=INVOICE_RECEIVABLES&limit=200")).AssertOk();
        Assert.All(receivables["records"]!.AsArray(), a => Assert.Equal("INCOME", AccountTypes.CategoryOf(a!["type"]!.GetValue<string>())));
        var payables = (await server.Admin.GetAsync("/v1/ledger-accounts?ledgerFeature=INVOICE_PAYABLES&limit=200")).AssertOk();
        Assert.DoesNotContain(payables["records"]!.AsArray(), a => a!["type"]!.GetValue<string>() is "BANK" or "ACCOUNTS_PAYABLE" or "REVENUE");
        Assert.Contains(payables["records"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "GENERAL_AND_ADMINISTRATIVE_EXPENSE");
        (await server.Admin.GetAsync("/v1/ledger-accounts?ledgerFeature=EVERYTHING")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Custom_properties_appear_only_when_asked()
    {
        var plain = (await server.Admin.GetAsync("/v1/ledger-accounts?limit=1")).AssertOk();
        Assert.Null(plain["records"]![0]!["customProperties"]);
        var with = (await server.Admin.GetAsync("/v1/ledger-accounts?limit=1&includeCustomProperties=true")).AssertOk();
        Assert.NotNull(with["records"]![0]!["customProperties"]);
    }
}
