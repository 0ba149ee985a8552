namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>
/// The columns every stored record of payables, spend and banking has: its id, and when it was created and last changed.
/// Dapper maps these inherited properties by column name like declared ones.
/// </summary>
public abstract class RecordRow
{
    public Guid Id { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A record read with the company it belongs to (lines read under their document often leave it out).</summary>
public abstract class CompanyRecordRow : RecordRow
{
    public Guid CompanyId { get; set; }
}

/// <summary>A record that also carries custom properties (selected as <c>custom_properties::text AS custom_properties_json</c>).</summary>
public abstract class CustomizableRecordRow : CompanyRecordRow
{
    /// <summary>Stored SetCustomPropertyRequest list (jsonb as text), resolved when the model is built.</summary>
    public string? CustomPropertiesJson { get; set; }
}

/// <summary>A purchasing document of one entity with a vendor (orders, bills, credit notes); the vendor's name is joined in.</summary>
public abstract class VendorDocumentRow : CustomizableRecordRow
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
