using System.Net;

namespace Ledgerlight.Platform;

/// <summary>One field-level problem inside the Light error envelope.</summary>
public sealed record FieldError(string Type, string Message, IReadOnlyList<object>? Path = null,
    IReadOnlyDictionary<string, object?>? Context = null)
{
    public string ClientMessage => Message;
}

/// <summary>
/// A failure that becomes a Light error envelope. Thrown anywhere in request handling; the error
/// middleware turns it into the response, so handlers never write error bodies themselves.
/// </summary>
public sealed class ApiException : Exception
{
    public int Status { get; }
    public string Type { get; }
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>
    /// At most this many field errors go into one answer: a body of 100,000 bad lines must not
    /// produce megabytes of errors. The message says how many there were in all.
    /// </summary>
    public const int MaxErrors = 100;

    public ApiException(int status, string type, string message, IReadOnlyList<FieldError>? errors = null)
        : base(message)
    {
        Status = status;
        Type = type;
        errors ??= [];
        Errors = errors.Count > MaxErrors ? errors.Take(MaxErrors).ToArray() : errors;
    }

    /// <summary>"12 fields are invalid", or "100000 fields are invalid (first 100 shown)".</summary>
    public static string CountMessage(int total) =>
        total > MaxErrors ? $"{total} fields are invalid (first {MaxErrors} shown)" : $"{total} fields are invalid";

    public static ApiException BadRequest(string message, params object[] path) =>
        new(400, "BAD_REQUEST", message, [new FieldError("BAD_REQUEST", message, path.Length > 0 ? path : null)]);

    public static ApiException Invalid(IReadOnlyList<FieldError> errors) => Invalid(errors, errors.Count);

    /// <summary>The first errors of <paramref name="total"/> (a <see cref="Validation"/> keeps only the first few).</summary>
    public static ApiException Invalid(IReadOnlyList<FieldError> errors, int total) =>
        new(400, "BAD_REQUEST", total == 1 ? errors[0].Message : CountMessage(total), errors);

    public static ApiException MissingParameter(string name) =>
        new(400, ErrorTypes.MissingParameter, $"Missing parameter '{name}'",
            [new FieldError(ErrorTypes.MissingParameter, $"Missing parameter '{name}'", [name])]);

    public static ApiException NotFound(string what) => new(404, "NOT_FOUND", $"{what} not found");
    public static ApiException Conflict(string message) => new(409, "CONFLICT", message);
    public static ApiException Unprocessable(string message, params object[] path) =>
        new(422, "UNPROCESSABLE_CONTENT", message,
            [new FieldError("UNPROCESSABLE_CONTENT", message, path.Length > 0 ? path : null)]);
    public static ApiException Forbidden(string message) => new(403, "FORBIDDEN", message);
    public static ApiException Unauthorized(string message = "Credentials are required to access this resource") =>
        new(401, "UNAUTHORIZED", message);
}

/// <summary>The error body Light sends (not RFC 9457).</summary>
public sealed record ErrorEnvelope(string Name, string Type, string Message, IReadOnlyList<FieldError> Errors, string? RequestId);

public static class ErrorTypes
{
    /// <summary>A required query or form parameter is absent (a 400 that names it).</summary>
    public const string MissingParameter = "MISSING_PARAMETER";

    public static string ForStatus(int status) => status switch
    {
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        409 => "CONFLICT",
        413 => "PAYLOAD_TOO_LARGE",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "UNPROCESSABLE_CONTENT",
        429 => "TOO_MANY_REQUESTS",
        _ when status >= 500 => "INTERNAL_SERVER_ERROR",
        _ => "BAD_REQUEST",
    };

    /// <summary>Human name of the status, used as the envelope's "name" (e.g. "NotFound").</summary>
    public static string NameFor(int status) =>
        Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "Error";
}
