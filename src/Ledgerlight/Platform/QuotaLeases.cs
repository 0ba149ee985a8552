using System.Collections.Concurrent;

namespace Ledgerlight.Platform;

/// <summary>
/// Rate-limit quota leased from PostgreSQL in blocks, so a busy credential costs the database one
/// statement per block instead of one per request, while every instance together never lets more
/// than the limit through:
/// <list type="bullet">
/// <item>A lease is one statement on the shared counter row that grants up to n units of the window
/// and never takes the row past the limit (<see cref="LeaseSql"/>). Units granted are units spent
/// for every other instance, whether or not this one uses them.</item>
/// <item>A block covers the requests waiting for it, plus, only while plenty of the window is left, units ahead
/// of demand (about a quarter second of this instance's recent rate). It is capped at a quarter of what was
/// left, so near the limit the instances share the rest fairly; a quiet credential leases one unit per request
/// (and its X-RateLimit-Remaining is exact).</item>
/// <item>Units a lease did not use are given back once the credential has been idle for a second
/// (<see cref="ReturnIdleAsync"/>), so a quiet instance does not sit on quota another one needs.</item>
/// <item>Concurrent requests of one bucket share one lease statement in flight (single flight).</item>
/// </list>
/// A unit's position in its window (1 = the first request) stands in for the request's count.
/// </summary>
public sealed class QuotaLeases(NpgsqlDataSource db)
{
    public const int MaxBlock = 4096;
    const int AheadFrom = 1024;
    static readonly TimeSpan IdleReturn = TimeSpan.FromSeconds(1);

    const string LeaseSql = """
        INSERT INTO rate_limit_counters AS c (bucket, window_start, count, last_grant) VALUES ($1, $2, LEAST($3, $4), LEAST($3, $4))
        ON CONFLICT (bucket, window_start) DO UPDATE
           SET count = c.count + LEAST($3, GREATEST(0, $4 - c.count)), last_grant = LEAST($3, GREATEST(0, $4 - c.count))
        RETURNING count, last_grant
        """;

    const string ReturnSql = "UPDATE rate_limit_counters SET count = GREATEST(0, count - $3) WHERE bucket = $1 AND window_start = $2";

    readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>The position of this request in the bucket's window (1-based), or limit + 1 when the limit is reached.</summary>
    public async ValueTask<int> TakeAsync(string bucket, DateTime window, int limit, CancellationToken ct)
    {
        while (true)
        {
            var state = _buckets.GetOrAdd(bucket, static _ => new Bucket());
            Task<bool> refill;
            lock (state)
            {
                if (state.Removed) continue; // forgotten meanwhile: take the bucket that replaced it
                // A request that started just before the window turned counts in the new one: never
                // reset a bucket back to a window that is over (its units would be lost).
                if (window < state.Window) window = state.Window;
                else if (window > state.Window) state.Reset(window);
                if (state.TryTake(out var position)) return position;
                state.Waiting++;
                refill = state.Refill ??= LeaseAsync(bucket, state, window, limit);
            }
            bool granted;
            try { granted = await refill.WaitAsync(ct); }
            finally { lock (state) state.Waiting--; }
            if (!granted) return limit + 1;
        }
    }

    /// <summary>Runs one lease statement for everyone waiting on the bucket; false when nothing was left in its window.</summary>
    async Task<bool> LeaseAsync(string bucket, Bucket state, DateTime window, int limit)
    {
        await Task.Yield(); // let the callers queued behind this one register as waiting first
        int want;
        lock (state) want = state.BlockSize(limit);
        try
        {
            await using var cmd = db.CreateCommand(LeaseSql);
            cmd.Parameters.Add(new NpgsqlParameter { Value = bucket });
            cmd.Parameters.Add(new NpgsqlParameter { Value = window });
            cmd.Parameters.Add(new NpgsqlParameter { Value = want });
            cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (count, grant) = (reader.GetInt32(0), reader.GetInt32(1));
            lock (state)
            {
                state.Refill = null;
                if (state.Window != window) return true; // the window turned meanwhile: waiters try the new one
                state.Add(count - grant, count);
            }
            return grant > 0;
        }
        catch
        {
            lock (state) state.Refill = null;
            throw;
        }
    }

    /// <summary>Gives back the unused units of buckets idle for a second, and forgets past windows.</summary>
    public async Task ReturnIdleAsync(bool everything, CancellationToken ct)
    {
        foreach (var (name, state) in _buckets)
        {
            int unused; DateTime window;
            lock (state)
            {
                var idle = DateTime.UtcNow - state.LastTake;
                if (state.Refill is not null || state.Waiting > 0 || (!everything && idle < IdleReturn)) continue;
                (unused, window) = (state.ReleaseUnused(), state.Window);
                if (unused == 0)
                {
                    if (idle > TimeSpan.FromMinutes(2) && _buckets.TryRemove(name, out _)) state.Removed = true;
                    continue;
                }
            }
            await using var cmd = db.CreateCommand(ReturnSql);
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = window });
            cmd.Parameters.Add(new NpgsqlParameter { Value = unused });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>One bucket's leased, not yet used units in this instance. Guarded by locking the instance.</summary>
    sealed class Bucket
    {
        (int Next, int End) _current; // positions Next+1 .. End are ours
        readonly Queue<(int Next, int End)> _later = new();
        int _knownCount, _lastBlock = 1, _takenThisSecond, _takenLastSecond;
        long _second;
        public DateTime Window;
        public DateTime LastTake = DateTime.UtcNow;
        public Task<bool>? Refill;
        public int Waiting;
        public bool Removed;

        public void Reset(DateTime window)
        {
            // Units of a past window need no giving back: that window is over for every instance.
            (Window, _knownCount, _lastBlock, _current) = (window, 0, 1, (0, 0));
            _later.Clear();
        }

        public bool TryTake(out int position)
        {
            position = 0;
            while (_current.Next >= _current.End)
                if (!_later.TryDequeue(out _current)) return false;
            position = ++_current.Next;
            Count();
            return true;
        }

        void Count()
        {
            LastTake = DateTime.UtcNow;
            var second = Environment.TickCount64 / 1000;
            if (second != _second)
            {
                _takenLastSecond = second == _second + 1 ? _takenThisSecond : 0;
                (_takenThisSecond, _second) = (0, second);
            }
            _takenThisSecond++;
        }

        public void Add(int from, int to)
        {
            _knownCount = Math.Max(_knownCount, to);
            if (to > from) _later.Enqueue((from, to));
            _lastBlock = Math.Max(1, to - from);
        }

        /// <summary>Everyone waiting, or units ahead of demand while plenty is left; never more than a quarter of what is left.</summary>
        public int BlockSize(int limit)
        {
            var left = Math.Max(0, limit - _knownCount);
            var want = Math.Clamp(Math.Max(Waiting, Ahead(left)), 1, MaxBlock);
            return Math.Min(want, Math.Max(1, left / 4));
        }

        /// <summary>
        /// Units leased ahead of requests sit unused when this instance's demand stops, and until they are given back
        /// another instance is refused while the window still has room. So they are leased only while at least
        /// <see cref="AheadFrom"/> units are left, and at most 1/64 of them: the shortfall stays under 2% of what
        /// is left, and a limit below that (the default 300 a minute) is exact across instances.
        /// </summary>
        int Ahead(int left)
        {
            if (left < AheadFrom) return 0;
            var demand = Math.Max(_takenThisSecond, _takenLastSecond) / 4;
            return Math.Min(Math.Min(demand, _lastBlock * 2), left / 64);
        }

        public int ReleaseUnused()
        {
            var unused = Math.Max(0, _current.End - _current.Next);
            _current = (0, 0);
            while (_later.TryDequeue(out var r)) unused += Math.Max(0, r.End - r.Next);
            return unused;
        }
    }
}

/// <summary>Gives idle leases back twice a second, and everything left when the server stops.</summary>
public sealed class QuotaLeaseReturner(QuotaLeases leases, ILogger<QuotaLeaseReturner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await leases.ReturnIdleAsync(everything: false, stoppingToken); }
                catch (Exception e) when (e is NpgsqlException or TimeoutException) { log.LogWarning(e, "Returning unused rate-limit quota failed; will retry"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { await leases.ReturnIdleAsync(everything: true, cancellationToken); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException) { }
    }
}
