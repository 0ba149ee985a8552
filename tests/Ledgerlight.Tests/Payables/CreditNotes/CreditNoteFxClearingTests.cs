using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Payables.CreditNotes;

/// <summary>A foreign-currency credit note cleared against a bill booked at another rate books the realised difference.</summary>
public class CreditNoteFxClearingTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_note_booked_higher_than_its_bill_clears_with_a_realised_loss_and_the_ledger_balances()
    {
        var kit = new LedgerTestKit(server.Admin);
        var vendor = await BillKit.Vendor(server.Admin, "FX Note Vendor");
        // EUR 100.00 bill booked at 1.10 (USD 110.00); EUR 40.00 credit note booked at 1.20 (USD 48.00).
        var bill = BillKit.Id(await BillKit.Bill(server.Admin, new
        {
            vendorId = vendor, currency = "EUR", invoiceNumber = $"FX-{Guid.NewGuid():N}", issuedDate = "2026-04-01",
            localCurrencyFxRateOverride = 1.1, groupCurrencyFxRateOverride = 1.1, lineItems = new[] { new { netAmount = 10_000 } },
        }));
        Assert.Equal("UNPAID", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/post")).AssertOk()));
        var note = (await CreditNoteKit.Note(server.Admin, new
        {
            businessPartnerId = vendor, currency = "EUR", documentDate = "2026-04-10", localCurrencyFxRateOverride = 1.2, groupCurrencyFxRateOverride = 1.2,
            lines = new[] { new { netTransactionAmount = new { amount = 4_000, dcSign = "C" } } },
        }))["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/post")).AssertOk();

        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 4_000 })).AssertOk();
        var clearing = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments")).AssertOk().AsArray()
            .Single(p => p!["payment"]!["type"]!.GetValue<string>() == "CN")!;
        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{clearing["id"]!.GetValue<string>()}&limit=50"))
            .AssertOk()["records"]!.AsArray();
        // Dr AP USD 44.00 for the bill's share, Cr AP USD 48.00 for the note's: USD 4.00 realised loss.
        var fx = Assert.Single(lines, l => l!["description"]!.GetValue<string>().StartsWith("Realised exchange rate"));
        Assert.Equal("Realised exchange rate loss", fx!["description"]!.GetValue<string>());
        Assert.Equal(("D", 400L), (fx["amounts"]!["dcSign"]!.GetValue<string>(), fx["amounts"]!["localAmount"]!.GetValue<long>()));
        var ap = lines.Where(l => l!["accountCode"]!.GetValue<int>() == 2000)
            .Select(l => (l!["amounts"]!["dcSign"]!.GetValue<string>(), l["amounts"]!["localAmount"]!.GetValue<long>())).OrderBy(x => x.Item1).ToList();
        Assert.Equal([("C", 4_800L), ("D", 4_400L)], ap);

        Assert.Equal(0, (await kit.TrialBalance("2026-12-31"))["difference"]!.GetValue<long>());
        Assert.Equal(0, (await kit.TrialBalance())["difference"]!.GetValue<long>());
        // What is left open on AP is the bill's remaining EUR 60.00 at its own rate: USD 66.00.
        Assert.Equal(-6_600, await kit.Balance(2000, "2026-12-31"));
        Assert.Equal("CLEARED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());

        // Unlinking reverses the clearing, FX line included: AP is back to the two documents' own amounts.
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{note}/invoice-payables/{bill}")).AssertOk();
        Assert.Equal(0, (await kit.TrialBalance())["difference"]!.GetValue<long>());
        Assert.Equal(-11_000 + 4_800, await kit.Balance(2000, "2026-12-31"));
    }
}
