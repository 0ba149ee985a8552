using Ledgerlight.Organization.Entities;

namespace Ledgerlight.Ledger;

/// <summary>SQL of building the chart: new accounts (with the entities they apply to) and label/status/context changes.</summary>
public sealed class LedgerAccountChartStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>The new account's model; 400 for unknown entities, 409 for a code already in the chart.</summary>
    public async Task<LedgerAccountModel> CreateAsync(Guid companyId, CreateLedgerAccountRequest r, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await CreateAsync(conn, tx, companyId, r);
        await tx.CommitWriteAsync(ct);
        return await LedgerAccountApi.GetModelAsync(conn, companyId, id);
    }

    /// <summary>The creation inside the caller's transaction (imports create a chart all or nothing); returns the new account's id.</summary>
    public async Task<Guid> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CreateLedgerAccountRequest r)
    {
        var entityIds = await EntitiesAsync(conn, tx, companyId, r.CompanyEntityIds);
        var id = Ids.New();
        try
        {
            await conn.ExecuteAsync("""
                INSERT INTO ledger_accounts (company_id, id, code, label, type, category, status, context, revaluate_fx_balance, created_at, updated_at)
                VALUES (@companyId, @id, @Code, @Label, @Type, @category, @status, @Context, @revaluate, @now, @now);
                INSERT INTO ledger_account_entities (company_id, ledger_account_id, company_entity_id)
                SELECT @companyId, @id, unnest(@entityIds);
                """, new
            {
                companyId, id, r.Code, Label = r.Label!.Trim(), r.Type, category = AccountTypes.CategoryOf(r.Type!), status = LedgerAccountStatus.Active,
                r.Context, revaluate = r.RevaluateFxBalance ?? false, now = clock.GetUtcNow().UtcDateTime, entityIds = entityIds.ToArray(),
            }, tx);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ApiException.Conflict($"Ledger account code {r.Code} is already used in this company's chart");
        }
        return id;
    }

    /// <summary>Null when the company has no such account; a context present in the body (null included) replaces the old one.</summary>
    public async Task<LedgerAccountModel?> UpdateAsync(Guid companyId, Guid id, UpdateLedgerAccountRequest r, bool setContext, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var changed = await conn.ExecuteAsync("""
            UPDATE ledger_accounts
               SET label = COALESCE(@label, label), status = COALESCE(@status, status),
                   context = CASE WHEN @setContext THEN @context ELSE context END, updated_at = @now
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, label = r.Label?.Trim(), status = r.Status, setContext, context = r.Context, now = clock.GetUtcNow().UtcDateTime });
        return changed == 0 ? null : await LedgerAccountApi.GetModelAsync(conn, companyId, id);
    }

    /// <summary>The entities named (each must exist in the company), or all of the company's when none are.</summary>
    static async Task<List<Guid>> EntitiesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, IReadOnlyList<Guid>? given)
    {
        if (given is not { Count: > 0 })
            return (await conn.QueryAsync<Guid>("SELECT id FROM company_entities WHERE company_id = @companyId", new { companyId }, tx)).ToList();
        var entityIds = given.Distinct().ToList();
        var existing = await EntityApi.ExistingAsync(conn, companyId, entityIds, tx);
        var v = new Validation();
        for (var i = 0; i < entityIds.Count; i++)
            if (!existing.Contains(entityIds[i])) v.Add($"Company entity {entityIds[i]} does not exist", "companyEntityIds", i);
        v.ThrowIfAny();
        return entityIds;
    }
}
