using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Ledger;

/// <summary>
/// Building the chart: Light's API only lists ledger accounts, so creating and updating them are
/// Ledgerlight extensions. Accounts are never deleted (lines may point at them); disabling one
/// stops new postings to it (422) and leaves its history intact.
/// </summary>
public static class LedgerAccountChartApi
{
    public static void MapLedgerAccountChartApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/ledger-accounts", async (HttpContext ctx, LedgerAccountChartStore store) =>
            {
                var r = await RequestBody.ReadValidAsync<CreateLedgerAccountRequest>(ctx, (x, v) => x.Validate(v));
                return ApiResults.Ok(await store.CreateAsync(ctx.Principal().CompanyId, r, ctx.RequestAborted));
            })
            .WithName("createLedgerAccount")
            .WithMetadata(new LedgerlightExtension("Create ledger account",
                "Adds an account to the chart (code unique per company → 409; BANK accounts come with POST /v1/bank-accounts).",
                "ExternalLedgerAccountV1Model"))
            .RequirePermission(Permissions.Write("ledger"));

        app.MapPatch("/v1/ledger-accounts/{ledgerAccountId}", async (string ledgerAccountId, HttpContext ctx, LedgerAccountChartStore store) =>
            {
                var id = Ids.Parse(ledgerAccountId, "ledgerAccountId");
                var (r, body) = await RequestBody.ReadWithRootAsync<UpdateLedgerAccountRequest>(ctx);
                var v = new Validation();
                r.Validate(v, body);
                v.ThrowIfAny();
                return ApiResults.Ok(await store.UpdateAsync(ctx.Principal().CompanyId, id, r, body.TryGetProperty("context", out _), ctx.RequestAborted)
                                     ?? throw ApiException.NotFound("Ledger account"));
            })
            .WithName("updateLedgerAccount")
            .WithMetadata(new LedgerlightExtension("Update ledger account",
                "Changes an account's label, context or status (ACTIVE / DISABLED; a disabled account refuses new postings). Null clears context.",
                "ExternalLedgerAccountV1Model"))
            .RequirePermission(Permissions.Write("ledger"));
    }
}
