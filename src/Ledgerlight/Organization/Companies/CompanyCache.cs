using System.Collections.Concurrent;

namespace Ledgerlight.Organization.Companies;

/// <summary>
/// The company rows <c>GET /v1/companies/current</c> serves, kept in memory under the same rules as the credential
/// cache (<see cref="PrincipalCache"/>): a trigger on <c>companies</c> (migration 0230) notifies every instance at commit
/// of any change, whoever made it, and the cache empties with the credential cache; while the listener is down
/// nothing is served from memory; the generation check keeps a read that raced a change from being stored.
/// </summary>
public sealed class CompanyCache
{
    /// <summary>Bounds memory: past this many companies the cache starts over.</summary>
    const int MaxEntries = 10_000;

    readonly ConcurrentDictionary<Guid, CompanyModel> _companies = new();
    readonly PrincipalCache _changes;

    public CompanyCache(PrincipalCache changes)
    {
        _changes = changes;
        changes.Invalidated += _companies.Clear;
    }

    public async Task<CompanyModel?> GetAsync(Guid companyId, Func<Guid, Task<CompanyRow?>> load)
    {
        if (_changes.IsListening && _companies.TryGetValue(companyId, out var cached)) return cached;
        var generation = _changes.Generation;
        var model = (await load(companyId))?.ToModel();
        if (model is null || !_changes.IsListening || _changes.Generation != generation) return model;
        if (_companies.Count >= MaxEntries) _companies.Clear();
        _companies[companyId] = model;
        // A change between the check above and the write: take the entry back out.
        if (_changes.Generation != generation) _companies.TryRemove(companyId, out _);
        return model;
    }
}
