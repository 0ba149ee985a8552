using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Payables.Rules;

/// <summary>What bills and credit notes share about their headers, no database.</summary>
public class PayableHeaderRulesTests
{
    [Fact]
    public void With_lines_the_amount_is_their_sum_and_a_different_one_is_refused()
    {
        Assert.Equal(300, PayableAmounts.FromLines(null, [100, 200], "lines"));
        Assert.Equal(300, PayableAmounts.FromLines(300, [100, 200], "lines"));
        Assert.Equal(999, PayableAmounts.FromLines(999, [], "lines"));
        Assert.Null(PayableAmounts.FromLines(null, [], "lines"));
        var refused = Assert.Throws<ApiException>(() => PayableAmounts.FromLines(301, [100, 200], "line items"));
        Assert.Equal((422, "'amount' 301 does not equal the sum of the line items 300"), (refused.Status, refused.Message));
    }

    [Fact]
    public void Header_checks_name_each_field_and_the_number_field_of_the_document()
    {
        var v = new Validation();
        PayableHeaderRules.Check(v, new PayableHeader("EURO", null, new string('x', 256), null, 0m, -1m, null), "documentNumber");
        var refused = Assert.Throws<ApiException>(() => v.ThrowIfAny());
        var fields = refused.Errors.Select(e => string.Join('.', e.Path ?? [])).ToList();
        Assert.Contains("currency", fields);
        Assert.Contains("documentNumber", fields);
        Assert.Contains("localCurrencyFxRateOverride", fields);
        Assert.Contains("groupCurrencyFxRateOverride", fields);
        var ok = new Validation();
        PayableHeaderRules.Check(ok, new PayableHeader("EUR", 100, "N-1", "d", 1.1m, null, null), "invoiceNumber");
        ok.ThrowIfAny();
    }
}
