
namespace Ledgerlight.Documents.Kernel;

/// <summary>A stored row whose custom property values are kept as jsonb text and resolved when its model is built.</summary>
public interface ICustomPropertyRow
{
    string? CustomPropertiesJson { get; }
}

