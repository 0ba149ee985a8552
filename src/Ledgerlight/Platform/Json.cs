using System.Text.Json.Serialization;

namespace Ledgerlight.Platform;

/// <summary>The one JSON configuration of the wire format: camelCase, nulls left out, enums as strings.</summary>
public static class Json
{
    public const string ContentType = "application/json;charset=UTF-8";

    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Money is int64 minor units: numbers written as strings ("100") are a type error, not accepted.
            NumberHandling = JsonNumberHandling.Strict,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            // Served as application/json only, never embedded in HTML: no need to escape '+' or quotes.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new UtcDateTimeConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Writes timestamps as ISO-8601 UTC with microsecond precision (PostgreSQL's own) and a Z, so a value read back filters exactly.</summary>
    sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var s = reader.GetString();
            if (s is null || !DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var dto))
                throw new JsonException("expected an ISO-8601 timestamp");
            return dto.UtcDateTime;
        }

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            // The round-trip format ("O") of a UTC time is yyyy-MM-ddTHH:mm:ss.fffffffZ: keep six of its seven fraction
            // digits (truncated, as "ffffff" would). Formatted into a stack buffer: a page of documents writes hundreds
            // of timestamps, and the custom-format path was the server's largest formatting cost on a vendor page.
            Span<byte> o = stackalloc byte[28];
            var utc = DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc);
            if (!System.Buffers.Text.Utf8Formatter.TryFormat(utc, o, out var written, new System.Buffers.StandardFormat('O')) || written != 28)
                throw new InvalidOperationException("unexpected round-trip timestamp format");
            o[26] = (byte)'Z';
            writer.WriteStringValue(o[..27]);
        }
    }
}
