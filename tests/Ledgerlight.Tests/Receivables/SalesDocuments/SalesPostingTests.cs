using Ledgerlight.Ledger;
using Ledgerlight.Receivables.SalesDocuments;
using Xunit;

namespace Ledgerlight.Tests.Receivables.SalesDocuments;

/// <summary>The posting lines of sales documents, without a database: one builder, the side decides debit and credit.</summary>
public class SalesPostingTests
{
    static readonly Guid Ar = Guid.NewGuid(), Revenue = Guid.NewGuid(), Tax = Guid.NewGuid(), Bank = Guid.NewGuid(), Gain = Guid.NewGuid(),
        Loss = Guid.NewGuid(), Line1 = Guid.NewGuid(), Line2 = Guid.NewGuid(), TaxCode = Guid.NewGuid();

    static readonly SalesPostingLine[] Lines =
    [
        new(Line1, Revenue, 1_000, Tax, 190, TaxCode, "VAT19", "Widget"),
        new(Line2, Revenue, 500, Tax, 0, null, null, "Service"),
    ];

    static long Sum(IEnumerable<PostingLine> lines, string side) => lines.Where(l => l.DcSign == side).Sum(l => l.Amount);

    [Fact]
    public void An_invoice_opening_debits_the_receivable_and_credits_revenue_and_tax()
    {
        var lines = SalesPosting.Lines(SalesSide.Invoice, Ar, 1_690, "Invoice", Lines, SalesPostingPaths.Invoice);
        Assert.Equal(4, lines.Count);
        Assert.Equal((Ar, DcSign.Debit, 1_690L), (lines[0].AccountId, lines[0].DcSign, lines[0].Amount));
        Assert.Equal((Revenue, DcSign.Credit, 1_000L, Line1), (lines[1].AccountId, lines[1].DcSign, lines[1].Amount, lines[1].DocumentLineId!.Value));
        Assert.Equal((Tax, DcSign.Credit, 190L, "VAT19"), (lines[2].AccountId, lines[2].DcSign, lines[2].Amount, lines[2].TaxCode));
        Assert.Equal((Revenue, DcSign.Credit, 500L), (lines[3].AccountId, lines[3].DcSign, lines[3].Amount));
        Assert.Equal(Sum(lines, DcSign.Debit), Sum(lines, DcSign.Credit));
        Assert.Equal(["lines", 0, "accountId"], lines[1].Path!);
        Assert.Equal(["lines", 0, "taxCodeId"], lines[2].Path!);
    }

    [Fact]
    public void A_customer_credit_posting_is_the_invoice_opening_with_debit_and_credit_swapped()
    {
        var invoice = SalesPosting.Lines(SalesSide.Invoice, Ar, 1_690, "Doc", Lines, SalesPostingPaths.Invoice);
        var credit = SalesPosting.Lines(SalesSide.Credit, Ar, 1_690, "Doc", Lines, SalesPostingPaths.Credit);
        Assert.Equal(invoice.Count, credit.Count);
        for (var i = 0; i < invoice.Count; i++)
        {
            Assert.Equal(invoice[i].AccountId, credit[i].AccountId);
            Assert.Equal(invoice[i].Amount, credit[i].Amount);
            Assert.Equal(DcSign.Flip(invoice[i].DcSign), credit[i].DcSign);
        }
        Assert.Equal(["lines", 0, "ledgerAccountId"], credit[1].Path!);
        Assert.Equal(["lines", 0, "ledgerTaxId"], credit[2].Path!);
    }

    [Fact]
    public void Zero_amounts_post_nothing()
    {
        var lines = SalesPosting.Lines(SalesSide.Invoice, Ar, 0, null, [new(Line1, Revenue, 0, Tax, 0, null, null, null)], SalesPostingPaths.Invoice);
        Assert.Single(lines);
    }

    [Fact]
    public void A_payment_without_rate_difference_debits_the_bank_and_credits_the_receivable()
    {
        foreach (var fx in new SettlementAmounts?[] { null, new(920, 920, 1_000, 1_000) })
        {
            var lines = SalesPosting.Payment(Bank, Ar, 1_000, "Payment", fx, Gain, Loss);
            Assert.Equal(2, lines.Count);
            Assert.Equal((Bank, DcSign.Debit, 1_000L), (lines[0].AccountId, lines[0].DcSign, lines[0].Amount));
            Assert.Equal((Ar, DcSign.Credit, 1_000L), (lines[1].AccountId, lines[1].DcSign, lines[1].Amount));
        }
    }

    [Fact]
    public void A_payment_at_a_better_rate_clears_the_receivable_at_its_booked_amount_and_books_a_gain()
    {
        // 1,000 USD cents booked at 0.90 (900 EUR cents), received at 0.95 (950): a realised gain of 50.
        var lines = SalesPosting.Payment(Bank, Ar, 1_000, "Payment", new SettlementAmounts(900, 950, 900, 950), Gain, Loss);
        var ar = lines.Single(l => l.AccountId == Ar);
        Assert.Equal((DcSign.Credit, 900L), (ar.DcSign, ar.LocalAmount!.Value));
        var bank = lines.Single(l => l.AccountId == Bank);
        Assert.Equal((DcSign.Debit, 950L), (bank.DcSign, bank.LocalAmount!.Value));
        var gain = lines.Single(l => l.AccountId == Gain);
        Assert.Equal((DcSign.Credit, 50L, 0L), (gain.DcSign, gain.LocalAmount!.Value, gain.Amount));
        Assert.DoesNotContain(lines, l => l.AccountId == Loss);
    }

    [Fact]
    public void A_payment_at_a_worse_rate_books_a_loss()
    {
        var lines = SalesPosting.Payment(Bank, Ar, 1_000, "Payment", new SettlementAmounts(900, 880, 900, 880), Gain, Loss);
        var loss = lines.Single(l => l.AccountId == Loss);
        Assert.Equal((DcSign.Debit, 20L), (loss.DcSign, loss.LocalAmount!.Value));
        var debits = lines.Where(l => l.DcSign == DcSign.Debit).Sum(l => l.LocalAmount!.Value);
        var credits = lines.Where(l => l.DcSign == DcSign.Credit).Sum(l => l.LocalAmount!.Value);
        Assert.Equal(debits, credits);
    }
}
