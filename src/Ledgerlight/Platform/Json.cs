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

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc)
                .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
