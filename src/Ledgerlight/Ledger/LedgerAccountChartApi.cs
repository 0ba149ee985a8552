using System.Text.Json;
using Dapper;
using Ledgerlight.Organization.Entities;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.OpenApi;
using Npgsql;

namespace Ledgerlight.Ledger;

public sealed record CreateLedgerAccountRequest(int? Code, string? Label, string? Type, string? Context, IReadOnlyList<Guid>? CompanyEntityIds,
    bool? RevaluateFxBalance);

public sealed record UpdateLedgerAccountRequest(string? Label, string? Status, string? Context);

/// <summary>
/// Building the chart: Light's API only lists ledger accounts, so creating and updating them are
/// Ledgerlight extensions. Accounts are never deleted (lines may point at them); disabling one
/// stops new postings to it (422) and leaves its history intact.
/// </summary>
public static class LedgerAccountChartApi
{
    static readonly string[] Statuses = ["ACTIVE", "DISABLED"];

    public static void MapLedgerAccountChartApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/ledger-accounts", async (HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var r = await RequestBody.ReadAsync<CreateLedgerAccountRequest>(ctx);
                var v = new Validation();
                v.Required(r.Code, "code");
                if (r.Code is < 1 or > 999_999_999) v.Add("'code' must be a positive integer of at most 9 digits", "code");
                v.Required(r.Label, "label");
                v.MaxLength(r.Label, 255, "label");
                v.MaxLength(r.Context, 255, "context");
                v.Required(r.Type, "type");
                if (r.Type is not null && !AccountTypes.IsKnown(r.Type)) v.Add($"Unknown account type '{r.Type}'", "type");
                if (r.Type is "BANK") v.Add("Bank ledger accounts are created with their bank account (POST /v1/bank-accounts)", "type");
                v.ThrowIfAny();

                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                await using var tx = await conn.BeginTransactionAsync(ctx.RequestAborted);
                var entityIds = r.CompanyEntityIds is { Count: > 0 } given
                    ? given.Distinct().ToList()
                    : (await conn.QueryAsync<Guid>("SELECT id FROM company_entities WHERE company_id = @companyId", new { companyId }, tx)).ToList();
                var existing = await EntityApi.ExistingAsync(conn, companyId, entityIds, tx);
                for (var i = 0; i < entityIds.Count; i++)
                    if (!existing.Contains(entityIds[i])) v.Add($"Company entity {entityIds[i]} does not exist", "companyEntityIds", i);
                v.ThrowIfAny();

                var id = Ids.New();
                var now = clock.GetUtcNow().UtcDateTime;
                try
                {
                    await conn.ExecuteAsync("""
                        INSERT INTO ledger_accounts (company_id, id, code, label, type, category, status, context, revaluate_fx_balance, created_at, updated_at)
                        VALUES (@companyId, @id, @Code, @Label, @Type, @category, 'ACTIVE', @Context, @revaluate, @now, @now);
                        INSERT INTO ledger_account_entities (company_id, ledger_account_id, company_entity_id)
                        SELECT @companyId, @id, unnest(@entityIds);
                        """, new { companyId, id, r.Code, Label = r.Label!.Trim(), r.Type, category = AccountTypes.CategoryOf(r.Type!), r.Context,
                        revaluate = r.RevaluateFxBalance ?? false, now, entityIds = entityIds.ToArray() }, tx);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw ApiException.Conflict($"Ledger account code {r.Code} is already used in this company's chart");
                }
                await tx.CommitWriteAsync(ctx.RequestAborted);
                return ApiResults.Ok(await LedgerAccountApi.GetModelAsync(conn, companyId, id));
            })
            .WithName("createLedgerAccount")
            .WithMetadata(new LedgerlightExtension("Create ledger account",
                "Adds an account to the chart (code unique per company → 409; BANK accounts come with POST /v1/bank-accounts).",
                "ExternalLedgerAccountV1Model"))
            .RequirePermission(Permissions.Write("ledger"));

        app.MapPatch("/v1/ledger-accounts/{ledgerAccountId}", async (string ledgerAccountId, HttpContext ctx, NpgsqlDataSource db, TimeProvider clock) =>
            {
                var id = Ids.Parse(ledgerAccountId, "ledgerAccountId");
                var (r, root) = await RequestBody.ReadWithRootAsync<UpdateLedgerAccountRequest>(ctx);
                var v = new Validation();
                if (root.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.Null) v.Add("'label' cannot be cleared", "label");
                if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Null) v.Add("'status' cannot be cleared", "status");
                if (r.Status is not null && !Statuses.Contains(r.Status)) v.Add("'status' must be ACTIVE or DISABLED", "status");
                v.MaxLength(r.Label, 255, "label");
                v.MaxLength(r.Context, 255, "context");
                v.ThrowIfAny();

                var companyId = ctx.Principal().CompanyId;
                await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
                var changed = await conn.ExecuteAsync("""
                    UPDATE ledger_accounts
                       SET label = COALESCE(@label, label), status = COALESCE(@status, status),
                           context = CASE WHEN @hasContext THEN @context ELSE context END, updated_at = @now
                     WHERE company_id = @companyId AND id = @id
                    """, new { companyId, id, label = r.Label?.Trim(), status = r.Status, hasContext = root.TryGetProperty("context", out _),
                    context = r.Context, now = clock.GetUtcNow().UtcDateTime });
                if (changed == 0) throw ApiException.NotFound("Ledger account");
                return ApiResults.Ok(await LedgerAccountApi.GetModelAsync(conn, companyId, id));
            })
            .WithName("updateLedgerAccount")
            .WithMetadata(new LedgerlightExtension("Update ledger account",
                "Changes an account's label, context or status (ACTIVE / DISABLED; a disabled account refuses new postings). Null clears context.",
                "ExternalLedgerAccountV1Model"))
            .RequirePermission(Permissions.Write("ledger"));
    }
}
