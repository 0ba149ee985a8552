using Ledgerlight.Platform;
using Ledgerlight.Spend.Expenses;
using Xunit;

namespace Ledgerlight.Tests.Spend.Expenses;

/// <summary>The reimbursement's bill without a database: what must hold before a submit, and the bill the expenses make.</summary>
public class ReimbursementBillTests
{
    static readonly DateOnly Today = new(2026, 2, 1);

    static ExpenseRow Expense(DateOnly? performed = null, string currency = "USD") => new()
    {
        Id = Guid.NewGuid(), CompanyId = Guid.NewGuid(), UserId = Guid.NewGuid(), OriginalCurrency = currency, BillingCurrency = currency,
        PerformedDate = performed ?? new DateOnly(2026, 1, 10), Status = ExpenseState.InDraft,
    };

    static ExpenseLineRow Line(ExpenseRow e, long? billing, string? description = null) =>
        new() { Id = Guid.NewGuid(), ExpenseId = e.Id, OriginalAmount = billing, BillingAmount = billing, Description = description };

    [Fact]
    public void Every_expense_line_becomes_one_net_bill_line_in_the_billing_currency()
    {
        var (a, b) = (Expense(), Expense());
        var lines = new[] { Line(b, 300), Line(a, 1_000, "Hotel"), Line(a, 200) };
        var (bill, paid) = ReimbursementBill.Request([a, b], lines, Today);
        Assert.Equal("USD", bill.Currency);
        Assert.Null(bill.VendorId);
        Assert.Equal(Today, bill.IssuedDate);
        Assert.Equal([1_000L, 200L, 300L], bill.LineItems!.Select(l => l.NetAmount!.Value));
        Assert.All(bill.LineItems!, l => Assert.Equal(0, l.TaxAmount));
        Assert.Equal("Hotel", bill.LineItems![0].Description);
        Assert.Equal("Expense of 2026-01-10", bill.LineItems![1].Description);
        Assert.Equal([lines[1].Id, lines[2].Id, lines[0].Id], paid.Select(l => l.Id)); // the bill's line order
    }

    [Fact]
    public void Nothing_pending_is_unprocessable() =>
        Assert.Equal(422, Assert.Throws<ApiException>(() => ReimbursementBill.Request([], [], Today)).Status);

    [Fact]
    public void Incomplete_expenses_are_named_by_path()
    {
        var undated = Expense();
        undated.PerformedDate = null;
        var empty = Expense();
        var unconverted = Expense();
        var refused = Assert.Throws<ApiException>(() => ReimbursementBill.Request([undated, empty, unconverted],
            [Line(undated, 5), Line(unconverted, null)], Today));
        Assert.Equal(422, refused.Status);
        var paths = refused.Errors.Select(e => string.Join('.', e.Path!)).ToList();
        Assert.Equal(["expenses.0.performedDate", "expenses.1.lineItems", "expenses.2.lineItems.0.billingAmount"], paths);
    }

    [Fact]
    public void Expenses_billed_in_several_currencies_cannot_share_a_bill()
    {
        var (usd, eur) = (Expense(), Expense(currency: "EUR"));
        var refused = Assert.Throws<ApiException>(() => ReimbursementBill.Request([usd, eur], [Line(usd, 1), Line(eur, 1)], Today));
        Assert.Contains(refused.Errors, e => e.Message.Contains("several currencies"));
    }
}
