namespace Ledgerlight.Documents.Pdf;

public enum SalesDocumentKind { Invoice, CreditNote }

/// <summary>Who issues or receives the document: name, address lines (street first) and VAT number when known.</summary>
public sealed record DocumentParty(string Name, IReadOnlyList<string> Address, string? VatNumber = null, string? Email = null);

/// <summary>One line; amounts in the document currency's minor units. The tax rate is the line's tax code (null: none).</summary>
public sealed record DocumentLine(string Description, decimal Quantity, long UnitPrice, long DiscountAmount, long NetAmount, long TaxAmount,
    decimal? TaxRatePercent = null, string? TaxLabel = null);

/// <summary>Where the customer pays: the issuing entity's bank account.</summary>
public sealed record BankDetails(string BankName, string AccountName, string? Iban, string? Bic, string? AccountNumber, string? BankCode);

/// <summary>One row of the tax summary: all lines taxed at one rate, summed.</summary>
public sealed record TaxSummaryRow(string Label, decimal? RatePercent, long NetAmount, long TaxAmount);

/// <summary>
/// Everything a sales invoice or customer credit note prints, independent of how it is drawn: the layout
/// (<see cref="SalesDocumentLayout"/>) and the renderer (<see cref="SalesDocumentPdf"/>) only read this.
/// </summary>
public sealed record SalesDocument(
    SalesDocumentKind Kind, string? Number, bool IsDraft, DocumentParty Seller, DocumentParty? Buyer, DateOnly Date, DateOnly? DueDate,
    string Currency, IReadOnlyList<DocumentLine> Lines, string? Description = null, string? PoNumber = null, string? Reference = null,
    string? Notes = null, BankDetails? Bank = null)
{
    public long NetTotal => Lines.Sum(l => l.NetAmount);
    public long TaxTotal => Lines.Sum(l => l.TaxAmount);
    public long GrossTotal => NetTotal + TaxTotal;

    public string KindName => Kind == SalesDocumentKind.Invoice ? "Invoice" : "Credit note";

    /// <summary>"Invoice INV-7", "Draft invoice", "Credit note CN-3": the heading and the PDF's title.</summary>
    public string Title => IsDraft || string.IsNullOrWhiteSpace(Number) ? $"Draft {KindName.ToLowerInvariant()}" : $"{KindName} {Number}";

    /// <summary>Lines grouped by tax rate, highest rate first; lines without a rate form one "No tax" row (or the line's label).</summary>
    public IReadOnlyList<TaxSummaryRow> TaxSummary() => Lines
        .GroupBy(l => (l.TaxRatePercent, Label: l.TaxRatePercent is null ? l.TaxLabel ?? (l.TaxAmount == 0 ? "No tax" : "Tax") : null))
        .Select(g => new TaxSummaryRow(g.Key.Label ?? DocumentText.Percent(g.Key.TaxRatePercent!.Value), g.Key.TaxRatePercent,
            g.Sum(l => l.NetAmount), g.Sum(l => l.TaxAmount)))
        .OrderByDescending(r => r.RatePercent ?? -1).ThenBy(r => r.Label, StringComparer.Ordinal)
        .ToList();

    /// <summary>The facts printed beside the customer: number, dates, currency, references.</summary>
    public IReadOnlyList<(string Label, string Value)> Facts()
    {
        var facts = new List<(string, string)>
        {
            ($"{KindName} number", string.IsNullOrWhiteSpace(Number) ? "(assigned when issued)" : Number),
            ($"{KindName} date", DocumentText.Date(Date)),
        };
        if (Kind == SalesDocumentKind.Invoice) facts.Add(("Due date", DueDate is { } due ? DocumentText.Date(due) : "-"));
        facts.Add(("Currency", Currency));
        if (!string.IsNullOrWhiteSpace(PoNumber)) facts.Add(("PO number", PoNumber));
        if (!string.IsNullOrWhiteSpace(Reference)) facts.Add(("Reference", Reference));
        return facts;
    }

    /// <summary>What the customer needs to pay an invoice (empty for credit notes and when nothing is known).</summary>
    public IReadOnlyList<(string Label, string Value)> PaymentDetails()
    {
        if (Kind != SalesDocumentKind.Invoice) return [];
        var rows = new List<(string, string)>();
        if (DueDate is { } due) rows.Add(("Due date", DocumentText.Date(due)));
        if (Bank is { } b)
        {
            rows.Add(("Bank", b.BankName));
            rows.Add(("Account", b.AccountName));
            if (!string.IsNullOrWhiteSpace(b.Iban)) rows.Add(("IBAN", DocumentText.Iban(b.Iban)));
            if (!string.IsNullOrWhiteSpace(b.Bic)) rows.Add(("BIC / SWIFT", b.Bic));
            if (!string.IsNullOrWhiteSpace(b.AccountNumber)) rows.Add(("Account number", b.AccountNumber));
            if (!string.IsNullOrWhiteSpace(b.BankCode)) rows.Add(("Bank code", b.BankCode));
        }
        if (rows.Count > 0 && !string.IsNullOrWhiteSpace(Number)) rows.Add(("Payment reference", Number));
        return rows;
    }
}

/// <summary>How numbers, money and dates are written on documents and in e-mails (invariant, ISO dates).</summary>
public static class DocumentText
{
    /// <summary>"1,234.50 USD": minor units shown with the currency's exponent (0 for JPY, 3 for KWD).</summary>
    public static string Money(long minor, string currency) => Amount(minor, currency) + " " + currency;

    /// <summary>"1,234.50": the amount without its currency code (table cells).</summary>
    public static string Amount(long minor, string currency)
    {
        var exponent = CurrencyCodes.IsKnown(currency) ? CurrencyCodes.Exponent(currency) : 2;
        var value = minor / (decimal)Math.Pow(10, exponent);
        return value.ToString("N" + exponent, CultureInfo.InvariantCulture);
    }

    public static string Quantity(decimal q) => q.ToString("#,0.######", CultureInfo.InvariantCulture);
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public static string Percent(decimal p) => p.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>An IBAN in groups of four, as printed on paper.</summary>
    public static string Iban(string iban)
    {
        var compact = new string(iban.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return string.Join(' ', compact.Chunk(4).Select(c => new string(c)));
    }
}
