using Ledgerlight.Documents.Kernel;
using Ledgerlight.Platform;
using Ledgerlight.Receivables.Products;
using Ledgerlight.Receivables.SalesDocuments;
using Xunit;

namespace Ledgerlight.Tests.Receivables.SalesDocuments;

/// <summary>Sales-line pricing rules and the completeness check before posting, without a database.</summary>
public class SalesLineRulesTests
{
    static ProductRow Product(string state = "ACTIVE") => new() { Id = Guid.NewGuid(), State = state, Pricings = """[{"currency":"USD","amount":1250}]""" };

    static SalesLineInput Input(decimal quantity = 2, long? price = null, long? taxOverride = null) =>
        new(Guid.NewGuid(), quantity, null, null, null, price, taxOverride);

    [Fact]
    public void The_unit_price_is_the_given_one_else_the_products_price_in_the_currency()
    {
        Assert.Equal(1_250, SalesLineRules.UnitPrice(Product(), "USD", null, SalesLineFields.Invoice));
        Assert.Equal(99, SalesLineRules.UnitPrice(Product(), "EUR", 99, SalesLineFields.Invoice));
        var e = Assert.Throws<ApiException>(() => SalesLineRules.UnitPrice(Product(), "EUR", null, SalesLineFields.Credit(linesWithTax: true), "lines", 0));
        Assert.Equal(422, e.Status);
        Assert.Contains("give grossTransactionAmount", e.Message);
        Assert.Equal(["lines", 0, "productId"], e.Errors[0].Path!);
    }

    [Fact]
    public void An_archived_product_cannot_be_sold_or_credited()
    {
        Assert.Contains("cannot be invoiced", Assert.Throws<ApiException>(() => SalesLineRules.UnitPrice(Product("ARCHIVED"), "USD", 5, SalesLineFields.Invoice)).Message);
        Assert.Contains("cannot be credited",
            Assert.Throws<ApiException>(() => SalesLineRules.UnitPrice(Product("ARCHIVED"), "USD", 5, SalesLineFields.Credit(false))).Message);
    }

    [Fact]
    public void An_inactive_tax_code_is_refused_at_the_documents_own_tax_field()
    {
        Assert.Equal(19m, SalesLineRules.TaxRate("VAT19", "ACTIVE", 19m, SalesLineFields.Invoice));
        var e = Assert.Throws<ApiException>(() => SalesLineRules.TaxRate("VAT19", "ARCHIVED", 19m, SalesLineFields.Credit(true), "lines", 1));
        Assert.Equal(["lines", 1, "ledgerTaxId"], e.Errors[0].Path!);
    }

    [Fact]
    public void Prices_with_tax_added_or_included()
    {
        Assert.Equal(new PricedLine(1_250, 2_500, 0, 2_500, 475, 2_975), SalesLineRules.Price(1_250, Input(), 19m, false, SalesLineFields.Invoice));
        var included = SalesLineRules.Price(1_190, Input(1), 19m, true, SalesLineFields.Invoice);
        Assert.Equal((1_000L, 190L, 1_190L), (included.NetAmount, included.TaxAmount, included.GrossAmount));
    }

    [Fact]
    public void A_tax_override_that_does_not_fit_is_reported_where_the_document_takes_it()
    {
        var invoice = Assert.Throws<ApiException>(() => SalesLineRules.Price(100, Input(1, taxOverride: 500), 19m, true, SalesLineFields.Invoice));
        Assert.Equal(["taxAmountOverwrite"], invoice.Errors[0].Path!);
        var credit = Assert.Throws<ApiException>(() => SalesLineRules.Price(100, Input(1, taxOverride: 500), 19m, true, SalesLineFields.Credit(true), "lines", 0));
        Assert.Equal(422, credit.Status);
        Assert.Equal(["lines", 0, "taxTransactionAmount", "amount"], credit.Errors[0].Path!);
    }

    [Fact]
    public void A_document_posts_only_with_a_customer_lines_and_a_total()
    {
        SalesDocumentRules.CheckComplete(Guid.NewGuid(), 1, 100, "An invoice", "opened", "open");
        var e = Assert.Throws<ApiException>(() => SalesDocumentRules.CheckComplete(null, 0, 0, "An invoice", "opened", "open"));
        Assert.Equal(422, e.Status);
        Assert.Equal("The invoice is not complete enough to open", e.Message);
        Assert.Equal(2, e.Errors.Count);
        var zero = Assert.Throws<ApiException>(() => SalesDocumentRules.CheckComplete(Guid.NewGuid(), 2, 0, "A customer credit", "posted", "post"));
        Assert.Contains("A customer credit with a total of 0 cannot be posted", zero.Errors[0].Message);
    }

    [Fact]
    public void A_declared_amount_must_match_the_lines()
    {
        SalesDocumentRules.CheckDeclaredAmount(null, 10);
        SalesDocumentRules.CheckDeclaredAmount(10, 10);
        Assert.Equal("amount", Assert.Throws<ApiException>(() => SalesDocumentRules.CheckDeclaredAmount(11, 10)).Errors[0].Path![0]);
    }
}
