namespace Ledgerlight.Client;

/// <summary>
/// One page of a cursor-paginated list (Light's <c>{records, hasMore, nextCursor, prevCursor}</c>
/// envelope). Every generated list model implements it (Generated/CursorPages.g.cs), which is what
/// lets <see cref="LedgerlightClient.ListAllAsync{T}"/> walk any list endpoint.
/// </summary>
public interface ICursorPage<T>
{
    /// <summary>The records of this page.</summary>
    List<T>? Records { get; }

    /// <summary>True when another page follows.</summary>
    bool? HasMore { get; }

    /// <summary>Opaque cursor of the next page; null on the last one.</summary>
    string? NextCursor { get; }
}
