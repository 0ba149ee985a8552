using Dapper;
using Ledgerlight.Ledger;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class FxSettlementRuleTests
{
    static readonly Guid Ar = Guid.NewGuid(), Ap = Guid.NewGuid(), Bank = Guid.NewGuid(), Gain = Guid.NewGuid(), Loss = Guid.NewGuid();

    static (long Debit, long Credit) Local(IEnumerable<PostingLine> lines) =>
        (lines.Where(l => l.DcSign == "D").Sum(l => l.LocalAmount!.Value), lines.Where(l => l.DcSign == "C").Sum(l => l.LocalAmount!.Value));

    [Fact]
    public void Receivable_paid_at_a_higher_rate_is_a_gain()
    {
        // EUR 100.00 invoiced at 1.10 (USD 110.00), received at 1.15 (USD 115.00).
        var lines = FxSettlement.Lines(Ar, "D", Bank, 10_000, 11_000, 11_500, 11_000, 11_500, Gain, Loss);
        var fx = Assert.Single(lines, l => l.AccountId == Gain);
        Assert.Equal(("C", 500L, 0L), (fx.DcSign, fx.LocalAmount!.Value, fx.Amount));
        Assert.Equal(Local(lines).Debit, Local(lines).Credit);
        Assert.Contains(lines, l => l.AccountId == Ar && l.DcSign == "C" && l.LocalAmount == 11_000);
    }

    [Fact]
    public void Payable_paid_at_a_higher_rate_is_a_loss()
    {
        var lines = FxSettlement.Lines(Ap, "C", Bank, 10_000, 11_000, 11_500, 11_000, 11_500, Gain, Loss);
        var fx = Assert.Single(lines, l => l.AccountId == Loss);
        Assert.Equal(("D", 500L), (fx.DcSign, fx.LocalAmount!.Value));
        Assert.Equal(Local(lines).Debit, Local(lines).Credit);
    }

    [Fact]
    public void Same_rate_has_no_difference_line()
    {
        Assert.Equal(2, FxSettlement.Lines(Ar, "D", Bank, 10_000, 11_000, 11_000, 11_000, 11_000, Gain, Loss).Count);
    }
}

/// <summary>An invoice in EUR booked at one rate and settled at another, through the real posting engine.</summary>
public class FxSettlementPostingTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Settlement_clears_the_receivable_at_its_booked_amount_and_books_the_gain()
    {
        var kit = new LedgerTestKit(server.Admin);
        var ar = Guid.Parse(await kit.Account(1400));
        var revenue = Guid.Parse(await kit.Account(4000));
        var bank = Guid.Parse(await kit.Account(1200));
        var gain = Guid.Parse(await kit.Account(7500));
        var loss = Guid.Parse(await kit.Account(7600));
        var engine = server.Services.GetRequiredService<PostingEngine>();
        var companyId = server.Company.CompanyId;

        async Task Post(DateOnly day, decimal rate, List<PostingLine> lines)
        {
            await using var conn = await server.Db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            var doc = new PostingDocument(Guid.CreateVersion7(), "AR", server.Company.EntityId, "PRIMARY", null, "FX test", "EUR", day);
            await engine.PostAsync(conn, tx, new PostingRequest(companyId, null, doc, lines, rate, rate));
            await tx.CommitAsync();
        }

        // Invoice EUR 100.00 at 1.10: Dr AR 110.00 USD, Cr revenue 110.00 USD.
        await Post(new DateOnly(2026, 10, 1), 1.10m, [new(ar, "D", 10_000), new(revenue, "C", 10_000)]);
        // Paid EUR 100.00 at 1.15.
        await Post(new DateOnly(2026, 10, 20), 1.15m, FxSettlement.Lines(ar, "D", bank, 10_000, 11_000, 11_500, 11_000, 11_500, gain, loss));

        Assert.Equal(0, await kit.Balance(1400, "2026-12-31"));      // receivable fully cleared in USD
        Assert.Equal(11_500, await kit.Balance(1200, "2026-12-31"));  // the bank got USD 115.00
        Assert.Equal(-500, await kit.Balance(7500, "2026-12-31"));    // USD 5.00 realised gain (credit)
        Assert.Equal(0, (await kit.TrialBalance("2026-12-31"))["difference"]!.GetValue<long>());
    }
}
