using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.Platform;

/// <summary>
/// Honours X-Idempotency-Key on every POST/PUT/PATCH/DELETE, following the IETF Idempotency-Key
/// draft: the first request claims the key (row IN_FLIGHT) before it runs; a retry with the same
/// body replays the stored status and body; the same key with another body is 422; a duplicate
/// arriving while the first still runs is 409 and never executes. Keys are per company and kept
/// for at least 24 hours. Server errors (5xx) release the key so the client can retry, unless the
/// request had already committed a write.
/// Crash safety: the claim names the server instance running it, and the request's write
/// transactions mark it committed (<see cref="IdempotencyScope"/>). When that instance dies, a retry
/// takes over a claim that never committed (the request runs, once), and answers 409 for one that
/// did (its writes stand; only the answer was lost), never running it a second time.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource db, TimeProvider clock, Storage.ServerInstance instance)
{
    public const string Header = "X-Idempotency-Key";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    // A claim older than this belongs to a request whose server died mid-flight, even if its
    // instance still beats (no request runs this long).
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
        var body = await RequestBody.ReadWithinLimitAsync(ctx);
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
            using (IdempotencyScope.Enter(new IdempotencyScope(principal.CompanyId, key)))
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

    internal static byte[] HashRequest(HttpRequest request, byte[] body)
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
            INSERT INTO idempotency_keys (company_id, key, request_hash, state, created_at, instance_id)
            VALUES ($1, $2, $3, 'IN_FLIGHT', $4, $7)
            ON CONFLICT (company_id, key) DO UPDATE
               SET request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT', created_at = EXCLUDED.created_at,
                   instance_id = EXCLUDED.instance_id, committed_at = NULL, resource_id = NULL,
                   response_status = NULL, response_type = NULL, response_body = NULL, completed_at = NULL
             WHERE idempotency_keys.created_at < $5
                OR (idempotency_keys.state = 'IN_FLIGHT' AND idempotency_keys.committed_at IS NULL
                    AND idempotency_keys.request_hash = EXCLUDED.request_hash
                    AND (idempotency_keys.created_at < $6
                         OR NOT EXISTS (SELECT 1 FROM server_instances i
                                         WHERE i.id = idempotency_keys.instance_id AND i.heartbeat_at > now() - $8)))
            RETURNING 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now - Retention });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now - AbandonedAfter });
        cmd.Parameters.Add(new NpgsqlParameter { Value = instance.Id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Storage.ServerInstance.DeadAfter });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    async Task AnswerExistingAsync(HttpContext ctx, Guid companyId, string key, byte[] hash)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT k.request_hash, k.state, k.response_status, k.response_type, k.response_body,
                   k.committed_at IS NOT NULL AND (k.created_at < now() - $4 OR NOT EXISTS (
                       SELECT 1 FROM server_instances i WHERE i.id = k.instance_id AND i.heartbeat_at > now() - $3)),
                   k.resource_id
              FROM idempotency_keys k WHERE k.company_id = $1 AND k.key = $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Storage.ServerInstance.DeadAfter });
        cmd.Parameters.Add(new NpgsqlParameter { Value = AbandonedAfter });
        await using var reader = await cmd.ExecuteReaderAsync(ctx.RequestAborted);
        if (!await reader.ReadAsync(ctx.RequestAborted))
            throw ApiException.Conflict("A request with this idempotency key is being processed; retry shortly");

        var storedHash = (byte[])reader[0];
        if (!storedHash.AsSpan().SequenceEqual(hash))
            throw ApiException.Unprocessable(
                $"{Header} '{key}' was already used with a different request; use a new key for a new request", Header);
        if (reader.GetString(1) == Unanswered || (reader.GetString(1) != "DONE" && reader.GetBoolean(5)))
        {
            // Committed but never answered (its server died, or failed after the commit). Running it
            // again could post twice: say so, and point at what it created.
            var created = reader.IsDBNull(6) ? (Guid?)null : reader.GetGuid(6);
            var message = $"The request with {Header} '{key}' was carried out, but its answer was lost (the server stopped or failed " +
                          "after saving); it will not run again. Read the resource to see its state" +
                          (created is { } id ? $" (it created {id})" : "");
            throw new ApiException(409, "CONFLICT", message,
                [new FieldError("ANSWER_LOST", message, [Header], created is { } c ? new Dictionary<string, object?> { ["createdId"] = c } : null)]);
        }
        if (reader.GetString(1) != "DONE")
        {
            ctx.Response.Headers.RetryAfter = "1";
            throw ApiException.Conflict($"A request with {Header} '{key}' is still being processed; retry later");
        }

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

    const string Unanswered = "UNANSWERED";

    /// <summary>Frees the key for a retry, unless the request already committed a write: then it stays, unanswered.</summary>
    async Task ReleaseAsync(Guid companyId, string key)
    {
        await using var cmd = db.CreateCommand("""
            WITH freed AS (
              DELETE FROM idempotency_keys WHERE company_id = $1 AND key = $2 AND state = 'IN_FLIGHT' AND committed_at IS NULL)
            UPDATE idempotency_keys SET state = $3
             WHERE company_id = $1 AND key = $2 AND state = 'IN_FLIGHT' AND committed_at IS NOT NULL
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Unanswered });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
