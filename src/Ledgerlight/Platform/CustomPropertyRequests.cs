namespace Ledgerlight.Platform;

/// <summary>SetCustomPropertyRequestV1Model: custom property values set on a record (vendors, journal entries, lines...).</summary>
public sealed record SetCustomPropertyRequest(Guid? GroupId, IReadOnlyList<Guid>? ValueIds, IReadOnlyList<string?>? InlineValues);

public static class CustomPropertyRequests
{
    /// <summary>
    /// Custom property groups cannot be defined yet (they arrive with the custom-properties
    /// resource), so any group a request names is unknown: say so instead of dropping it.
    /// </summary>
    public static void RefuseUnknownGroups(Validation v, IReadOnlyList<SetCustomPropertyRequest>? properties, params object[] path)
    {
        if (properties is null) return;
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].GroupId is null) v.Required(null, [.. path, i, "groupId"]);
            else v.Add($"Custom property group {properties[i].GroupId} does not exist", [.. path, i, "groupId"]);
        }
    }
}
