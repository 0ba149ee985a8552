namespace Ledgerlight.Platform;

/// <summary>Writes the Light error envelope. The only place error bodies are produced.</summary>
public static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext ctx, int status, string type, string message,
        IReadOnlyList<FieldError>? errors = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = Json.ContentType;
        var envelope = new ErrorEnvelope(ErrorTypes.NameFor(status), type, message, errors ?? [], RequestIds.Get(ctx));
        await ctx.Response.Body.WriteAsync(Json.Serialize(envelope));
    }

    public static Task WriteAsync(HttpContext ctx, ApiException e) => WriteAsync(ctx, e.Status, e.Type, e.Message, e.Errors);
}

public static class RequestIds
{
    public const string Header = "X-Request-Id";
    const string Key = "ledgerlight.request-id";

    /// <summary>Keeps a caller's id if it is short and printable, so logs on both sides line up.</summary>
    public static string Assign(HttpContext ctx)
    {
        var incoming = ctx.Request.Headers[Header].ToString();
        var id = incoming.Length is > 0 and <= 128 && incoming.All(c => c is > ' ' and < (char)127)
            ? incoming
            : Guid.CreateVersion7().ToString();
        ctx.Items[Key] = id;
        ctx.Response.Headers[Header] = id;
        return id;
    }

    public static string? Get(HttpContext ctx) => ctx.Items.TryGetValue(Key, out var v) ? v as string : null;
}

/// <summary>
/// Outermost middleware: gives every response a request id, turns any escaped exception into an
/// envelope without a stack trace (500 for the unexpected, logged with the request id), and fills
/// empty 4xx/5xx responses from the framework itself (unknown route 404, wrong method 405).
/// </summary>
public sealed class ErrorBoundaryMiddleware(RequestDelegate next, ILogger<ErrorBoundaryMiddleware> log)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await AnswerAsync(ctx);
        }
        finally
        {
            RequestBody.LetUnreadBodyDrain(ctx);
        }
    }

    async Task AnswerAsync(HttpContext ctx)
    {
        var requestId = RequestIds.Assign(ctx);
        try
        {
            await next(ctx);
        }
        catch (ApiException e) when (!ctx.Response.HasStarted)
        {
            ResetForError(ctx, requestId);
            await ErrorResponses.WriteAsync(ctx, e);
            return;
        }
        catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
        {
            ResetForError(ctx, requestId);
            var status = e.StatusCode == 413 ? 413 : 400;
            await ErrorResponses.WriteAsync(ctx, status, ErrorTypes.ForStatus(status),
                status == 413 ? "Request body too large" : "Malformed request");
            return;
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; nobody to answer
        }
        catch (Exception e)
        {
            log.LogError(e, "Unhandled error for request {RequestId} {Method} {Path}", requestId, ctx.Request.Method, ctx.Request.Path);
            if (ctx.Response.HasStarted) throw;
            ResetForError(ctx, requestId);
            await ErrorResponses.WriteAsync(ctx, 500, "INTERNAL_SERVER_ERROR",
                $"An unexpected error occurred. Quote request id {requestId} when contacting support.");
            return;
        }

        if (ctx.Response.StatusCode >= 400 && !ctx.Response.HasStarted && ctx.Response.ContentLength is null or 0)
        {
            var status = ctx.Response.StatusCode;
            var message = status switch
            {
                404 => $"No route matches {ctx.Request.Method} {ctx.Request.Path}",
                405 => $"Method {ctx.Request.Method} is not allowed on {ctx.Request.Path}",
                _ => ErrorTypes.NameFor(status),
            };
            await ErrorResponses.WriteAsync(ctx, status, ErrorTypes.ForStatus(status), message);
        }
    }

    static void ResetForError(HttpContext ctx, string requestId)
    {
        // Keep the rate-limit headers (the client still needs them) but drop anything else half-set.
        var keep = ctx.Response.Headers.Where(h => h.Key.StartsWith("X-RateLimit", StringComparison.OrdinalIgnoreCase)
                                                   || h.Key == "Retry-After").ToList();
        ctx.Response.Clear();
        foreach (var h in keep) ctx.Response.Headers[h.Key] = h.Value;
        ctx.Response.Headers[RequestIds.Header] = requestId;
    }
}

/// <summary>
/// Innermost middleware: turns a business or validation failure into its envelope right next to
/// the endpoint, so the idempotency layer above sees (and stores) the 4xx like any response.
/// A statement that failed in PostgreSQL may have left its pooled connection with a half-prepared
/// statement (see <see cref="Storage.Database.ForgetPreparedStatements"/>): the pool is cleared
/// here, in an exception filter, before anything else unwinds, and the error goes on to the boundary.
/// </summary>
public sealed class ApiExceptionMiddleware(RequestDelegate next, NpgsqlDataSource db)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (ApiException e) when (!ctx.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(ctx, e);
        }
        catch (Exception e) when (ForgetPreparedStatementsAfter(e))
        {
            throw; // never reached: the filter always declines
        }
    }

    bool ForgetPreparedStatementsAfter(Exception e)
    {
        if (Storage.Database.IsStatementFailure(e)) Storage.Database.ForgetPreparedStatements(db);
        return false;
    }
}
