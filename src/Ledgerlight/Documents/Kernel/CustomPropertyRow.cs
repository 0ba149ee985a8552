namespace Ledgerlight.Documents.Kernel;

/// <summary>A stored row whose custom property values are kept as jsonb text and resolved when its model is built.</summary>
public interface ICustomPropertyRow
{
    string? CustomPropertiesJson { get; }
}

/// <summary>
/// The key every stored row starts with: the company it belongs to (every read is scoped to it) and its id. The row base
/// classes below carry the column groups that recur across areas; Dapper maps inherited properties like declared ones.
/// </summary>
public abstract class TenantRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
}

/// <summary>A row with its created/updated timestamps.</summary>
public abstract class TimestampedRow : TenantRow
{
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// The columns every document, line and reference row with custom properties ends with: its created/updated timestamps and
/// the stored values (Dapper maps inherited properties like declared ones).
/// </summary>
public abstract class CustomPropertiesRow : TimestampedRow, ICustomPropertyRow
{
    /// <summary>Stored SetCustomPropertyRequest list (jsonb as text), resolved when the model is built.</summary>
    public string? CustomPropertiesJson { get; set; }
}

/// <summary>A line row that may be amortized (journal entry and contract lines): the template and the period.</summary>
public abstract class AmortizedLineRow : CustomPropertiesRow
{
    public Guid? AmortizationTemplateId { get; set; }
    public DateOnly? AmortizationStartDate { get; set; }
    public DateOnly? AmortizationEndDate { get; set; }
}
