using Ledgerlight.Platform;
using Ledgerlight.Receivables.Invoices;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Invoices;

/// <summary>The sales invoice state machine and its guards, without a database.</summary>
public class InvoiceLifecycleTests
{
    [Theory]
    [InlineData("DRAFT", InvoiceAction.Open, "OPEN")]
    [InlineData("OPEN", InvoiceAction.Reset, "DRAFT")]
    [InlineData("DRAFT", InvoiceAction.Archive, "ARCHIVED")]
    [InlineData("OPEN", InvoiceAction.Archive, "ARCHIVED")]
    [InlineData("ARCHIVED", InvoiceAction.Unarchive, "DRAFT")]
    [InlineData("DRAFT", InvoiceAction.Edit, "DRAFT")]
    [InlineData("PARTIALLY_PAID", InvoiceAction.ReceivePayment, "PARTIALLY_PAID")]
    public void Allowed_actions_lead_to_their_state(string from, InvoiceAction action, string expected) =>
        Assert.Equal(expected, InvoiceLifecycle.Next(from, 0, action));

    [Theory]
    [InlineData("OPEN", InvoiceAction.Open, 409)]
    [InlineData("OPEN", InvoiceAction.Edit, 409)]
    [InlineData("DRAFT", InvoiceAction.Reset, 409)]
    [InlineData("PAID", InvoiceAction.Archive, 409)]
    [InlineData("ARCHIVED", InvoiceAction.ReceivePayment, 409)]
    [InlineData("DRAFT", InvoiceAction.ReceivePayment, 409)]
    [InlineData("DRAFT", InvoiceAction.Unarchive, 400)]
    public void Refusals_name_the_state_with_the_documented_status(string from, InvoiceAction action, int status)
    {
        var e = Assert.Throws<ApiException>(() => InvoiceLifecycle.Next(from, 0, action));
        Assert.Equal(status, e.Status);
        Assert.Contains(from, e.Message);
    }

    [Theory]
    [InlineData(InvoiceAction.Reset)]
    [InlineData(InvoiceAction.Archive)]
    public void An_open_invoice_with_payments_keeps_its_posting(InvoiceAction action)
    {
        var e = Assert.Throws<ApiException>(() => InvoiceLifecycle.Next("OPEN", 1, action));
        Assert.Equal(409, e.Status);
        Assert.Contains("has payments recorded", e.Message);
        Assert.Contains("has payments recorded", Assert.Throws<ApiException>(() => InvoiceLifecycle.Next("PARTIALLY_PAID", 0, action)).Message);
    }

    [Theory]
    [InlineData(0, 100, "OPEN")]
    [InlineData(1, 100, "PARTIALLY_PAID")]
    [InlineData(100, 100, "PAID")]
    public void The_state_follows_what_is_cleared(long paid, long amount, string expected) =>
        Assert.Equal(expected, InvoiceLifecycle.AfterClearing(paid, amount));

    [Fact]
    public void Draft_and_archived_drop_the_opening_posting()
    {
        Assert.True(InvoiceLifecycle.DropsPosting("DRAFT"));
        Assert.True(InvoiceLifecycle.DropsPosting("ARCHIVED"));
        Assert.False(InvoiceLifecycle.DropsPosting("OPEN"));
    }
}
