using Xunit;
using Ledgerlight.Documents.Kernel;
using Ledgerlight.Platform;

namespace Ledgerlight.Tests.Documents.Kernel;

public sealed class LineMathTests
{
    static readonly EnteredAmountPaths BillPaths = new(["amount"], ["netAmount"], ["taxAmount"]);

    [Fact]
    public void A_sales_line_with_tax_included_splits_the_gross_and_one_with_tax_added_adds_it()
    {
        // 3 × 9.99 with 10% off = 26.97 (26.973 rounded once), 19% contained in it.
        var inclusive = LineMath.Price(999, 3, new LineDiscount("PERCENTAGE", 10), 19m, null, linesWithTax: true);
        Assert.Equal(new PricedLine(999, 2997, 300, 2266, 431, 2697), inclusive);
        var exclusive = LineMath.Price(999, 3, null, 19m, null, linesWithTax: false);
        Assert.Equal(2997, exclusive.NetAmount);
        Assert.Equal(569, exclusive.TaxAmount); // 569.43 → 569
        Assert.Equal(3566, exclusive.GrossAmount);
    }

    [Fact]
    public void An_entered_gross_is_split_and_an_entered_net_is_grossed_up()
    {
        var v = new Validation();
        Assert.Equal(new EnteredAmounts(12000, 10000, 2000), LineMath.FromEntered(12000, null, null, 20m, withTax: true, BillPaths, v));
        Assert.Equal(new EnteredAmounts(12000, 10000, 2000), LineMath.FromEntered(null, 10000, null, 20m, withTax: true, BillPaths, v));
        Assert.Equal(new EnteredAmounts(10500, 10000, 500), LineMath.FromEntered(99, 10000, 500, 20m, withTax: false, BillPaths, v));
        Assert.False(v.HasErrors);
    }

    [Fact]
    public void Tax_above_the_gross_and_a_missing_amount_are_errors_at_their_paths()
    {
        var v = new Validation();
        Assert.Null(LineMath.FromEntered(100, null, 101, null, withTax: true, BillPaths, v));
        Assert.Null(LineMath.FromEntered(null, null, null, null, withTax: false, BillPaths, v));
        var errors = Assert.Throws<ApiException>(v.ThrowIfAny).Errors;
        Assert.Equal(["taxAmount"], errors[0].Path!);
        Assert.Contains("'taxAmount' cannot exceed", errors[0].Message);
        Assert.Equal(["netAmount"], errors[1].Path!);
    }

    [Fact]
    public void Rounding_is_half_away_from_zero_to_a_whole_minor_unit()
    {
        Assert.Equal(3, LineMath.RoundToMinor(2.5m));
        Assert.Equal(-3, LineMath.RoundToMinor(-2.5m));
        Assert.Throws<OverflowException>(() => LineMath.RoundToMinor(decimal.MaxValue));
    }
}
