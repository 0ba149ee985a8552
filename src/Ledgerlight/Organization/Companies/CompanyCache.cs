namespace Ledgerlight.Organization.Companies;

/// <summary>
/// The company rows <c>GET /v1/companies/current</c> serves, kept in memory under the same rules as the credential
/// cache (<see cref="PrincipalCache"/>): a trigger on <c>companies</c> (migration 0230) notifies every instance at commit
/// of any change, whoever made it, and the cache empties with the credential cache; while the listener is down
/// nothing is served from memory; the generation check keeps a read that raced a change from being stored.
/// </summary>
public sealed class CompanyCache(PrincipalCache changes)
{
    /// <summary>Bounds memory: past this many companies the cache starts over.</summary>
    const int MaxEntries = 10_000;

    readonly NotifiedEntries<Guid, CompanyModel> _companies = new(changes, MaxEntries);

    public async Task<CompanyModel?> GetAsync(Guid companyId, Func<Guid, Task<CompanyRow?>> load)
    {
        if (_companies.TryGet(companyId, out var cached)) return cached;
        var generation = changes.Generation;
        var model = (await load(companyId))?.ToModel();
        if (model is not null) _companies.Store(companyId, model, generation);
        return model;
    }
}
