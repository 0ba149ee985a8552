namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>The columns every sales document row has (invoices, customer credits), as Dapper maps them.</summary>
public abstract class SalesDocumentRow : CustomPropertiesRow
{
    public Guid CompanyEntityId { get; set; }
    public Guid? CustomerId { get; set; }
    public string? CustomerName { get; set; }
    public string? Description { get; set; }
    public string Currency { get; set; } = "";
    public DateOnly? PostingDate { get; set; }
    public DateOnly EffectivePostingDate { get; set; }
    public bool AreLinesWithTax { get; set; }
    public decimal? LocalFxRate { get; set; }
    public decimal? GroupFxRate { get; set; }
    public long Amount { get; set; }
    public Guid? PostedTransactionId { get; set; }
    public Guid? UpdatedBy { get; set; }
}

/// <summary>The columns every sales document line has: its pricing inputs and amounts.</summary>
public abstract class SalesLineRow : CustomPropertiesRow
{
    public Guid ProductId { get; set; }
    public decimal Quantity { get; set; }
    public Guid? TaxCodeId { get; set; }
    public Guid? AccountId { get; set; }
    public string? AvataxCode { get; set; }
    public long? TaxAmountOverwrite { get; set; }
    public long UnitPrice { get; set; }
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public long GrossAmount { get; set; }
    public Guid? AccrualTemplateId { get; set; }
    public DateOnly? AccrualStartDate { get; set; }
    public DateOnly? AccrualEndDate { get; set; }
}
