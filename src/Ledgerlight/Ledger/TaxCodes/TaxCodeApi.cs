using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Ledger.TaxCodes;

public sealed record CreateTaxCodeRequest(string? Code, string? Label, decimal? RatePercent, Guid? InputAccountId, Guid? OutputAccountId);

/// <summary>Tax codes: Ledgerlight extensions (Light's API references tax codes by id but has no operation to manage them).</summary>
public static class TaxCodeApi
{
    public static void MapTaxCodeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/tax-codes", async (HttpContext ctx, TaxCodeStore store) =>
                ApiResults.Ok((await store.ListAsync(ctx.Principal().CompanyId)).Select(t => t.ToModel()).ToList()))
            .WithName("listTaxCodes")
            .WithMetadata(new LedgerlightExtension("List tax codes", "The company's tax codes with their rates (percent) and tax accounts."))
            .RequirePermission(Permissions.Read("ledger"));

        app.MapPost("/v1/tax-codes", async (HttpContext ctx, TaxCodeStore store) =>
            {
                var r = await RequestBody.ReadAsync<CreateTaxCodeRequest>(ctx);
                var v = new Validation();
                v.Required(r.Code, "code");
                v.MaxLength(r.Code, 50, "code");
                v.Required(r.Label, "label");
                v.MaxLength(r.Label, 255, "label");
                v.Required(r.RatePercent, "ratePercent");
                if (r.RatePercent is < 0 or > 100) v.Add("'ratePercent' must be between 0 and 100", "ratePercent");
                v.ThrowIfAny();
                var row = await store.CreateAsync(ctx.Principal().CompanyId, r.Code!.Trim(), r.Label!.Trim(), r.RatePercent!.Value,
                    r.InputAccountId, r.OutputAccountId);
                return ApiResults.Ok(row.ToModel());
            })
            .WithName("createTaxCode")
            .WithMetadata(new LedgerlightExtension("Create tax code", "Adds a tax code (code unique per company → 409); tax accounts default to Input/Output VAT."))
            .RequirePermission(Permissions.Write("ledger"));
    }
}
