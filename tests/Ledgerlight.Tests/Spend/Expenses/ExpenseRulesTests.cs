using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Spend.Expenses;
using Xunit;

namespace Ledgerlight.Tests.Spend.Expenses;

/// <summary>The expense rules without a database: lifecycle, conversion, reimbursement status, access, the receipt reader.</summary>
public class ExpenseRulesTests
{
    [Theory]
    [InlineData("PENDING_UPLOAD", ExpenseAction.Activate, "CREATED")]
    [InlineData("CREATED", ExpenseAction.Edit, "IN_DRAFT")]
    [InlineData("IN_DRAFT", ExpenseAction.Edit, "IN_DRAFT")]
    [InlineData("CREATED", ExpenseAction.Submit, "SUBMITTED_FOR_REVIEW")]
    [InlineData("IN_DRAFT", ExpenseAction.Cancel, "CANCELLED")]
    public void Allowed_transitions_lead_where_the_lifecycle_says(string from, ExpenseAction action, string to) =>
        Assert.Equal(to, ExpenseLifecycle.Next(from, action));

    [Theory]
    [InlineData("SUBMITTED_FOR_REVIEW", ExpenseAction.Edit)]
    [InlineData("SUBMITTED_FOR_REVIEW", ExpenseAction.Cancel)]
    [InlineData("CANCELLED", ExpenseAction.Edit)]
    [InlineData("CANCELLED", ExpenseAction.Submit)]
    [InlineData("PENDING_UPLOAD", ExpenseAction.Edit)]
    [InlineData("CREATED", ExpenseAction.Activate)]
    public void Other_transitions_are_a_conflict(string from, ExpenseAction action)
    {
        var refused = Assert.Throws<ApiException>(() => ExpenseLifecycle.Next(from, action));
        Assert.Equal(409, refused.Status);
    }

    [Fact]
    public void Billing_amount_is_the_given_one_else_the_original_converted()
    {
        Assert.Equal(999, ExpenseConversion.Billing(10_000, 999, "EUR", "USD", 1.1m));
        Assert.Equal(11_000, ExpenseConversion.Billing(10_000, null, "EUR", "USD", 1.1m));
        Assert.Equal(10_000, ExpenseConversion.Billing(10_000, null, "USD", "USD", null)); // same currency needs no rate
        Assert.Null(ExpenseConversion.Billing(10_000, null, "EUR", "USD", null)); // no date or no rate yet
        Assert.Null(ExpenseConversion.Billing(null, null, "USD", "USD", 1m));
        Assert.Equal(1_637, ExpenseConversion.Billing(1_000, null, "EUR", "JPY", 163.7m)); // EUR cents → whole yen
        Assert.Equal(1_235, ExpenseConversion.Billing(1_000, null, "EUR", "USD", 1.2345m)); // 12.345 rounds half away from zero
    }

    [Theory]
    [InlineData(null, "IN_PROGRESS", "IN_PROGRESS")]
    [InlineData("IN_DRAFT", "IN_PROGRESS", "IN_PROGRESS")]
    [InlineData("UNPAID", "IN_PROGRESS", "IN_PROGRESS")]
    [InlineData("PARTIALLY_PAID", "IN_PROGRESS", "IN_PROGRESS")]
    [InlineData("PAID", "IN_PROGRESS", "SUCCEEDED")]
    [InlineData("COMPLETED", "IN_PROGRESS", "SUCCEEDED")]
    [InlineData("DECLINED", "IN_PROGRESS", "REJECTED")]
    [InlineData("CANCELLED", "IN_PROGRESS", "FAILED")]
    [InlineData("RESET_PENDING", "IN_PROGRESS", "RESET")]
    public void Reimbursement_status_follows_its_bill(string? billState, string stored, string expected) =>
        Assert.Equal(expected, ReimbursementStatus.Of(billState, stored));

    static Principal Caller(string role, Guid? user) => new(Guid.NewGuid(), Guid.NewGuid(), CredentialKind.ApiKey, role, user, "k");

    [Fact]
    public void A_user_sees_and_changes_their_own_expenses_and_payables_roles_everyones()
    {
        var owner = Guid.NewGuid();
        Assert.True(ExpenseAccess.Sees(Caller(Roles.Viewer, owner), owner));
        Assert.True(ExpenseAccess.MayChange(Caller(Roles.Viewer, owner), owner));
        Assert.False(ExpenseAccess.Sees(Caller(Roles.Viewer, Guid.NewGuid()), owner));
        Assert.True(ExpenseAccess.Sees(Caller(Roles.ApClerk, Guid.NewGuid()), owner));
        Assert.True(ExpenseAccess.MayChange(Caller(Roles.Admin, null), owner));
        Assert.True(ExpenseAccess.Sees(Caller(Roles.Viewer, null), owner)); // a company key reads everything
        Assert.False(ExpenseAccess.MayChange(Caller(Roles.Viewer, null), owner));
        Assert.Equal(403, Assert.Throws<ApiException>(() => ExpenseAccess.EnsureMayChange(Caller(Roles.Accountant, null), owner)).Status);
    }

    [Fact]
    public void A_text_pdf_yields_its_total_date_and_currency()
    {
        var facts = ReceiptScan.Scan(ExpenseKit.TextPdf("Hotel Adler", "12.03.2024", "Room 1.234,00", "Total: 1.289,50 EUR"));
        Assert.Equal(new ReceiptFacts(128_950, "EUR", new DateOnly(2024, 3, 12)), facts);
        Assert.Equal(new ReceiptFacts(4_200, "USD", new DateOnly(2025, 7, 4)), ReceiptScan.Scan(ExpenseKit.TextPdf("2025-07-04", "Grand Total $42.00")));
    }

    [Fact]
    public void An_invoice_pdf_of_our_own_is_read_through_its_compressed_streams()
    {
        var facts = ReceiptScan.Scan(Ledgerlight.Documents.Pdf.SalesDocumentPdf.Render(Documents.Pdf.PdfSamples.Invoice()));
        Assert.NotNull(facts.Total);
        Assert.Equal("USD", facts.Currency);
    }

    [Fact]
    public void Anything_else_yields_nothing()
    {
        Assert.Equal(ReceiptFacts.None, ReceiptScan.Scan("not a pdf (Total 12.00 EUR)"u8));
        Assert.Equal(ReceiptFacts.None, ReceiptScan.Scan("%PDF-1.7\n4 0 obj << /Filter /FlateDecode >> stream\nx\u009c\u0003\u0000endstream"u8));
        Assert.Equal(ReceiptFacts.None, ReceiptScan.Scan(ExpenseKit.TextPdf("Thank you")));
    }
}
