using Ledgerlight.Ledger.TaxCodes;
using Ledgerlight.Receivables.Products;

namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>Inputs that decide a sales line's amounts (the rest of a line is descriptive).</summary>
public sealed record SalesLineInput(Guid ProductId, decimal Quantity, Guid? TaxCodeId, Guid? AccountId, LineDiscount? Discount, long? PriceOverwrite,
    long? TaxAmountOverwrite);

/// <summary>A priced line and the tax code it was priced with (the line's, else the product's default).</summary>
public sealed record PricedSalesLine(PricedLine Amounts, Guid? TaxCodeId);

/// <summary>
/// How a sales document names its line fields in errors: invoices say taxCodeId/accountId/priceOverwrite, customer credits
/// (Light's accounting-document shape) say ledgerTaxId/ledgerAccountId and a gross or net transaction amount.
/// </summary>
public sealed record SalesLineFields(string Verb, string PriceField, string TaxCodeField, string AccountField, object[] TaxOverridePath)
{
    public static readonly SalesLineFields Invoice = new("invoiced", "priceOverwrite", "taxCodeId", "accountId", ["taxAmountOverwrite"]);

    /// <summary>Contract lines name their fields as invoice lines do (they become invoice lines when billed).</summary>
    public static readonly SalesLineFields Contract = Invoice with { Verb = "billed on a contract" };

    public static SalesLineFields Credit(bool linesWithTax) => new("credited", linesWithTax ? "grossTransactionAmount" : "netTransactionAmount",
        "ledgerTaxId", "ledgerAccountId", ["taxTransactionAmount", "amount"]);
}

/// <summary>
/// Prices a sales line (invoices, customer credits) against its product and tax code: the product must be ACTIVE and priced in
/// the document currency unless a price is given; the tax code is the line's or the product's default and must be ACTIVE.
/// </summary>
public static class SalesLinePricing
{
    public static async Task<PricedSalesLine> PriceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string currency, bool linesWithTax,
        SalesLineInput input, SalesLineFields fields, params object[] at)
    {
        var product = await ProductStore.FindAsync(conn, tx, companyId, input.ProductId)
                      ?? throw ApiException.BadRequest($"Product {input.ProductId} does not exist", [.. at, "productId"]);
        var unitPrice = SalesLineRules.UnitPrice(product, currency, input.PriceOverwrite, fields, at);
        var taxCodeId = input.TaxCodeId ?? product.DefaultTaxId;
        var rate = 0m;
        if (taxCodeId is { } taxId)
        {
            var code = await TaxCodeStore.FindAsync(conn, tx, companyId, taxId)
                       ?? throw ApiException.BadRequest($"Tax code {taxId} does not exist", [.. at, fields.TaxCodeField]);
            rate = SalesLineRules.TaxRate(code.Code, code.Status, code.RatePercent, fields, at);
        }
        if (input.AccountId is { } accountId && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @accountId", new { companyId, accountId }, tx) == 0)
            throw ApiException.BadRequest($"Ledger account {accountId} does not exist", [.. at, fields.AccountField]);
        return new PricedSalesLine(SalesLineRules.Price(unitPrice, input, rate, linesWithTax, fields, at), taxCodeId);
    }
}

/// <summary>The pure part of sales-line pricing: which price applies, which tax rate, and the arithmetic (<see cref="LineMath.Price"/>).</summary>
public static class SalesLineRules
{
    /// <summary>The unit price: the given one, else the ACTIVE product's price in the document currency (422 at productId otherwise).</summary>
    public static long UnitPrice(ProductRow product, string currency, long? priceOverwrite, SalesLineFields fields, params object[] at)
    {
        if (product.State != "ACTIVE")
            throw ApiException.Unprocessable($"Product {product.Id} is {product.State} and cannot be {fields.Verb}", [.. at, "productId"]);
        return priceOverwrite ?? product.PriceIn(currency)
               ?? throw ApiException.Unprocessable($"Product {product.Id} has no price in {currency}; give {fields.PriceField}", [.. at, "productId"]);
    }

    /// <summary>An ACTIVE tax code's rate; any other status is a 422 at the line's tax field.</summary>
    public static decimal TaxRate(string code, string status, decimal ratePercent, SalesLineFields fields, params object[] at) =>
        status == "ACTIVE" ? ratePercent : throw ApiException.Unprocessable($"Tax code {code} is {status}", [.. at, fields.TaxCodeField]);

    /// <summary>The line's amounts; a tax override that does not fit is reported at the document's own tax field.</summary>
    public static PricedLine Price(long unitPrice, SalesLineInput input, decimal ratePercent, bool linesWithTax, SalesLineFields fields, params object[] at)
    {
        try
        {
            return LineMath.Price(unitPrice, input.Quantity, input.Discount, ratePercent, input.TaxAmountOverwrite, linesWithTax, at);
        }
        catch (ApiException e) when (fields.TaxOverridePath is not ["taxAmountOverwrite"]
                                     && e.Errors.Any(er => er.Path?.Contains("taxAmountOverwrite") == true))
        {
            throw ApiException.Unprocessable(e.Message, [.. at, .. fields.TaxOverridePath]);
        }
    }
}
