using System.Text;
using Ledgerlight.Spend;
using Xunit;

namespace Ledgerlight.Tests.Spend;

/// <summary>The pure rules of the Spend area, without a database.</summary>
public class SpendRulesTests
{
    [Theory]
    [InlineData("79927398713", true)]
    [InlineData("4539578763621486", true)]
    [InlineData("4539578763621487", false)]
    [InlineData("12a4", false)]
    [InlineData("", false)]
    public void Luhn_check(string number, bool valid) => Assert.Equal(valid, CardNumbers.IsLuhnValid(number));

    [Fact]
    public void Generated_pans_are_luhn_valid_and_carry_the_bin()
    {
        for (var i = 0; i < 200; i++)
        {
            var pan = CardNumbers.Generate(CardNumbers.SandboxBin);
            Assert.Equal(CardNumbers.PanLength, pan.Length);
            Assert.StartsWith(CardNumbers.SandboxBin, pan);
            Assert.True(CardNumbers.IsLuhnValid(pan), pan);
        }
        var issued = CardNumbers.Issue();
        Assert.Equal((CardNumbers.SandboxBin, 4), (issued.Bin, issued.LastFour.Length));
    }

    [Fact]
    public void Limit_windows_are_the_iso_week_and_the_calendar_month_in_utc()
    {
        var sunday = new DateTime(2026, 3, 15, 23, 59, 0, DateTimeKind.Utc);
        Assert.Equal((new DateTime(2026, 3, 9), new DateTime(2026, 3, 16)), CardLimitIntervals.Window("WEEKLY", sunday));
        var monday = new DateTime(2026, 3, 16, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal((new DateTime(2026, 3, 16), new DateTime(2026, 3, 23)), CardLimitIntervals.Window("WEEKLY", monday));
        Assert.Equal((new DateTime(2026, 2, 1), new DateTime(2026, 3, 1)), CardLimitIntervals.Window("MONTHLY", new DateTime(2026, 2, 28, 12, 0, 0, DateTimeKind.Utc)));
        Assert.Null(CardLimitIntervals.Window("PER_TRANSACTION", sunday));
    }

    static AuthorizationFacts Facts(long amount = 100, string card = "ACTIVE", string owner = "ACTIVE", string account = "ACTIVE",
        long available = 1_000, bool rate = true, params LimitUsage[] limits) => new(card, account, owner, amount, limits, available, rate);

    [Fact]
    public void Authorization_decisions_and_their_order()
    {
        Assert.Equal(new AuthorizationDecision(true, "APPROVED"), AuthorizationRules.Decide(Facts()));
        Assert.Equal("CARD_BLOCKED", AuthorizationRules.Decide(Facts(card: "FROZEN", owner: "DEACTIVATED", available: 0)).Reason);
        Assert.Equal("INVALID_CARD", AuthorizationRules.Decide(Facts(card: "CLOSED")).Reason);
        Assert.Equal("ACCOUNT_NOT_ACTIVE", AuthorizationRules.Decide(Facts(owner: "DEACTIVATED", available: 0)).Reason);
        Assert.Equal("BALANCE_ACCOUNT_BLOCKED_BY_RULE", AuthorizationRules.Decide(Facts(account: "CLOSED")).Reason);
        Assert.Equal("TRANSACTION_NOT_PERMITTED", AuthorizationRules.Decide(Facts(rate: false)).Reason);
        // A limit is checked before funds: an over-limit purchase never reads as a funding problem.
        Assert.Equal("AMOUNT_LIMIT_EXCEEDED", AuthorizationRules.Decide(Facts(amount: 500, available: 0, limits: new LimitUsage("PER_TRANSACTION", 499, 0))).Reason);
        Assert.Equal("AMOUNT_LIMIT_EXCEEDED", AuthorizationRules.Decide(Facts(amount: 100, limits: new LimitUsage("WEEKLY", 1_000, 901))).Reason);
        Assert.True(AuthorizationRules.Decide(Facts(amount: 100, limits: new LimitUsage("WEEKLY", 1_000, 900))).Approved);
        Assert.Equal("INSUFFICIENT_FUNDS", AuthorizationRules.Decide(Facts(amount: 1_001)).Reason);
        Assert.True(AuthorizationRules.Decide(Facts(amount: 1_000)).Approved);
    }

    [Fact]
    public void Statement_lines_carry_the_running_balance_in_booking_order()
    {
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var (lines, closing) = StatementRules.Build(1_000,
        [
            new BalanceMovement("b", "DEBIT", 300, t0.AddDays(2), t0.AddDays(2), null, "x"),
            new BalanceMovement("a", "CREDIT", 500, t0.AddDays(1), t0.AddDays(1), "funding", null),
            new BalanceMovement("c", "CREDIT", 100, t0.AddDays(3), t0.AddDays(3), "refund", "y"),
        ]);
        Assert.Equal(["a", "b", "c"], lines.Select(l => l.ProviderId));
        Assert.Equal([1_500L, 1_200L, 1_300L], lines.Select(l => l.RunningBalance));
        Assert.Equal(1_300, closing);
        var empty = StatementRules.Build(7, []);
        Assert.Empty(empty.Lines);
        Assert.Equal(7, empty.Closing);
    }

    [Fact]
    public void Balance_totals_follow_funded_minus_captured_minus_reserved_plus_refunds()
    {
        var totals = new BalanceTotals(Funded: 10_000, Captured: 2_000, Reserved: 500, Refunded: 300);
        Assert.Equal((8_300L, 7_800L), (totals.Settled, totals.Available));
    }

    [Fact]
    public void Network_signatures_need_the_secret_the_body_and_a_fresh_timestamp()
    {
        var secret = Encoding.UTF8.GetBytes("network-secret-of-the-company-32");
        var body = "{\"type\":\"AUTHORIZATION\"}"u8.ToArray();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var ts = now.ToUnixTimeSeconds();
        var signature = NetworkSignature.Sign(secret, ts, body);
        Assert.True(NetworkSignature.Verify(secret, ts.ToString(), body, signature, now));
        Assert.True(NetworkSignature.Verify(secret, ts.ToString(), body, signature, now.AddMinutes(4)));
        Assert.False(NetworkSignature.Verify(secret, ts.ToString(), body, signature, now.AddMinutes(6)));
        Assert.False(NetworkSignature.Verify(secret, ts.ToString(), "{}"u8.ToArray(), signature, now));
        Assert.False(NetworkSignature.Verify("other"u8.ToArray(), ts.ToString(), body, signature, now));
        Assert.False(NetworkSignature.Verify(secret, (ts + 1).ToString(), body, signature, now));
        Assert.False(NetworkSignature.Verify(secret, "soon", body, signature, now));
        Assert.False(NetworkSignature.Verify(secret, ts.ToString(), body, "sha256=zz", now));
        Assert.False(NetworkSignature.Verify(secret, ts.ToString(), body, null, now));
    }

    [Fact]
    public void Freeze_and_unfreeze_are_idempotent_transitions()
    {
        Assert.Equal("FROZEN", CardStates.Machine.Next("ACTIVE", CardAction.Freeze));
        Assert.Equal("FROZEN", CardStates.Machine.Next("FROZEN", CardAction.Freeze));
        Assert.Equal("ACTIVE", CardStates.Machine.Next("ACTIVE", CardAction.Unfreeze));
        Assert.Equal(409, Assert.Throws<Ledgerlight.Platform.ApiException>(() => CardStates.Machine.Next("CLOSED", CardAction.Unfreeze)).Status);
        Assert.Equal("CAPTURED", CardTransactionLifecycle.Machine.Next("CAPTURED", CardTransactionAction.Capture));
        Assert.Throws<Ledgerlight.Platform.ApiException>(() => CardTransactionLifecycle.Machine.Next("VOIDED", CardTransactionAction.Capture));
    }
}
