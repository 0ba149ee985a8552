using Ledgerlight.Platform;
using Ledgerlight.Receivables.CustomerCredits;
using Xunit;

namespace Ledgerlight.Tests.Receivables.CustomerCredits;

/// <summary>The credit's state rules and application amounts, without a database.</summary>
public class CustomerCreditRulesTests
{
    [Theory]
    [InlineData(null, 1_000, 400, 400)]   // omitted: what is open on both sides
    [InlineData(null, 300, 400, 300)]
    [InlineData(250L, 1_000, 400, 250)]
    [InlineData(400L, 400, 400, 400)]
    public void Applies_the_requested_amount_or_what_is_open_on_both_sides(long? requested, long creditOpen, long invoiceOpen, long expected) =>
        Assert.Equal(expected, CustomerCreditStates.AmountToApply(requested, creditOpen, invoiceOpen, "USD"));

    [Theory]
    [InlineData(401L, 1_000, 400, 422)]   // over the invoice
    [InlineData(301L, 300, 1_000, 422)]   // over the credit
    [InlineData(null, 0, 400, 422)]       // nothing left
    [InlineData(0L, 100, 100, 400)]
    [InlineData(-5L, 100, 100, 400)]
    public void Over_application_and_non_positive_amounts_are_refused_at_amount(long? requested, long creditOpen, long invoiceOpen, int status)
    {
        var e = Assert.Throws<ApiException>(() => CustomerCreditStates.AmountToApply(requested, creditOpen, invoiceOpen, "USD"));
        Assert.Equal(status, e.Status);
        Assert.Equal("amount", e.Errors[0].Path![0]);
    }

    [Theory]
    [InlineData(0, 100, "POSTED")]
    [InlineData(1, 100, "PARTIALLY_CLEARED")]
    [InlineData(100, 100, "CLEARED")]
    public void Status_follows_the_applied_amount(long applied, long amount, string expected) =>
        Assert.Equal(expected, CustomerCreditLifecycle.AfterApplication(applied, amount));

    [Fact]
    public void Transitions_name_the_current_state()
    {
        Assert.Contains("POSTED", Assert.Throws<ApiException>(() => CustomerCreditLifecycle.Machine.Ensure("POSTED", CustomerCreditAction.Edit)).Message);
        Assert.Equal(409, Assert.Throws<ApiException>(() => CustomerCreditLifecycle.Next("ARCHIVED", CustomerCreditAction.Post)).Status);
        Assert.Equal(409, Assert.Throws<ApiException>(() => CustomerCreditLifecycle.Next("PARTIALLY_CLEARED", CustomerCreditAction.Archive)).Status);
        Assert.Equal(400, Assert.Throws<ApiException>(() => CustomerCreditLifecycle.Next("DRAFT", CustomerCreditAction.Unarchive)).Status);
        Assert.Contains("DRAFT", Assert.Throws<ApiException>(() => CustomerCreditLifecycle.Machine.Ensure("DRAFT", CustomerCreditAction.Link)).Message);
        CustomerCreditLifecycle.Machine.Ensure("CLEARED", CustomerCreditAction.Link);
        Assert.Equal("ARCHIVED", CustomerCreditLifecycle.Next("POSTED", CustomerCreditAction.Archive));
    }

    [Theory]
    [InlineData("OPEN", "POSTED")]
    [InlineData("PARTIALLY_PAID", "PARTIALLY_CLEARED")]
    [InlineData("PAID", "CLEARED")]
    [InlineData("DRAFT", "DRAFT")]
    public void Invoice_states_map_to_accounting_document_statuses(string state, string expected) =>
        Assert.Equal(expected, CustomerCreditStates.InvoiceDocumentStatus(state));
}
