using Xunit;
using System.Text.Json;
using Ledgerlight.Documents.Kernel;
using Ledgerlight.Platform;

namespace Ledgerlight.Tests.Documents.Kernel;

public sealed class PatchSetTests
{
    static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Only_fields_present_in_the_body_are_set_and_null_is_kept_as_a_clearing()
    {
        var patch = new PatchSet(Body("""{"description":null,"reference":"R-1"}"""), new { id = Guid.Empty })
            .Set("description", "description", null)
            .Set("reference", "reference", "R-1")
            .Set("poNumber", "po_number", "ignored");
        Assert.Equal("description = @description, reference = @reference", patch.Clause);
        Assert.Null(patch.Parameters.Get<string?>("description"));
        Assert.Equal("R-1", patch.Parameters.Get<string>("reference"));
        Assert.False(patch.Has("poNumber"));
    }

    [Fact]
    public void Clearing_a_required_field_is_refused_with_its_path()
    {
        var v = new Validation();
        v.RefuseClearing(Body("""{"currency":null,"description":null}"""), ["currency", "companyEntityId"], "lines", 2);
        var error = Assert.Throws<ApiException>(v.ThrowIfAny);
        var only = Assert.Single(error.Errors);
        Assert.Equal(["lines", 2, "currency"], only.Path!);
    }
}
