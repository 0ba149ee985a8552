using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Platform;

public class ErrorListCapTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public void Validation_keeps_the_first_hundred_errors_and_counts_all()
    {
        var v = new Validation();
        for (var i = 0; i < 100_000; i++) v.Required(null, "lines", i, "amount");
        var e = Assert.Throws<ApiException>(v.ThrowIfAny);
        Assert.Equal(ApiException.MaxErrors, e.Errors.Count);
        Assert.Equal("100000 fields are invalid (first 100 shown)", e.Message);
        Assert.Equal(new object[] { "lines", 0, "amount" }, e.Errors[0].Path);

        var unprocessable = Assert.Throws<ApiException>(() => v.ThrowIfAny(422, "Lines do not balance"));
        Assert.Equal(ApiException.MaxErrors, unprocessable.Errors.Count);
        Assert.Contains("100000 errors", unprocessable.Message);
    }

    [Fact]
    public void Any_error_list_is_capped_in_the_envelope()
    {
        var errors = Enumerable.Range(0, 500).Select(i => new FieldError("BAD_REQUEST", "bad", [i])).ToList();
        Assert.Equal(ApiException.MaxErrors, new ApiException(400, "BAD_REQUEST", "bad", errors).Errors.Count);
        Assert.Equal("500 fields are invalid (first 100 shown)", ApiException.Invalid(errors).Message);
        Assert.Equal("3 fields are invalid", ApiException.Invalid(errors.Take(3).ToList()).Message);
    }

    [Fact]
    public async Task Thousands_of_empty_lines_answer_with_at_most_a_hundred_errors()
    {
        var body = "{\"postingDate\":\"2026-01-31\",\"description\":\"x\",\"currency\":\"USD\",\"lines\":["
                   + string.Join(',', Enumerable.Repeat("{}", 20_000)) + "]}";
        var response = await server.Admin.PostAsync("/v1/journal-entries", body);
        Assert.InRange(response.Code, 400, 422);
        var error = response.Json;
        Assert.InRange(error["errors"]!.AsArray().Count, 1, ApiException.MaxErrors);
        Assert.True(response.Body.Length < 64 * 1024, $"{response.Body.Length} bytes of errors");
    }
}
