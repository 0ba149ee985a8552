using System.Security.Cryptography;
using System.Text;
using Ledgerlight.Platform.Auth;
using Npgsql;

namespace Ledgerlight.Platform;

/// <summary>
/// Honours X-Idempotency-Key on every POST/PUT/PATCH/DELETE, following the IETF Idempotency-Key
/// draft: the first request claims the key (row IN_FLIGHT) before it runs; a retry with the same
/// body replays the stored status and body; the same key with another body is 422; a duplicate
/// arriving while the first still runs is 409 and never executes. Keys are per company and kept
/// for at least 24 hours. Server errors (5xx) release the key so the client can retry.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource db, TimeProvider clock)
{
    public const string Header = "X-Idempotency-Key";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    // A claim older than this belongs to a request whose server died mid-flight.
    static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(5);

    public async Task InvokeAsync(HttpContext ctx)
    {
        var key = ctx.Request.Headers[Header].ToString();
        if (key.Length == 0) key = ctx.Request.Headers["Idempotency-Key"].ToString();
        var principal = ctx.FindPrincipal();
        if (key.Length == 0 || principal is null || !IsWrite(ctx.Request.Method))
        {
            await next(ctx);
            return;
        }
        if (key.Length > MaxKeyLength)
            throw ApiException.BadRequest($"{Header} must be at most {MaxKeyLength} characters", Header);

        // Buffer the body: it is hashed here and read again by the endpoint.
        var body = await ReadBodyAsync(ctx);
        ctx.Request.Body = new MemoryStream(body);
        var hash = HashRequest(ctx.Request, body);

        if (!await TryClaimAsync(principal.CompanyId, key, hash, ctx.RequestAborted))
        {
            await AnswerExistingAsync(ctx, principal.CompanyId, key, hash);
            return;
        }

        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next(ctx);
        }
        catch
        {
            ctx.Response.Body = original;
            await ReleaseAsync(principal.CompanyId, key);
            throw;
        }
        ctx.Response.Body = original;

        if (ctx.Response.StatusCode >= 500) await ReleaseAsync(principal.CompanyId, key);
        else await CompleteAsync(principal.CompanyId, key, ctx.Response.StatusCode, ctx.Response.ContentType, buffer.ToArray());

        buffer.Position = 0;
        await buffer.CopyToAsync(original, ctx.RequestAborted);
    }

    static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            if (ms.Length + read > RequestBody.MaxBytes)
                throw new ApiException(413, "PAYLOAD_TOO_LARGE", $"Request body exceeds the limit of {RequestBody.MaxBytes} bytes");
            ms.Write(chunk, 0, read);
        }
        return ms.ToArray();
    }

    static byte[] HashRequest(HttpRequest request, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        sha.AppendData(body);
        return sha.GetHashAndReset();
    }

    async Task<bool> TryClaimAsync(Guid companyId, string key, byte[] hash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var cmd = db.CreateCommand("""
            INSERT INTO idempotency_keys (company_id, key, request_hash, state, created_at)
            VALUES ($1, $2, $3, 'IN_FLIGHT', $4)
            ON CONFLICT (company_id, key) DO UPDATE
               SET request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT', created_at = EXCLUDED.created_at,
                   response_status = NULL, response_type = NULL, response_body = NULL, completed_at = NULL
             WHERE idempotency_keys.created_at < $5
                OR (idempotency_keys.state = 'IN_FLIGHT' AND idempotency_keys.created_at < $6)
            RETURNING 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now - Retention });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now - AbandonedAfter });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    async Task AnswerExistingAsync(HttpContext ctx, Guid companyId, string key, byte[] hash)
    {
        await using var cmd = db.CreateCommand(
            "SELECT request_hash, state, response_status, response_type, response_body FROM idempotency_keys WHERE company_id = $1 AND key = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await cmd.ExecuteReaderAsync(ctx.RequestAborted);
        if (!await reader.ReadAsync(ctx.RequestAborted))
            throw ApiException.Conflict("A request with this idempotency key is being processed; retry shortly");

        var storedHash = (byte[])reader[0];
        if (!storedHash.AsSpan().SequenceEqual(hash))
            throw ApiException.Unprocessable(
                $"{Header} '{key}' was already used with a different request; use a new key for a new request", Header);
        if (reader.GetString(1) != "DONE")
            throw ApiException.Conflict($"A request with {Header} '{key}' is still being processed; retry later");

        ctx.Response.StatusCode = reader.GetInt32(2);
        if (!reader.IsDBNull(3)) ctx.Response.ContentType = reader.GetString(3);
        ctx.Response.Headers["Idempotent-Replayed"] = "true";
        var stored = reader.IsDBNull(4) ? [] : (byte[])reader[4];
        await ctx.Response.Body.WriteAsync(stored, ctx.RequestAborted);
    }

    async Task CompleteAsync(Guid companyId, string key, int status, string? contentType, byte[] body)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE idempotency_keys SET state = 'DONE', response_status = $3, response_type = $4, response_body = $5, completed_at = now()
             WHERE company_id = $1 AND key = $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)contentType ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = body });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    async Task ReleaseAsync(Guid companyId, string key)
    {
        await using var cmd = db.CreateCommand("DELETE FROM idempotency_keys WHERE company_id = $1 AND key = $2 AND state = 'IN_FLIGHT'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
