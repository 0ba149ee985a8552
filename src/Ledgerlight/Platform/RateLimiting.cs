namespace Ledgerlight.Platform;

public sealed class RateLimitOptions
{
    public int PerMinute { get; set; } = 300;
    public int PerDay { get; set; } = 100_000;

    /// <summary>Requests per minute to one signed file URL (<c>/files/{token}</c>, no API key): per token.</summary>
    public int FilesPerMinute { get; set; } = 60;

    /// <summary>Requests per minute to <c>/openapi.json</c>: per client address.</summary>
    public int PublicPerMinute { get; set; } = 60;

    /// <summary>Overrides from LEDGERLIGHT_RATE_LIMIT_{PER_MINUTE,PER_DAY,FILES_PER_MINUTE,PUBLIC_PER_MINUTE}.</summary>
    public static RateLimitOptions FromEnvironment()
    {
        var options = new RateLimitOptions();
        static int? Read(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : null;
        options.PerMinute = Read("LEDGERLIGHT_RATE_LIMIT_PER_MINUTE") ?? options.PerMinute;
        options.PerDay = Read("LEDGERLIGHT_RATE_LIMIT_PER_DAY") ?? options.PerDay;
        options.FilesPerMinute = Read("LEDGERLIGHT_RATE_LIMIT_FILES_PER_MINUTE") ?? options.FilesPerMinute;
        options.PublicPerMinute = Read("LEDGERLIGHT_RATE_LIMIT_PUBLIC_PER_MINUTE") ?? options.PublicPerMinute;
        return options;
    }
}

/// <summary>
/// Fixed-window counters kept in PostgreSQL so every server instance behind a load balancer
/// shares them: one per credential per minute, one per company per UTC day. An identified caller's
/// request takes a unit of each from quota this instance leased in blocks (<see cref="QuotaLeases"/>:
/// no database round trip for most requests, never more than the limit across instances). A resolver
/// that counted the request itself sets <see cref="Principal.Counted"/> and is taken at its word.
/// Unauthenticated calls to /v1 are limited per client address instead, which
/// also slows down key guessing. The routes outside /v1 that do work have their own per-minute
/// budget: a signed file URL per token (the token is its only credential), the published OpenAPI
/// document per client address. Health probes and the static docs page are not limited.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, NpgsqlDataSource db, QuotaLeases leases, RateLimitOptions options, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!AuthenticationMiddleware.IsProtected(ctx.Request.Path))
        {
            if (OutsideApiBucket(ctx) is { } outside) await LimitPerMinuteAsync(ctx, outside.Bucket, outside.PerMinute);
            await next(ctx);
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (minute, day) = RateLimitWindows.Of(now);
        var principal = ctx.FindPrincipal();
        var minuteBucket = principal?.CredentialBucket ?? $"ip:{ctx.Connection.RemoteIpAddress}";

        int minuteCount, dayCount;
        if (principal?.Counted is { } counted)
        {
            // The credential resolver already counted this request in the same round trip.
            (minuteCount, dayCount, minute, day) = (counted.Minute, counted.Day, counted.MinuteWindow, counted.DayWindow);
        }
        else if (principal is not null)
        {
            // Both windows at once: from this instance's leased quota, or one lease statement each.
            var minuteTake = leases.TakeAsync(minuteBucket, minute, options.PerMinute, ctx.RequestAborted);
            var dayTake = leases.TakeAsync(principal.CompanyBucket, day, options.PerDay, ctx.RequestAborted);
            (minuteCount, dayCount) = (await minuteTake, await dayTake);
        }
        else (minuteCount, dayCount) = await CountAsync(ctx, principal, minuteBucket, minute, day);

        var minuteLeft = Math.Max(0, options.PerMinute - minuteCount);
        var dayLeft = principal is null ? int.MaxValue : Math.Max(0, options.PerDay - dayCount);
        var minuteReset = new DateTimeOffset(minute.AddMinutes(1)).ToUnixTimeSeconds();
        var dayReset = new DateTimeOffset(day.AddDays(1)).ToUnixTimeSeconds();

        // Report the limit closest to running out; on refusal, the one that refused.
        var dayBinds = dayLeft < minuteLeft || dayCount > options.PerDay;
        var headers = ctx.Response.Headers;
        headers["X-RateLimit-Limit"] = (dayBinds ? options.PerDay : options.PerMinute).ToString();
        headers["X-RateLimit-Remaining"] = (dayBinds ? dayLeft : minuteLeft).ToString();
        headers["X-RateLimit-Reset"] = (dayBinds ? dayReset : minuteReset).ToString();

        if (minuteCount > options.PerMinute || (principal is not null && dayCount > options.PerDay))
        {
            var resetAt = dayCount > options.PerDay ? dayReset : minuteReset;
            var retryAfter = Math.Max(1, resetAt - new DateTimeOffset(now).ToUnixTimeSeconds());
            headers.RetryAfter = retryAfter.ToString();
            throw new ApiException(429, "TOO_MANY_REQUESTS",
                dayCount > options.PerDay
                    ? $"Daily request limit of {options.PerDay} for this company reached; retry after {retryAfter} s"
                    : $"Request limit of {options.PerMinute} per minute reached; retry after {retryAfter} s");
        }

        await next(ctx);
    }

    (string Bucket, int PerMinute)? OutsideApiBucket(HttpContext ctx)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/files", out var rest) && rest.Value is { Length: > 1 } token)
        {
            // A digest, not the token: the counters table must not hold working download/upload URLs.
            var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))[..32];
            return ($"file:{digest}", options.FilesPerMinute);
        }
        if (path.Equals("/openapi.json", StringComparison.OrdinalIgnoreCase))
            return ($"public:{ctx.Connection.RemoteIpAddress}", options.PublicPerMinute);
        // The OAuth pages and token endpoint take passwords and client secrets: a per-address budget slows guessing.
        if (path.StartsWithSegments("/oauth"))
            return ($"oauth:{ctx.Connection.RemoteIpAddress}", options.PublicPerMinute);
        return null;
    }

    /// <summary>One fixed one-minute window, same headers and 429 envelope as the API's limit.</summary>
    async Task LimitPerMinuteAsync(HttpContext ctx, string bucket, int perMinute)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (minute, day) = RateLimitWindows.Of(now);
        var (count, _) = await CountAsync(ctx, null, bucket, minute, day);
        var reset = new DateTimeOffset(minute.AddMinutes(1)).ToUnixTimeSeconds();
        var headers = ctx.Response.Headers;
        headers["X-RateLimit-Limit"] = perMinute.ToString();
        headers["X-RateLimit-Remaining"] = Math.Max(0, perMinute - count).ToString();
        headers["X-RateLimit-Reset"] = reset.ToString();
        if (count <= perMinute) return;
        var retryAfter = Math.Max(1, reset - new DateTimeOffset(now).ToUnixTimeSeconds());
        headers.RetryAfter = retryAfter.ToString();
        throw new ApiException(429, "TOO_MANY_REQUESTS", $"Request limit of {perMinute} per minute reached; retry after {retryAfter} s");
    }

    /// <summary>Counts a request the credential resolver did not count (unauthenticated, or another resolver).</summary>
    async Task<(int Minute, int Day)> CountAsync(HttpContext ctx, Principal? principal, string minuteBucket, DateTime minute, DateTime day)
    {
        int minuteCount = 0, dayCount = 0;
        await using (var cmd = db.CreateCommand())
        {
            if (principal is null)
            {
                cmd.CommandText = Upsert + " VALUES ($1, $2, 1)" + OnConflict;
                cmd.Parameters.Add(new NpgsqlParameter { Value = minuteBucket });
                cmd.Parameters.Add(new NpgsqlParameter { Value = minute });
            }
            else
            {
                cmd.CommandText = Upsert + " VALUES ($1, $2, 1), ($3, $4, 1)" + OnConflict;
                cmd.Parameters.Add(new NpgsqlParameter { Value = minuteBucket });
                cmd.Parameters.Add(new NpgsqlParameter { Value = minute });
                cmd.Parameters.Add(new NpgsqlParameter { Value = principal.CompanyBucket });
                cmd.Parameters.Add(new NpgsqlParameter { Value = day });
            }
            await using var reader = await cmd.ExecuteReaderAsync(ctx.RequestAborted);
            minuteCount = 0;
            while (await reader.ReadAsync(ctx.RequestAborted))
            {
                if (reader.GetString(0) == minuteBucket) minuteCount = reader.GetInt32(1);
                else dayCount = reader.GetInt32(1);
            }
        }
        return (minuteCount, dayCount);
    }

    const string Upsert = RateLimitCounters.Insert;
    const string OnConflict = " " + RateLimitCounters.CountOnConflict;
}

/// <summary>
/// The one place the counter table's SQL is spelled: the resolver counts in the same statement that
/// finds the key, the middleware counts requests no resolver counted; both add to the same rows.
/// </summary>
public static class RateLimitCounters
{
    public const string Insert = "INSERT INTO rate_limit_counters (bucket, window_start, count)";

    /// <summary>Adds one to an existing window's row and answers each bucket's new count.</summary>
    public const string CountOnConflict =
        "ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limit_counters.count + 1 RETURNING bucket, count";
}
