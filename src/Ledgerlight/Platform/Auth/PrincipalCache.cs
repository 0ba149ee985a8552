namespace Ledgerlight.Platform.Auth;

/// <summary>
/// Resolved credentials kept in memory, so an authenticated request needs no database round trip to
/// know its caller. Correctness rests on invalidation, not on expiry:
/// <list type="bullet">
/// <item>Every change that can stop a credential (key revoked or deleted, user deactivated...) fires a
/// trigger that NOTIFYs <see cref="Channel"/> at commit (migration 0200); every instance LISTENs on a
/// dedicated connection and drops the whole cache when told (revocations are rare, a refill is cheap).
/// Delivery takes milliseconds, well inside the one second a revocation may take across instances.</item>
/// <item>Writers in this process also call <see cref="InvalidateInProcess"/> right after their commit,
/// so the next request to this instance already sees the change (no race with the listener).</item>
/// <item>While the listener is not connected (start-up, a lost connection) nothing is served from or
/// stored in the cache: every request goes to the database as before, so a missed notification can
/// never keep a revoked key alive. After (re)connecting, LISTEN runs before the cache is emptied.</item>
/// <item>A generation counter, bumped by every invalidation, stops a lookup that read the database
/// before a revocation from storing its (stale) answer after it.</item>
/// </list>
/// Any <see cref="ICredentialResolver"/> may use it: key the entry by a digest of the credential and
/// the scheme, never by the credential itself.
/// </summary>
public sealed class PrincipalCache : BackgroundService
{
    public const string Channel = "ledgerlight_credentials";

    /// <summary>Bounds memory: past this many distinct credentials the cache starts over.</summary>
    public const int MaxEntries = 100_000;

    static event Action? ChangedInProcess;

    readonly Storage.ListenerDataSource listener;
    readonly ILogger<PrincipalCache> log;
    readonly NotifiedEntries<string, Principal> _entries;
    long _generation;
    volatile bool _listening;

    public PrincipalCache(Storage.ListenerDataSource listener, ILogger<PrincipalCache> log)
    {
        (this.listener, this.log) = (listener, log);
        _entries = new NotifiedEntries<string, Principal>(this, MaxEntries, StringComparer.Ordinal);
    }

    /// <summary>Drops every cache of this process (all server instances hosted in it).</summary>
    public static void InvalidateInProcess() => ChangedInProcess?.Invoke();

    /// <summary>Read before looking a credential up in the database; pass to <see cref="Store"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string key, out Principal? principal) => _entries.TryGet(key, out principal);

    /// <summary>Keeps a principal read from the database, unless anything changed since <paramref name="generation"/>.</summary>
    public void Store(string key, Principal principal, long generation) => _entries.Store(key, principal, generation);

    /// <summary>Bumps the generation first, so a read in flight cannot store what it read, then empties every cache.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        Invalidated?.Invoke();
    }

    /// <summary>True while the listener is connected: only then may anything read per request be served from memory.</summary>
    public bool IsListening => _listening;

    /// <summary>
    /// Raised with every invalidation: every <see cref="NotifiedEntries{TKey,TValue}"/> (this cache's own, the company
    /// rows of <see cref="Organization.Companies.CompanyCache"/>) empties itself.
    /// </summary>
    public event Action? Invalidated;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        ChangedInProcess += Invalidate;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        ChangedInProcess -= Invalidate;
        _listening = false;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception e)
            {
                log.LogWarning(e, "Credential change listener lost its connection; serving credentials from the database until it is back");
            }
            finally
            {
                _listening = false;
                Invalidate();
            }
            try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    async Task ListenAsync(CancellationToken ct)
    {
        await using var conn = await listener.Source.OpenConnectionAsync(ct);
        conn.Notification += (_, _) => Invalidate();
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", conn)) await listen.ExecuteNonQueryAsync(ct);
        Invalidate();
        _listening = true;
        while (!ct.IsCancellationRequested)
        {
            // A silent connection may be a dead one: probe it when nothing arrived for a while.
            if (!await conn.WaitAsync(TimeSpan.FromSeconds(5), ct))
            {
                await using var probe = new NpgsqlCommand("SELECT 1", conn) { CommandTimeout = 2 };
                await probe.ExecuteScalarAsync(ct);
            }
        }
    }
}
