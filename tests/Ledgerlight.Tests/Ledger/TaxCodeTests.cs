using Ledgerlight.Ledger.TaxCodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class TaxMathTests
{
    [Theory]
    [InlineData(10_000, 20, 2_000)]
    [InlineData(1, 20, 0)]          // 0.2 cents rounds down
    [InlineData(3, 50, 2)]          // 1.5 rounds half away from zero
    [InlineData(999, 19, 190)]      // 189.81
    [InlineData(12_345, 0, 0)]
    public void Tax_on_net(long net, decimal rate, long tax) => Assert.Equal(tax, TaxMath.FromNet(net, rate));

    [Theory]
    [InlineData(12_000, 20, 2_000)]
    [InlineData(11_900, 19, 1_900)]
    [InlineData(1, 20, 0)]
    [InlineData(105, 5, 5)]
    public void Tax_in_gross(long gross, decimal rate, long tax) => Assert.Equal(tax, TaxMath.FromGross(gross, rate));
}

public class TaxCodeTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Companies_start_with_the_standard_set_and_can_add_codes()
    {
        var codes = (await server.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray();
        Assert.Equal(["EXEMPT", "REDUCED", "STANDARD", "SUPER_REDUCED", "ZERO"], codes.Select(c => c!["code"]!.GetValue<string>()));
        Assert.Equal(20m, codes.Single(c => c!["code"]!.GetValue<string>() == "STANDARD")!["ratePercent"]!.GetValue<decimal>());

        var created = (await server.Admin.PostAsync("/v1/tax-codes", new { code = "DE19", label = "Germany 19%", ratePercent = 19m })).AssertOk();
        Assert.NotNull(created["inputAccountId"]);
        (await server.Admin.PostAsync("/v1/tax-codes", new { code = "DE19", label = "again", ratePercent = 19m })).AssertError(409, "CONFLICT");
        (await server.Admin.PostAsync("/v1/tax-codes", new { code = "BAD", label = "x", ratePercent = 120m })).AssertError(400, "BAD_REQUEST");
        (await server.Viewer.PostAsync("/v1/tax-codes", new { code = "V", label = "x", ratePercent = 1m })).AssertError(403, "FORBIDDEN");
    }

    [Fact]
    public async Task Journal_line_with_a_tax_code_gets_its_tax_from_the_rate()
    {
        var kit = new LedgerTestKit(server.Admin);
        var standard = (await server.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(c => c!["code"]!.GetValue<string>() == "STANDARD")!["id"]!.GetValue<string>();
        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-11-02", shouldPost = true,
            lines = new object[]
            {
                new { ledgerAccountId = await kit.Account(6400), ledgerTaxId = standard, netTransactionAmount = new { amount = 4_999, dcSign = "D" } },
                new { ledgerAccountId = await kit.Account(2000), netTransactionAmount = new { amount = 5_999, dcSign = "C" } },
            },
        })).AssertOk();
        Assert.Equal(1_000, entry["lines"]![0]!["taxTransactionAmount"]!["amount"]!.GetValue<long>()); // 999.8 -> 1000
        Assert.Equal(1_000, await kit.Balance(1600, "2026-12-31"));

        (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-11-02",
            lines = new object[] { new { ledgerAccountId = await kit.Account(6400), ledgerTaxId = Guid.NewGuid(), netTransactionAmount = new { amount = 1, dcSign = "D" } } },
        })).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Posted_lines_with_a_tax_code_carry_its_label_as_their_tax_tag()
    {
        // A tenant of its own: the test above counts this company's tax codes.
        var api = (await server.CreateTenantAsync("Tax Tags Co", "USD")).Admin;
        var kit = new LedgerTestKit(api);
        var code = (await api.PostAsync("/v1/tax-codes", new { code = "TAGGED10", label = "Tagged 10%", ratePercent = 10m }))
            .AssertOk()["id"]!.GetValue<string>();
        var entry = (await api.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-11-03", shouldPost = true,
            lines = new object[]
            {
                new { ledgerAccountId = await kit.Account(6400), ledgerTaxId = code, netTransactionAmount = new { amount = 1_000, dcSign = "D" } },
                new { ledgerAccountId = await kit.Account(2000), netTransactionAmount = new { amount = 1_100, dcSign = "C" } },
            },
        })).AssertOk();
        var id = entry["id"]!.GetValue<string>();

        // The net line and its tax line carry the code's label; the untaxed line has none and sorts last.
        var lines = (await api.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{id}&sort=taxTagLabel:asc")).AssertOk()["records"]!.AsArray();
        Assert.Equal(["Tagged 10%", "Tagged 10%", null], lines.Select(l => l!["taxTagLabel"]?.GetValue<string>()));
        var tagged = (await api.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{id},taxTagLabel:eq:{Uri.EscapeDataString("Tagged 10%")}"))
            .AssertOk()["records"]!.AsArray();
        Assert.Equal([1_000L, 100L], tagged.Select(l => l!["amounts"]!["transactionAmount"]!.GetValue<long>()).Order().Reverse());
        // ...and its code, so filtering by taxCode finds a journal entry's lines as it finds a sales invoice's.
        Assert.Equal(["TAGGED10", "TAGGED10", null], lines.Select(l => l!["taxCode"]?.GetValue<string>()));
        var byCode = (await api.GetAsync($"/v1/accounting-documents/accounting-documents?filter=taxCode:eq:TAGGED10")).AssertOk()["records"]!.AsArray();
        Assert.Equal(id, Assert.Single(byCode)!["id"]!.GetValue<string>());
    }
}
