using System.Text.Json.Nodes;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Ledgerlight.Tests.Payables;
using Ledgerlight.Tests.Spend.CardTransactions;
using Ledgerlight.Tests.Spend.Expenses;
using Xunit;
using static Ledgerlight.Tests.Spend.SpendKit;

namespace Ledgerlight.Tests.Spend;

/// <summary>
/// One month of a company's spend end to end, through the API only: card purchases coded, receipted, posted and corrected,
/// an employee's expenses reimbursed; at the end the books balance and agree with the balance account's statement.
/// </summary>
public class MonthOfSpendTests(ApiServer server) : IClassFixture<ApiServer>
{
    const int Card = 1300, Reimbursements = 2300;
    const string Forever = "2099-12-31";

    static string Status(JsonNode t) => t["status"]!.GetValue<string>();
    static long Long(JsonNode n, string name) => n[name]!.GetValue<long>();

    [Fact]
    public async Task A_month_of_card_spend_and_reimbursed_expenses_leaves_the_books_balanced_and_the_card_account_on_its_statement()
    {
        var tenant = await server.CreateTenantAsync($"Month of spend {Guid.NewGuid():N}", "USD");
        var ledger = new LedgerTestKit(tenant.Admin);
        var account = await PrimaryAccountAsync(tenant);
        await FundAsync(tenant, account, 100_000, date: "2026-01-01");
        var employee = await ExpenseKit.EmployeeAsync(server, tenant, "USD");
        var card = await CardAsync(tenant, account, employee.UserId, [new { amount = 20_000, interval = "PER_TRANSACTION" }]);
        Assert.Equal(employee.UserId, card["ownerId"]!.GetValue<string>());
        var kit = new CardTransactionKit(server, tenant, account, card.Id());

        // A coded purchase with its receipt: net to travel, tax to input VAT, the gross off the card account.
        var hotel = await kit.CapturedAsync(12_000, "2026-01-05T10:00:00Z");
        (await kit.PatchAsync($"/v1/card-transactions/{hotel}/lines/{await kit.LineIdAsync(hotel)}",
            new { accountId = await kit.AccountIdAsync(6300), taxCodeId = await kit.TaxCodeAsync("STANDARD") })).AssertOk();
        var receipt = await kit.AttachReceiptAsync(hotel, ExpenseKit.TextPdf("Hotel", "Total 120.00"));
        Assert.Equal(receipt["key"]!.GetValue<string>(), (await kit.GetAsync(hotel))["receiptDocumentKey"]!.GetValue<string>());
        Assert.Equal("POSTED", Status((await kit.PostAsync(hotel)).AssertOk()));
        Assert.Equal(new[] { (1600, "D", 2_000L), (6300, "D", 10_000L), (Card, "C", 12_000L) }, await kit.LedgerLinesAsync(hotel));

        // A foreign purchase settles in USD; posted, reset, recoded and posted again, the ledger keeps only the last coding.
        var foreign = await AuthorizeAsync(server, tenant, kit.Card, 4_250, "EUR", "2026-01-15T10:00:00Z");
        Assert.Equal((4_250L, "EUR"), (Long(foreign, "originalAmount"), foreign["originalCurrency"]!.GetValue<string>()));
        var foreignUsd = Long(foreign, "amount");
        await SettleAsync(server, tenant, "CAPTURE", foreign.Id());
        (await kit.PostAsync(foreign.Id())).AssertOk();
        var reset = (await kit.ResetAsync(foreign.Id())).AssertOk();
        Assert.Equal(("CAPTURED", "ALL_EDITS_ALLOWED"), (Status(reset), reset["editStatus"]!.GetValue<string>()));
        (await kit.PatchAsync($"/v1/card-transactions/{foreign.Id()}/lines/{await kit.LineIdAsync(foreign.Id())}",
            new { accountId = await kit.AccountIdAsync(6400) })).AssertOk();
        Assert.Equal("POSTED", Status((await kit.PostAsync(foreign.Id())).AssertOk()));
        // The first posting and its reversal cancel out: per account, only Dr travel / Cr card in USD remain.
        var foreignNet = (await kit.LedgerLinesAsync(foreign.Id())).GroupBy(l => l.Code)
            .Select(g => (Code: g.Key, Net: g.Sum(l => l.Dc == "D" ? l.Amount : -l.Amount))).Where(a => a.Net != 0).OrderBy(a => a.Code);
        Assert.Equal(new[] { (Card, -foreignUsd), (6400, foreignUsd) }, foreignNet);

        // Over the card's limit: declined with the limit as the reason, nothing reserved, nothing to post.
        var available = Long(await BalanceAsync(tenant, account), "available");
        var declined = await AuthorizeAsync(server, tenant, kit.Card, 25_000, performedAt: "2026-01-20T10:00:00Z");
        Assert.Equal(("DECLINED", "AMOUNT_LIMIT_EXCEEDED"), (Status(declined), declined["transactionReason"]!.GetValue<string>()));
        Assert.Equal(available, Long(await BalanceAsync(tenant, account), "available"));
        (await kit.PostAsync(declined.Id())).AssertError(409, "CONFLICT");
        Assert.Empty(await kit.LedgerLinesAsync(declined.Id()));

        // A purchase refunded in full (both on the default expense account): the refund posts the payment's mirror, the card account is whole again.
        var returned = await kit.CapturedAsync(3_000, "2026-01-22T10:00:00Z");
        (await kit.PostAsync(returned)).AssertOk();
        var refund = await kit.RefundAsync(returned, 3_000, "2026-01-25T10:00:00Z");
        Assert.Equal("POSTED", Status((await kit.PostAsync(refund)).AssertOk()));
        var mirror = (await kit.LedgerLinesAsync(returned)).Select(l => (l.Code, l.Dc == "D" ? "C" : "D", l.Amount)).OrderByDescending(l => l.Item2)
            .ThenBy(l => l.Code).ThenBy(l => l.Amount);
        Assert.Equal(mirror, await kit.LedgerLinesAsync(refund));

        // The balance account's January statement and the card ledger account tell the same story.
        var statement = (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{account}/statement?from=2026-01-01&to=2026-01-31")).AssertOk();
        Assert.Equal(100_000 - 12_000 - foreignUsd, Long(statement, "closingBalance"));
        var movements = statement["transactions"]!.AsArray().ToDictionary(l => l!["providerId"]!.GetValue<string>(), l => l!["direction"]!.GetValue<string>());
        Assert.DoesNotContain(declined.Id(), movements.Keys);
        Assert.Equal(("DEBIT", "CREDIT"), (movements[returned], movements[refund]));
        Assert.Equal(Long(statement, "closingBalance"), await ledger.Balance(Card, Forever));
        Assert.Equal(Long(statement, "closingBalance"), Long(await BalanceAsync(tenant, account), "available"));

        // The employee's two expenses become one reimbursement bill: approved, posted and paid.
        foreach (var (amount, date) in new[] { (4_000L, "2026-01-10"), (1_500L, "2026-01-18") })
        {
            var expense = ExpenseKit.Id(await ExpenseKit.ExpenseAsync(employee.Api));
            (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{expense}", new { performedDate = date })).AssertOk();
            (await employee.Api.PostAsync($"/v1/expenses/{expense}/line-items", new { originalAmount = amount, description = $"Taxi {date}" })).AssertOk();
        }
        var reimbursement = (await employee.Api.PostAsync("/v1/expenses/submit")).AssertOk();
        var bill = (await tenant.Admin.GetAsync("/v1/bff/invoice-payables?limit=200")).AssertOk()["records"]!.AsArray()
            .Single(b => b!["metadata"]!["userId"]?.GetValue<string>() == employee.UserId)!;
        var billId = BillKit.Id(bill);
        var approved = (await tenant.Admin.PostAsync($"/v1/invoice-payables/{billId}/approve", new { note = "ok" })).AssertOk();
        if (BillKit.State(approved) != "UNPAID") approved = (await tenant.Admin.PostAsync($"/v1/invoice-payables/{billId}/post")).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(approved));
        Assert.Equal(-5_500, await ledger.Balance(Reimbursements, Forever));
        Assert.Equal("PAID", BillKit.State((await tenant.Admin.PostAsync($"/v1/invoice-payables/{billId}/mark-as-paid",
            new { paymentOption = "FULL" })).AssertOk()));
        var latest = (await tenant.Admin.GetAsync($"/v1/users/{employee.UserId}/reimbursements/latest")).AssertOk();
        Assert.Equal((reimbursement.Id(), "SUCCEEDED"), (latest.Id(), Status(latest)));

        // Month end: the books balance, the employee is owed nothing, the card account still matches its statement.
        var trialBalance = await ledger.TrialBalance(Forever);
        Assert.Equal(0, Long(trialBalance, "difference"));
        Assert.Equal(Long(trialBalance, "totalDebit"), Long(trialBalance, "totalCredit"));
        Assert.Equal(0, trialBalance["accounts"]!.AsArray().Sum(a => Long(a!, "balance")));
        Assert.Equal(0, await ledger.Balance(Reimbursements, Forever));
        Assert.Equal(Long(statement, "closingBalance"), await ledger.Balance(Card, Forever));
    }
}
