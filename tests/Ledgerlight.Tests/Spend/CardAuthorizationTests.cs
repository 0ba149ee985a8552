using Ledgerlight.Currencies;
using Ledgerlight.Platform;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Ledgerlight.Tests.Spend.SpendKit;

namespace Ledgerlight.Tests.Spend;

/// <summary>The sandbox issuer's decisions, settlement, refunds, statements and the signed network endpoint.</summary>
public class CardAuthorizationTests(ApiServer server) : IClassFixture<ApiServer>
{
    Task<Tenant> TenantAsync() => server.CreateTenantAsync($"Issuer {Guid.NewGuid():N}", "USD");

    static string Status(System.Text.Json.Nodes.JsonNode t) => t["status"]!.GetValue<string>();
    static string Reason(System.Text.Json.Nodes.JsonNode t) => t["transactionReason"]!.GetValue<string>();

    [Fact]
    public async Task Authorize_then_capture_moves_the_amount_from_reserved_to_settled()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, 10_000);
        var card = (await CardAsync(tenant, account)).Id();
        var auth = await AuthorizeAsync(server, tenant, card, 2_500);
        Assert.Equal(("AUTHORIZED", "APPROVED"), (Status(auth), Reason(auth)));
        Assert.Equal(2_500, auth["lines"]![0]!["amount"]!.GetValue<long>());
        var balance = await BalanceAsync(tenant, account);
        Assert.Equal((7_500L, 10_000L, 2_500L), (balance["available"]!.GetValue<long>(), balance["settled"]!.GetValue<long>(), balance["reserved"]!.GetValue<long>()));

        var captured = await SettleAsync(server, tenant, "CAPTURE", auth.Id());
        Assert.Equal("CAPTURED", Status(captured));
        Assert.Equal("CAPTURED", Status(await SettleAsync(server, tenant, "CAPTURE", auth.Id())));
        balance = await BalanceAsync(tenant, account);
        Assert.Equal((7_500L, 7_500L, 0L), (balance["available"]!.GetValue<long>(), balance["settled"]!.GetValue<long>(), balance["reserved"]!.GetValue<long>()));

        var refund = await SettleAsync(server, tenant, "REFUND", auth.Id(), 1_000);
        Assert.Equal(("REFUNDED", "REFUND", "CREDIT"), (Status(refund), refund["type"]!.GetValue<string>(), refund["direction"]!.GetValue<string>()));
        Assert.Equal(8_500, (await BalanceAsync(tenant, account))["available"]!.GetValue<long>());
        (await NetworkAsync(server, tenant, new { type = "REFUND", reference = "too-much", transactionId = auth.Id(), amount = 1_501 }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");

        var voided = await SettleAsync(server, tenant, "VOID", (await AuthorizeAsync(server, tenant, card, 300)).Id());
        Assert.Equal(("VOIDED", "CANCELLED"), (Status(voided), Reason(voided)));
        Assert.Equal(8_500, (await BalanceAsync(tenant, account))["available"]!.GetValue<long>());
    }

    [Fact]
    public async Task Declines_name_their_reason_and_reserve_nothing()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, 10_000);
        var owner = await OwnerAsync(tenant);
        var card = (await CardAsync(tenant, account, owner, [new { amount = 1_000, interval = "PER_TRANSACTION" }, new { amount = 3_000, interval = "WEEKLY" }])).Id();

        Assert.Equal("AMOUNT_LIMIT_EXCEEDED", Reason(await AuthorizeAsync(server, tenant, card, 1_001)));
        for (var i = 0; i < 3; i++) Assert.Equal("AUTHORIZED", Status(await AuthorizeAsync(server, tenant, card, 1_000)));
        var weekly = await AuthorizeAsync(server, tenant, card, 1);
        Assert.Equal(("DECLINED", "AMOUNT_LIMIT_EXCEEDED"), (Status(weekly), Reason(weekly)));

        var big = (await CardAsync(tenant, account)).Id();
        Assert.Equal("INSUFFICIENT_FUNDS", Reason(await AuthorizeAsync(server, tenant, big, 7_001)));
        Assert.Equal("AUTHORIZED", Status(await AuthorizeAsync(server, tenant, big, 7_000)));

        (await tenant.Admin.PostAsync($"/v1/cards/{big}/freeze")).AssertOk();
        Assert.Equal("CARD_BLOCKED", Reason(await AuthorizeAsync(server, tenant, big, 1)));

        // Deactivating the owner freezes the card; unfrozen on purpose, the issuer still declines for the owner.
        (await tenant.Admin.PutAsync($"/v1/users/{owner}/status", new { status = "DEACTIVATED" })).AssertOk();
        Assert.Equal("FROZEN", (await tenant.Admin.GetAsync($"/v1/cards/{card}")).AssertOk()["status"]!.GetValue<string>());
        (await tenant.Admin.PostAsync($"/v1/cards/{card}/unfreeze")).AssertOk();
        Assert.Equal("ACCOUNT_NOT_ACTIVE", Reason(await AuthorizeAsync(server, tenant, card, 1)));
        Assert.Equal(0, (await BalanceAsync(tenant, account))["available"]!.GetValue<long>());
    }

    [Fact]
    public async Task Parallel_authorizations_never_exceed_a_limit_or_the_funds()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, 1_500);
        var limited = (await CardAsync(tenant, account, limits: [new { amount = 1_000, interval = "MONTHLY" }])).Id();
        var open = (await CardAsync(tenant, account)).Id();
        var limitedRun = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => AuthorizeAsync(server, tenant, limited, 100)));
        Assert.Equal(10, limitedRun.Count(r => Status(r) == "AUTHORIZED"));
        Assert.All(limitedRun.Where(r => Status(r) == "DECLINED"), r => Assert.Equal("AMOUNT_LIMIT_EXCEEDED", Reason(r)));
        var openRun = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => AuthorizeAsync(server, tenant, open, 100)));
        Assert.Equal(5, openRun.Count(r => Status(r) == "AUTHORIZED"));
        Assert.All(openRun.Where(r => Status(r) == "DECLINED"), r => Assert.Equal("INSUFFICIENT_FUNDS", Reason(r)));
        Assert.Equal(0, (await BalanceAsync(tenant, account))["available"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_foreign_purchase_keeps_its_original_amount_and_settles_at_the_ecb_rate()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, 100_000);
        var card = (await CardAsync(tenant, account)).Id();
        var auth = await AuthorizeAsync(server, tenant, card, 4_250, "EUR", "2026-01-15T10:00:00Z");
        var rate = await server.Services.GetRequiredService<ExchangeRateStore>().FindAsync("EUR", "USD", new DateOnly(2026, 1, 15));
        Assert.Equal((4_250L, "EUR", "USD"), (auth["originalAmount"]!.GetValue<long>(), auth["originalCurrency"]!.GetValue<string>(), auth["currency"]!.GetValue<string>()));
        Assert.Equal(Money.Convert(4_250, "EUR", "USD", rate!.Rate), auth["amount"]!.GetValue<long>());
        Assert.NotEqual(4_250, auth["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Statement_and_total_spend_follow_the_movements()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, 10_000, date: "2026-01-05");
        var card = (await CardAsync(tenant, account)).Id();
        var first = await AuthorizeAsync(server, tenant, card, 2_500, performedAt: "2026-01-10T09:00:00Z");
        await SettleAsync(server, tenant, "CAPTURE", first.Id());
        await AuthorizeAsync(server, tenant, card, 500, performedAt: "2026-01-20T09:00:00Z");
        await FundAsync(tenant, account, 1_000, date: "2026-02-02");

        var january = (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/statement?from=2026-01-01&to=2026-01-31")).AssertOk();
        Assert.Equal((0L, 7_000L), (january["openingBalance"]!.GetValue<long>(), january["closingBalance"]!.GetValue<long>()));
        var lines = january["transactions"]!.AsArray();
        Assert.Equal(new long[] { 10_000, 7_500, 7_000 }, lines.Select(l => l!["runningBalance"]!.GetValue<long>()));
        Assert.Equal(new[] { "CREDIT", "DEBIT", "DEBIT" }, lines.Select(l => l!["direction"]!.GetValue<string>()));
        var february = (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/statement?from=2026-02-01&to=2026-02-28")).AssertOk();
        Assert.Equal((7_000L, 8_000L), (february["openingBalance"]!.GetValue<long>(), february["closingBalance"]!.GetValue<long>()));
        (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/statement?from=2026-02-01&to=2026-01-01")).AssertError(400, "BAD_REQUEST");
        // `to` must be after `from`: the same day is refused too.
        var sameDay = (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/statement?from=2026-02-01&to=2026-02-01")).AssertError(400, "BAD_REQUEST");
        Assert.Equal("'to' must be after 'from'", sameDay["message"]!.GetValue<string>());
        Assert.True(BankingHelpers.HasErrorAt(sameDay, "to"));
        (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/statement?from=2026-02-01&to=2026-02-02")).AssertOk();

        var spend = (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/total-spend?from=2026-01-01&to=2026-01-15")).AssertOk();
        Assert.Equal((2_500L, "USD"), (spend["total"]!.GetValue<long>(), spend["currency"]!.GetValue<string>()));
        Assert.Equal(3_000, (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/total-spend?from=2026-01-01&to=2026-01-31")).AssertOk()["total"]!.GetValue<long>());
        Assert.Equal(0, (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/total-spend?from=2026-02-01&to=2026-02-28")).AssertOk()["total"]!.GetValue<long>());
        (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/total-spend?from=January")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task The_network_endpoint_refuses_bad_signatures_and_old_timestamps_with_401()
    {
        var tenant = await TenantAsync();
        var card = (await CardAsync(tenant, await PrimaryAccountAsync(tenant))).Id();
        var message = new { type = "AUTHORIZATION", reference = "r-1", cardId = card, amount = 100, currency = "USD" };
        (await NetworkAsync(server, tenant, message, signature: "sha256=" + new string('0', 64))).AssertError(401, "UNAUTHORIZED");
        (await NetworkAsync(server, tenant, message, signature: "garbage")).AssertError(401, "UNAUTHORIZED");
        (await NetworkAsync(server, tenant, message, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds())).AssertError(401, "UNAUTHORIZED");
        (await server.Anonymous.PostAsync(Ledgerlight.Spend.CardNetworkApi.Route, message)).AssertError(401, "UNAUTHORIZED");
        // An API key is not the network's credential.
        (await tenant.Admin.PostAsync(Ledgerlight.Spend.CardNetworkApi.Route, message)).AssertError(401, "UNAUTHORIZED");
        // Signed but wrong: 400/404, never a 500.
        (await NetworkAsync(server, tenant, new { type = "AUTHORIZATION", reference = "r-2" })).AssertError(400, "BAD_REQUEST");
        (await NetworkAsync(server, tenant, new { type = "AUTHORIZATION", reference = "r-3", cardId = Guid.NewGuid(), amount = 1, currency = "USD" }))
            .AssertError(404, "NOT_FOUND");
        (await NetworkAsync(server, tenant, new { type = "CAPTURE", reference = "r-4", transactionId = Guid.NewGuid() })).AssertError(404, "NOT_FOUND");
        (await NetworkAsync(server, tenant, "[1,2]")).AssertError(400, "BAD_REQUEST");
        // A retried message answers the transaction the first one created.
        var once = (await NetworkAsync(server, tenant, message)).AssertOk();
        Assert.Equal(once.Id(), (await NetworkAsync(server, tenant, message)).AssertOk().Id());
    }
}
