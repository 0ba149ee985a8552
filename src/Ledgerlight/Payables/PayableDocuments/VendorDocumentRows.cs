namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>A purchasing document of one entity with a vendor (orders, bills, credit notes); the vendor's name is joined in.</summary>
public abstract class VendorDocumentRow : CustomPropertiesRow
{
    public Guid CompanyEntityId { get; set; }
    public Guid? VendorId { get; set; }
    public string? VendorName { get; set; }
    public string Currency { get; set; } = "";
    public string? Description { get; set; }
}

/// <summary>
/// A vendor document that goes into the ledger (bills, credit notes): its amount, and the posting's date, rates and entry.
/// A rate override, when set, is what the posting used; the stored rate is what it booked at.
/// </summary>
public abstract class PayableDocumentRow : VendorDocumentRow
{
    public long? Amount { get; set; }
    public DateOnly? PostingDate { get; set; }
    public decimal? LocalFxRateOverride { get; set; }
    public decimal? GroupFxRateOverride { get; set; }
    public decimal? LocalFxRate { get; set; }
    public decimal? GroupFxRate { get; set; }
    public Guid? PostedTransactionId { get; set; }
}
