using Ledgerlight.Documents.Pdf;

namespace Ledgerlight.Receivables.InvoiceDocuments;

/// <summary>
/// A sales invoice's or customer credit's line as its PDF prints it, read by either loader's own line query (the
/// description already resolved from the line or its product, the tax code's rate and label joined in).
/// </summary>
public sealed class PrintedLineRow
{
    public string? Description { get; set; }
    public decimal Quantity { get; set; }
    public long UnitPrice { get; set; }
    public long DiscountAmount { get; set; }
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public decimal? TaxRate { get; set; }
    public string? TaxLabel { get; set; }

    public DocumentLine ToLine() => new(Description ?? "", Quantity, UnitPrice, DiscountAmount, NetAmount, TaxAmount, TaxRate, TaxLabel);
}
