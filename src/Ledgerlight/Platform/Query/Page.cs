namespace Ledgerlight.Platform.Query;

/// <summary>Light's paginated envelope. total only for offset pagination, cursors only for cursor pagination.</summary>
public sealed record Page<T>(IReadOnlyList<T> Records, bool HasMore, long? Total, string? NextCursor, string? PrevCursor)
{
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Records.Select(map).ToList(), HasMore, Total, NextCursor, PrevCursor);
}
