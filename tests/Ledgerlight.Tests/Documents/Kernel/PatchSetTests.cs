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

    sealed record HeaderRequest(Guid? CompanyEntityId, string? PoNumber, bool? LineItemsIncludeTax, string? Description);

    [Fact]
    public void Columns_take_the_wire_name_from_the_property_and_store_it_in_the_snake_case_column()
    {
        var entity = Guid.NewGuid();
        var r = new HeaderRequest(entity, null, true, "absent from the body");
        var patch = new PatchSet(Body($$"""{"companyEntityId":"{{entity}}","poNumber":null,"lineItemsIncludeTax":true}"""), new { id = Guid.Empty })
            .Columns(r, nameof(r.CompanyEntityId), nameof(r.PoNumber), nameof(r.LineItemsIncludeTax), nameof(r.Description));
        Assert.Equal("company_entity_id = @companyEntityId, po_number = @poNumber, line_items_include_tax = @lineItemsIncludeTax", patch.Clause);
        Assert.Equal(entity, patch.Parameters.Get<Guid?>("companyEntityId"));
        Assert.Null(patch.Parameters.Get<string?>("poNumber"));
        Assert.True(patch.Parameters.Get<bool?>("lineItemsIncludeTax"));
    }

    [Fact]
    public void A_misspelt_column_property_fails_loudly_rather_than_dropping_the_field()
    {
        var patch = new PatchSet(Body("""{"poNumber":"P"}"""), new { id = Guid.Empty });
        Assert.Throws<InvalidOperationException>(() => patch.Columns(new HeaderRequest(null, "P", null, null), "PurchaseOrderNumber"));
    }

    [Fact]
    public void Custom_properties_are_stored_as_jsonb_only_when_sent()
    {
        var group = Guid.NewGuid();
        var sent = new PatchSet(Body("""{"customProperties":[]}"""), new { id = Guid.Empty })
            .CustomProperties([new SetCustomPropertyRequest(group, null, ["x"])]);
        Assert.Equal("custom_properties = @customProperties::jsonb", sent.Clause);
        Assert.Contains(group.ToString(), sent.Parameters.Get<string>("customProperties"));
        Assert.True(new PatchSet(Body("{}"), new { id = Guid.Empty }).CustomProperties(null).IsEmpty);
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
