using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Platform;

public sealed class RateLimitOptions
{
    public int PerMinute { get; set; } = 300;
    public int PerDay { get; set; } = 100_000;
}

/// <summary>
/// Fixed-window counters kept in PostgreSQL so every server instance behind a load balancer
/// shares them: one per credential per minute, one per company per UTC day. Both are bumped in a
/// single round trip — for API keys the same round trip that resolves the key (ApiKeyResolver).
/// Unauthenticated calls to /v1 are limited per client address instead, which
/// also slows down key guessing.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, NpgsqlDataSource db, RateLimitOptions options, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!AuthenticationMiddleware.IsProtected(ctx.Request.Path))
        {
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
                cmd.Parameters.Add(new NpgsqlParameter { Value = $"company:{principal.CompanyId}" });
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

    const string Upsert = "INSERT INTO rate_limit_counters (bucket, window_start, count)";
    const string OnConflict =
        " ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limit_counters.count + 1 RETURNING bucket, count";
}
