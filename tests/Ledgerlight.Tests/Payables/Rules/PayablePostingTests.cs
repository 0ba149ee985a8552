using Ledgerlight.Ledger;
using Ledgerlight.Payables.PayableDocuments;
using Xunit;

namespace Ledgerlight.Tests.Payables.Rules;

/// <summary>Bill and credit note posting lines, no database: the same lines with the sides swapped.</summary>
public class PayablePostingTests
{
    static readonly Guid Ap = Guid.NewGuid(), Expense = Guid.NewGuid(), Rent = Guid.NewGuid(), Vat = Guid.NewGuid(), InputTax = Guid.NewGuid();
    static readonly Guid VatCode = Guid.NewGuid();
    static readonly PostingPaths BillPaths = new("lineItems", "accountId", "taxAmount");

    static readonly PostableLine[] Lines =
    [
        new(Guid.NewGuid(), Expense, 10000, 2000, "Paper", VatCode),
        new(Guid.NewGuid(), Rent, 50000, 0, "Rent", null, CostCenterId: Guid.NewGuid()),
        new(Guid.NewGuid(), Expense, 0, 300, "Tax only", null),
    ];

    static readonly Dictionary<Guid, Guid> TaxAccounts = new() { [VatCode] = Vat, [Guid.Empty] = InputTax };

    [Fact]
    public void A_bill_debits_each_net_and_its_input_tax_and_credits_payables_with_the_gross_last()
    {
        var lines = PayablePosting.Lines(PayableSide.Bill, Ap, "Invoice 7", Lines, TaxAccounts, BillPaths);
        Assert.Equal(
        [
            (Expense, DcSign.Debit, 10000L), (Vat, DcSign.Debit, 2000L), (Rent, DcSign.Debit, 50000L), (InputTax, DcSign.Debit, 300L),
            (Ap, DcSign.Credit, 62300L),
        ], lines.Select(l => (l.AccountId, l.DcSign, l.Amount)));
        Assert.Equal(PayablePosting.ApLineIndex(PayableSide.Bill, lines.Count), lines.Count - 1);
        Assert.Equal(["lineItems", 0, "accountId"], lines[0].Path);
        Assert.Equal(["lineItems", 0, "taxAmount"], lines[1].Path);
        Assert.Equal(["amount"], lines[^1].Path);
        Assert.Equal(Lines[1].CostCenterId, lines[2].CostCenterId);
        Assert.Equal(VatCode, lines[1].TaxId);
        Assert.Equal("Invoice 7", lines[^1].Description);
    }

    [Fact]
    public void A_credit_note_is_the_same_with_the_sides_swapped_and_payables_first()
    {
        var bill = PayablePosting.Lines(PayableSide.Bill, Ap, "x", Lines, TaxAccounts, BillPaths);
        var note = PayablePosting.Lines(PayableSide.CreditNote, Ap, "x", Lines, TaxAccounts, new("lines", "ledgerAccountId", "taxTransactionAmount"));
        Assert.Equal(0, PayablePosting.ApLineIndex(PayableSide.CreditNote, note.Count));
        Assert.Equal((Ap, DcSign.Debit, 62300L), (note[0].AccountId, note[0].DcSign, note[0].Amount));
        Assert.Equal(bill.Take(bill.Count - 1).Select(l => (l.AccountId, DcSign.Flip(l.DcSign), l.Amount)),
            note.Skip(1).Select(l => (l.AccountId, l.DcSign, l.Amount)));
        Assert.Equal(["lines", 0, "ledgerAccountId"], note[1].Path);
        Assert.Equal(["lines", 0, "taxTransactionAmount"], note[2].Path);
    }

    [Fact]
    public void Debits_equal_credits_for_either_side()
    {
        foreach (var side in new[] { PayableSide.Bill, PayableSide.CreditNote })
        {
            var lines = PayablePosting.Lines(side, Ap, null, Lines, TaxAccounts, BillPaths);
            Assert.Equal(lines.Where(l => l.DcSign == DcSign.Debit).Sum(l => l.Amount), lines.Where(l => l.DcSign == DcSign.Credit).Sum(l => l.Amount));
        }
    }
}
