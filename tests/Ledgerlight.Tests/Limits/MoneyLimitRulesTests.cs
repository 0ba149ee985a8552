using Ledgerlight.Documents.Kernel;
using Ledgerlight.Ledger;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.InvoicePayables;
using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Platform;
using Ledgerlight.Receivables.Invoices;
using Xunit;
using L = Ledgerlight.Platform.Limits;

namespace Ledgerlight.Tests.Limits;

/// <summary>The pure money rules at the maximum amount and beyond it: exact at the bound, refused (never wrapped, never a 500) past it.</summary>
public class MoneyLimitRulesTests
{
    const long Max = L.MaxAmount;

    static string[] Paths(ApiException e) => e.Errors.Select(x => string.Join('.', x.Path!)).ToArray();

    [Fact]
    public void The_maximum_makes_any_document_sum_fit_in_int64()
    {
        // Each line's gross is at most net + tax = 2·Max; a full document of such lines stays below long.MaxValue.
        var worstDocument = checked(L.MaxLinesPerDocument * 2 * Max);
        Assert.True(worstDocument < long.MaxValue / 9, $"{worstDocument}");
        Assert.Equal(1_000_000_000_000_000_000, worstDocument);
    }

    [Fact]
    public void Bill_line_at_the_maximum_is_exact_and_beyond_it_is_a_field_error()
    {
        var v = new Validation();
        var amounts = BillLineRules.Compute(null, Max, Max, null, includeTax: false, v, "lineItems", 0);
        Assert.False(v.HasErrors);
        Assert.Equal(new EnteredAmounts(2 * Max, Max, Max), amounts);

        v = new Validation();
        Assert.Null(BillLineRules.Compute(null, Max + 1, null, 20m, includeTax: false, v, "lineItems", 0));
        Assert.Null(BillLineRules.Compute(null, long.MaxValue, long.MaxValue, null, includeTax: false, v, "lineItems", 1));
        var error = Assert.Throws<ApiException>(v.ThrowIfAny);
        Assert.Equal(400, error.Status);
        Assert.Equal(new[] { "lineItems.0.netAmount", "lineItems.1.netAmount", "lineItems.1.taxAmount" }, Paths(error));
    }

    [Fact]
    public void Credit_note_line_at_the_maximum_is_exact_and_beyond_it_is_a_field_error()
    {
        var v = new Validation();
        Assert.Equal(new EnteredAmounts(2 * Max, Max, Max), CreditNoteLineRules.Compute(null, Max, Max, null, false, v, "lines", 0));
        Assert.Null(CreditNoteLineRules.Compute(1L << 62, null, null, 20m, true, v, "lines", 0));
        Assert.Equal(new[] { "lines.0.grossTransactionAmount.amount" }, Paths(Assert.Throws<ApiException>(v.ThrowIfAny)));
    }

    [Fact]
    public void Purchase_order_line_math_stops_at_the_maximum()
    {
        Assert.Equal(new Ledgerlight.Payables.PurchaseOrders.LineAmounts(Max, Max / 5, Max + Max / 5), PurchaseOrderRules.Amounts(1m, Max, 20m));
        Assert.Null(PurchaseOrderRules.Amounts(1.000001m, Max, null));
        Assert.Null(PurchaseOrderRules.Amounts(1_000_000_000m, long.MaxValue, 20m));
    }

    [Fact]
    public void Invoice_line_price_times_decimal_quantity_beyond_the_maximum_is_a_422_at_quantity()
    {
        var atMax = LineMath.Price(Max / 4, 4m, null, 0m, Max, linesWithTax: false, "lines", 0);
        Assert.Equal(2 * Max, atMax.GrossAmount);
        var error = Assert.Throws<ApiException>(() => LineMath.Price(Max, 1.5m, null, 20m, null, false, "lines", 3));
        Assert.Equal(422, error.Status);
        Assert.Equal(new[] { "lines.3.quantity" }, Paths(error));
    }

    [Fact]
    public void Journal_entry_lines_are_bounded_per_amount_and_per_entry()
    {
        DirectedAmountRequest D(long amount) => new(amount, DcSign.Debit);
        JournalEntryLineRequest Line(long net, long? tax = null) =>
            new(D(net), null, tax is null ? null : D(tax.Value), null, null, null, null, null, null, null, null, null);

        var v = new Validation();
        var ok = JournalEntryRules.Normalize([Line(Max, Max)], linesWithTax: false, v);
        Assert.False(v.HasErrors);
        Assert.Equal(2 * Max, ok.Single().Gross);

        v = new Validation();
        JournalEntryRules.Normalize([Line(1L << 62), Line(1, long.MaxValue)], linesWithTax: false, v);
        Assert.Equal(new[] { "lines.0.netTransactionAmount.amount", "lines.1.taxAmount.amount" }, Paths(Assert.Throws<ApiException>(v.ThrowIfAny)));

        var tooMany = Assert.Throws<ApiException>(() => JournalEntryRules.Normalize(Enumerable.Repeat(Line(1), 501).ToList(), false, new Validation()));
        Assert.Equal(400, tooMany.Status);
        Assert.Single(tooMany.Errors);
    }

    [Fact]
    public void Posting_totals_beyond_int64_are_a_422_not_an_overflow()
    {
        var account = Guid.NewGuid();
        var lines = new List<PostingLine>
        {
            new(account, DcSign.Debit, long.MaxValue / 2 + 1), new(account, DcSign.Debit, long.MaxValue / 2 + 1),
            new(account, DcSign.Credit, 1),
        };
        var error = Assert.Throws<ApiException>(() => PostingRules.CheckBalanced(lines));
        Assert.Equal(422, error.Status);

        // Each side fits in the document currency and each line converts at a rate of 11; the local totals do not fit.
        var balanced = new List<PostingLine>
        {
            new(account, DcSign.Debit, long.MaxValue / 20), new(account, DcSign.Debit, long.MaxValue / 20),
            new(account, DcSign.Credit, long.MaxValue / 20), new(account, DcSign.Credit, long.MaxValue / 20),
        };
        PostingRules.CheckBalanced(balanced);
        var local = Assert.Throws<ApiException>(() => PostingRules.Convert(balanced, "EUR", "USD", 11m, "USD", 11m));
        Assert.Equal(422, local.Status);
        Assert.Contains("local currency", local.Message);
    }

    [Fact]
    public void Money_convert_beyond_int64_is_a_422_and_exact_below()
    {
        Assert.Equal(5_000 * Max, Money.Convert(Max, "EUR", "USD", 5_000m));
        var error = Assert.Throws<ApiException>(() => Money.Convert(Max, "USD", "IDR", 16_000m));
        Assert.Equal(422, error.Status);
        Assert.Equal(422, Assert.Throws<ApiException>(() => Money.Convert(long.MaxValue, "JPY", "KWD", 79_228_162_514m)).Status);
    }

    [Fact]
    public void Amount_checks_name_the_field_and_line_counts_refuse_with_one_error()
    {
        var v = new Validation();
        v.Amount(Max, "a");
        Assert.False(v.HasErrors);
        v.Amount(Max + 1, "b");
        v.Amount(-1, "c");
        v.SignedAmount(-Max - 1, "d");
        Assert.Equal(new[] { "b", "c", "d" }, Paths(Assert.Throws<ApiException>(v.ThrowIfAny)));

        L.LineCount(500, "lines");
        var error = Assert.Throws<ApiException>(() => L.LineCount(100_000, "lines"));
        Assert.Equal(400, error.Status);
        Assert.Equal("lines", Assert.Single(error.Errors).Path![0]);
        Assert.Equal(422, Assert.Throws<ApiException>(() => L.LinesAfterAdding(500, 1, "lines")).Status);
        Assert.Equal(422, Assert.Throws<ApiException>(() => L.Add(long.MaxValue, 1, "A balance")).Status);
    }
}
