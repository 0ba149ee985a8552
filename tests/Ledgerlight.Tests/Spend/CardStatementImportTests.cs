using System.Text.Json.Nodes;
using Ledgerlight.Spend;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Spend.SpendKit;

namespace Ledgerlight.Tests.Spend;

/// <summary>`cards import FILE`: a card statement CSV loaded through the real CLI, checked through the API.</summary>
public class CardStatementImportTests(ApiServer server) : IClassFixture<ApiServer>
{
    const string Header = "provider_transaction_id,card_last_four,type,status,amount,currency,original_amount,original_currency,merchant,performed_at";

    async Task<(Tenant Tenant, string Card, string LastFour)> SetUpAsync()
    {
        var tenant = await server.CreateTenantAsync($"Card Import {Guid.NewGuid():N}", "USD");
        var card = await CardAsync(tenant, await PrimaryAccountAsync(tenant));
        return (tenant, card.Id(), card["lastFour"]!.GetValue<string>());
    }

    async Task<CliRunner.Result> ImportAsync(Tenant tenant, string csv)
    {
        var path = Path.Combine(Path.GetTempPath(), $"statement-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        try { return await CliRunner.RunAsync("cards", "import", path, "--company", tenant.CompanyId.ToString(), "--database", server.ConnectionString); }
        finally { File.Delete(path); }
    }

    static async Task<JsonArray> TransactionsAsync(Tenant tenant) =>
        (await tenant.Admin.GetAsync("/v1/card-transactions?sort=performedAt:asc")).AssertOk()["records"]!.AsArray();

    [Fact]
    public async Task Payments_a_refund_and_a_foreign_row_are_imported_once()
    {
        var (tenant, card, lastFour) = await SetUpAsync();
        var csv = $"""
            {Header}
            p-1,{lastFour},PAYMENT,CAPTURED,12.50,USD,,,"Hardware, Inc.",2026-11-02T10:00:00Z
            p-2,{card},PAYMENT,AUTHORIZED,3,usd,,,Coffee Shop,2026-11-03T08:30:00+01:00
            p-3,{lastFour},PAYMENT,CAPTURED,11.00,USD,10.00,EUR,Berlin Hotel,2026-11-04T12:00:00Z
            r-1,{lastFour},REFUND,REFUNDED,2.50,USD,,,"Hardware, Inc.",2026-11-05T09:00:00Z
            """;
        var first = await ImportAsync(tenant, csv);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal("read 4, added 4, skipped 0", first.Stdout.Trim());

        var records = await TransactionsAsync(tenant);
        Assert.Equal(4, records.Count);
        var summary = records.Select(r => (r!["type"]!.GetValue<string>(), r["status"]!.GetValue<string>(), r["amount"]!.GetValue<long>(),
            r["originalAmount"]!.GetValue<long>(), r["originalCurrency"]!.GetValue<string>(), r["direction"]!.GetValue<string>())).ToList();
        Assert.Equal(new[]
        {
            ("PAYMENT", "CAPTURED", 1250L, 1250L, "USD", "DEBIT"),
            ("PAYMENT", "AUTHORIZED", 300L, 300L, "USD", "DEBIT"),
            ("PAYMENT", "CAPTURED", 1100L, 1000L, "EUR", "DEBIT"),
            ("REFUND", "REFUNDED", 250L, 250L, "USD", "CREDIT"),
        }, summary);
        Assert.Equal("Hardware, Inc.", records[0]!["merchant"]!["name"]!.GetValue<string>());
        Assert.All(records, r => Assert.Equal(card, r!["cardId"]!.GetValue<string>()));

        var again = await ImportAsync(tenant, csv);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal("read 4, added 0, skipped 4", again.Stdout.Trim());
        Assert.Equal(4, (await TransactionsAsync(tenant)).Count);
    }

    [Fact]
    public async Task A_file_with_one_bad_row_adds_nothing_and_names_the_line()
    {
        var (tenant, _, lastFour) = await SetUpAsync();
        var other = lastFour == "0000" ? "0001" : "0000";
        var bad = await ImportAsync(tenant, $"""
            {Header}
            b-1,{lastFour},PAYMENT,CAPTURED,5.00,USD,,,Shop,2026-11-02T10:00:00Z
            b-2,{lastFour},PAYMENT,CAPTURED,5.001,USD,,,Shop,2026-11-02T11:00:00Z
            b-3,{other},PAYMENT,CAPTURED,5.00,USD,,,Shop,2026-11-02T12:00:00Z
            ,{lastFour},PAYMENT,CAPTURED,5.00,USD,,,Shop,2026-11-02T12:00:00Z
            b-5,{lastFour},PAYMENT,CAPTURED,5.00,USD,,,Shop,yesterday
            """);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 3: amount '5.001' has more than 2 decimals", bad.Stderr);
        Assert.Contains($"line 4: unknown card '{other}'", bad.Stderr);
        Assert.Contains("line 5: provider_transaction_id is missing", bad.Stderr);
        Assert.Contains("line 6: performed_at 'yesterday'", bad.Stderr);
        Assert.DoesNotContain("line 2", bad.Stderr);
        Assert.Empty(await TransactionsAsync(tenant));
    }
}

/// <summary>The statement row rules alone, without a database.</summary>
public class CardStatementImportRulesTests
{
    static readonly StatementCard Usd = new(Guid.NewGuid(), "4242", Guid.NewGuid(), Guid.NewGuid(), "USD");
    static readonly StatementCard Jpy = new(Guid.NewGuid(), "1111", Guid.NewGuid(), Guid.NewGuid(), "JPY");

    static StatementRow Row(string card = "4242", string amount = "10.00", string currency = "USD", string original = "", string originalCurrency = "",
        string type = "PAYMENT", string status = "CAPTURED") =>
        new(7, "id-1", card, type, status, amount, currency, original, originalCurrency, "Shop", "2026-11-02T10:00:00Z");

    [Fact]
    public void Amounts_use_the_currency_exponent_and_a_foreign_row_keeps_its_rate()
    {
        var t = CardStatementRules.Parse(Row("1111", "1500", "JPY", "10.00", "eur"), [Usd, Jpy], out var error);
        Assert.Null(error);
        Assert.Equal((1500L, "JPY", 1000L, "EUR", 150m), (t.Amount, t.Currency, t.OriginalAmount, t.OriginalCurrency, t.FxRate));
        Assert.Equal(("statement:id-1", "id-1"), (t.NetworkReference, t.ProviderTransactionId));
        CardStatementRules.Parse(Row("1111", "1.5", "JPY"), [Usd, Jpy], out error);
        Assert.Equal("amount '1.5' has more than 0 decimals, which JPY allows", error);
    }

    [Theory]
    [InlineData("9999", "10.00", "USD", "PAYMENT", "CAPTURED", "unknown card '9999'")]
    [InlineData("4242", "-1", "USD", "PAYMENT", "CAPTURED", "amount '-1' is not a non-negative decimal number")]
    [InlineData("4242", "10000000000000.01", "USD", "PAYMENT", "CAPTURED", "amount '10000000000000.01' exceeds the maximum amount")]
    [InlineData("4242", "10.00", "EUR", "PAYMENT", "CAPTURED", "currency 'EUR' is not the card account's currency USD")]
    [InlineData("4242", "10.00", "USD", "REFUND", "CAPTURED", "status 'CAPTURED' is not valid for a REFUND")]
    [InlineData("4242", "10.00", "USD", "CHARGE", "CAPTURED", "type 'CHARGE' is not PAYMENT or REFUND")]
    public void Bad_rows_say_what_is_wrong(string card, string amount, string currency, string type, string status, string expected)
    {
        CardStatementRules.Parse(Row(card, amount, currency, type: type, status: status), [Usd, Jpy], out var error);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void A_foreign_row_needs_its_original_amount()
    {
        CardStatementRules.Parse(Row(originalCurrency: "EUR"), [Usd], out var error);
        Assert.Equal("original_amount is required when original_currency differs from currency", error);
    }
}
