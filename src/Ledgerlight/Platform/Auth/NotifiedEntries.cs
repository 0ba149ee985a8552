using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Ledgerlight.Platform.Auth;

/// <summary>
/// Values kept in memory under the credential notifications of <see cref="PrincipalCache"/>: served and stored only
/// while its listener is connected, emptied with every invalidation, and a value read from the database before an
/// invalidation is never kept after it (the caller reads <see cref="PrincipalCache.Generation"/> before its read and
/// passes it to <see cref="Store"/>). The credential cache and the company cache both keep their entries here.
/// </summary>
public sealed class NotifiedEntries<TKey, TValue> where TKey : notnull
{
    readonly ConcurrentDictionary<TKey, TValue> _entries;
    readonly PrincipalCache _changes;
    readonly int _maxEntries;

    /// <param name="maxEntries">Bounds memory: past this many entries the cache starts over.</param>
    public NotifiedEntries(PrincipalCache changes, int maxEntries, IEqualityComparer<TKey>? comparer = null)
    {
        (_changes, _maxEntries, _entries) = (changes, maxEntries, new ConcurrentDictionary<TKey, TValue>(comparer));
        changes.Invalidated += _entries.Clear;
    }

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        value = default;
        return _changes.IsListening && _entries.TryGetValue(key, out value);
    }

    /// <summary>Keeps a value read from the database, unless anything changed since <paramref name="generation"/>.</summary>
    public void Store(TKey key, TValue value, long generation)
    {
        if (!_changes.IsListening || _changes.Generation != generation) return;
        if (_entries.Count >= _maxEntries) _entries.Clear();
        _entries[key] = value;
        // An invalidation between the check above and the write: take the entry back out.
        if (_changes.Generation != generation) _entries.TryRemove(key, out _);
    }
}
