using System.Text;
using System.Text.Json.Nodes;
using Ledgerlight.Spend;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Spend.SpendKit;

namespace Ledgerlight.Tests.Spend;

/// <summary>`cards network-secret`, `cards fund` and `cards simulate` run as a user would, against the test server's database.</summary>
public class CardCommandTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Network_secret_fund_and_simulate_from_the_command_line()
    {
        var tenant = await server.CreateTenantAsync($"Cli Cards {Guid.NewGuid():N}", "USD");
        var company = tenant.CompanyId.ToString();
        var secretRun = await CliRunner.RunAsync("cards", "network-secret", "--company", company, "--database", server.ConnectionString);
        Assert.True(secretRun.ExitCode == 0, secretRun.Stderr);
        var secret = Convert.FromBase64String(secretRun.Stdout.Trim());
        Assert.Equal(32, secret.Length);

        var account = await PrimaryAccountAsync(tenant);
        var bank = (await BankingHelpers.CreateAccountAsync(tenant)).Id();
        var fund = await CliRunner.RunAsync("cards", "fund", "--company", company, "--account", account, "--bank-account", bank, "--amount", "5000",
            "--database", server.ConnectionString);
        Assert.True(fund.ExitCode == 0, fund.Stderr);
        Assert.Equal("available 5000 USD", fund.Stdout.Trim());

        var card = (await CardAsync(tenant, account)).Id();
        var auth = await CliRunner.RunAsync("cards", "simulate", "authorize", "--company", company, "--card", card, "--amount", "1200",
            "--merchant", "Hardware Store", "--database", server.ConnectionString);
        Assert.True(auth.ExitCode == 0, auth.Stderr);
        var transaction = JsonNode.Parse(auth.Stdout)!;
        Assert.Equal(("AUTHORIZED", 1200L), (transaction["status"]!.GetValue<string>(), transaction["amount"]!.GetValue<long>()));
        var capture = await CliRunner.RunAsync("cards", "simulate", "capture", "--company", company, "--transaction", transaction.Id(),
            "--database", server.ConnectionString);
        Assert.Equal("CAPTURED", JsonNode.Parse(capture.Stdout)!["status"]!.GetValue<string>());
        Assert.Equal(3_800, (await BalanceAsync(tenant, account))["available"]!.GetValue<long>());

        var missing = await CliRunner.RunAsync("cards", "simulate", "authorize", "--company", company, "--card", Guid.NewGuid().ToString(),
            "--amount", "1", "--database", server.ConnectionString);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr);

        // The printed secret is the one the network endpoint checks.
        var body = $$"""{"type":"AUTHORIZATION","reference":"cli-signed","cardId":"{{card}}","amount":100,"currency":"USD"}""";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signed = await server.Anonymous.SendAsync(HttpMethod.Post, CardNetworkApi.Route, body, new Dictionary<string, string>
        {
            [NetworkSignature.CompanyHeader] = company, [NetworkSignature.TimestampHeader] = ts.ToString(),
            [NetworkSignature.SignatureHeader] = NetworkSignature.Sign(secret, ts, Encoding.UTF8.GetBytes(body)),
        });
        Assert.Equal("AUTHORIZED", signed.AssertOk()["status"]!.GetValue<string>());
    }
}
