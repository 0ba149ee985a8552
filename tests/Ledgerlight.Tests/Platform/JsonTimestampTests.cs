using System.Text.Json;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Platform;

/// <summary>The wire format of timestamps: ISO-8601 UTC with PostgreSQL's microsecond precision and a Z, read back exactly.</summary>
public class JsonTimestampTests
{
    [Theory]
    [InlineData(2026, 12, 3, 7, 14, 5, 1234567, "2026-12-03T07:14:05.123456Z")]
    [InlineData(2026, 1, 1, 0, 0, 0, 0, "2026-01-01T00:00:00.000000Z")]
    [InlineData(1, 1, 1, 0, 0, 0, 10, "0001-01-01T00:00:00.000001Z")]
    [InlineData(9999, 12, 31, 23, 59, 59, 9999999, "9999-12-31T23:59:59.999999Z")]
    public void A_utc_timestamp_is_written_with_six_fraction_digits_truncated(int y, int mo, int d, int h, int mi, int s, int ticks, string expected)
    {
        var value = new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc).AddTicks(ticks);
        Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(value, Json.Options));
        Assert.Equal(value.AddTicks(-(value.Ticks % 10)), JsonSerializer.Deserialize<DateTime>($"\"{expected}\"", Json.Options));
    }

    [Fact]
    public void A_timestamp_inside_a_model_is_written_the_same_way()
    {
        var json = JsonSerializer.Serialize(new { createdAt = new DateTime(2026, 12, 3, 7, 14, 5, DateTimeKind.Utc).AddTicks(10) }, Json.Options);
        Assert.Equal("""{"createdAt":"2026-12-03T07:14:05.000001Z"}""", json);
    }
}
