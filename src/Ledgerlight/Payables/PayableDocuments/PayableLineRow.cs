namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>
/// The columns a bill line and a credit-note line share, as stored: the account, the net and tax split, the tax code and
/// the description, which is all their posting reads (<see cref="ToPostable"/>). Each line type adds its own gross column
/// and period fields.
/// </summary>
public abstract class PayableLineRow : CustomPropertiesRow
{
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public string? Description { get; set; }
    public Guid? TaxCodeId { get; set; }
    public Guid AccountId { get; set; }

    /// <summary>The cost center the posting books the line's net on (bill lines have none).</summary>
    protected virtual Guid? PostingCostCenterId => null;

    public PostableLine ToPostable() => new(Id, AccountId, NetAmount, TaxAmount, Description, TaxCodeId, PostingCostCenterId);
}
