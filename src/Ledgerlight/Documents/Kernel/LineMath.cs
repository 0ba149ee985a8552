using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Documents.Kernel;

/// <summary>A line's discount as Light sends it: PERCENTAGE (value in percent) or AMOUNT (value in minor units).</summary>
public sealed record LineDiscount(string? Type, decimal? Value);

/// <summary>A priced line's amounts, all in the document currency's minor units.</summary>
public sealed record PricedLine(long UnitPrice, long LineAmount, long DiscountAmount, long NetAmount, long TaxAmount, long GrossAmount);

/// <summary>A line entered by amount (bills, credit notes): gross = net + tax, exactly.</summary>
public sealed record EnteredAmounts(long Gross, long Net, long Tax);

/// <summary>Where each entered amount sits in the request, for error paths (bills: amount/netAmount/taxAmount).</summary>
public sealed record EnteredAmountPaths(object[] Gross, object[] Net, object[] Tax)
{
    /// <summary>The tax field's name for messages: credit notes nest it ("taxTransactionAmount"."amount").</summary>
    public object TaxName => Tax[^1] is "amount" && Tax.Length > 1 ? Tax[^2] : Tax[^1];
}

/// <summary>
/// The line arithmetic of every document, no database. Every rounding is to a whole minor unit of the
/// document currency (a cent, or a yen for JPY, whose exponent is 0), half away from zero, once per
/// step per line; a document's totals are the sums of its lines (<see cref="Limits.Sum"/>).
/// </summary>
public static class LineMath
{
    /// <summary>
    /// A sales line (invoices, customer credits, contracts): unit price × quantity, less the discount,
    /// then tax at the rate, either contained in the amount (<paramref name="linesWithTax"/>) or added
    /// to it, unless the caller overrides the tax. 422 with <paramref name="at"/> when an amount leaves
    /// the bounds or a discount or tax override does not fit the line.
    /// </summary>
    public static PricedLine Price(long unitPrice, decimal quantity, LineDiscount? discount, decimal taxRatePercent, long? taxAmountOverwrite,
        bool linesWithTax, params object[] at)
    {
        long lineAmount;
        try
        {
            lineAmount = RoundToMinor(unitPrice * quantity);
        }
        catch (OverflowException)
        {
            throw ApiException.Unprocessable("Price × quantity is too large", [.. at, "quantity"]);
        }
        // Bounded like every money field, so net + tax (≤ 2·10^15) and 500 lines of it fit in int64.
        Limits.CheckComputed(lineAmount, "Price × quantity", [.. at, "quantity"]);
        var discountAmount = discount switch
        {
            { Type: "PERCENTAGE", Value: { } pct } => RoundToMinor(lineAmount * pct / 100m),
            { Type: "AMOUNT", Value: { } amount } => (long)amount,
            _ => 0L,
        };
        if (discountAmount > lineAmount)
            throw ApiException.Unprocessable($"The discount ({discountAmount}) exceeds the line amount ({lineAmount})", [.. at, "discount", "value"]);
        var afterDiscount = lineAmount - discountAmount;

        if (taxAmountOverwrite is { } forced)
        {
            // Light: the override needs a line with a valid amount (a product price or priceOverwrite).
            if (afterDiscount == 0 && forced > 0)
                throw ApiException.Unprocessable("taxAmountOverwrite needs a line with an amount (a product price or priceOverwrite)",
                    [.. at, "taxAmountOverwrite"]);
            if (linesWithTax && forced > afterDiscount)
                throw ApiException.Unprocessable($"taxAmountOverwrite ({forced}) exceeds the tax-inclusive line amount ({afterDiscount})",
                    [.. at, "taxAmountOverwrite"]);
        }
        long net, tax;
        if (linesWithTax)
        {
            tax = taxAmountOverwrite ?? TaxMath.FromGross(afterDiscount, taxRatePercent);
            net = afterDiscount - tax;
        }
        else
        {
            net = afterDiscount;
            tax = taxAmountOverwrite ?? TaxMath.FromNet(net, taxRatePercent);
        }
        long gross;
        try
        {
            gross = checked(net + tax);
        }
        catch (OverflowException)
        {
            throw ApiException.Unprocessable("The line amount is too large", [.. at, "quantity"]);
        }
        return new PricedLine(unitPrice, lineAmount, discountAmount, net, tax, gross);
    }

    /// <summary>
    /// A line entered by amount (bills, credit notes). With <paramref name="withTax"/> the gross is the
    /// entered figure, otherwise the net (the other is accepted as a fallback); tax is the entered tax
    /// when given, else derived from the rate. Null with errors added when the amounts do not fit.
    /// </summary>
    public static EnteredAmounts? FromEntered(long? gross, long? net, long? tax, decimal? ratePercent, bool withTax, EnteredAmountPaths paths,
        Validation v)
    {
        v.Amount(gross, paths.Gross);
        v.Amount(net, paths.Net);
        v.Amount(tax, paths.Tax);
        if (!Limits.IsAmount(gross) || !Limits.IsAmount(net) || !Limits.IsAmount(tax)) return null;
        var rate = ratePercent ?? 0m;
        if (withTax ? gross is not null : net is null && gross is not null)
        {
            var g = gross!.Value;
            var t = tax ?? TaxMath.FromGross(g, rate);
            if (t > g)
            {
                v.Add($"'{paths.TaxName}' cannot exceed the gross amount", paths.Tax);
                return null;
            }
            return new EnteredAmounts(g, g - t, t);
        }
        if (net is { } n)
        {
            var t = tax ?? TaxMath.FromNet(n, rate);
            // Each at most Limits.MaxAmount: the gross fits, and so do 500 lines of it.
            return new EnteredAmounts(checked(n + t), n, t);
        }
        v.Required(null, withTax ? paths.Gross : paths.Net);
        return null;
    }

    /// <summary>To a whole minor unit, half away from zero; beyond int64 is an OverflowException.</summary>
    public static long RoundToMinor(decimal minorUnits)
    {
        var rounded = decimal.Round(minorUnits, 0, MidpointRounding.AwayFromZero);
        if (rounded > long.MaxValue || rounded < long.MinValue) throw new OverflowException();
        return (long)rounded;
    }
}
