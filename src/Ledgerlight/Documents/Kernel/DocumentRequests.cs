namespace Ledgerlight.Documents.Kernel;

/// <summary>Checks every document create body ends with, whatever the document.</summary>
public static class DocumentRequests
{
    /// <summary>
    /// A create's lines, each checked under lines[i] (a null entry is refused), then the shape of the header's custom
    /// property values.
    /// </summary>
    public static void CheckLinesAndProperties<TLine>(Validation v, IReadOnlyList<TLine?>? lines,
        IReadOnlyList<SetCustomPropertyRequest>? customProperties) where TLine : class, ILineRequest
    {
        for (var i = 0; i < (lines?.Count ?? 0); i++)
        {
            if (lines![i] is not { } line) v.Add("A line must be an object", "lines", i);
            else line.Validate(v, isCreate: true, "lines", i);
        }
        CustomPropertyRequests.CheckShape(v, customProperties, "customProperties");
    }
}
