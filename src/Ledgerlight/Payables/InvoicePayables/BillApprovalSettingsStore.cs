using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>The settings <see cref="BillApproval"/> reads: a vendor's named approvers and the company's amount threshold.</summary>
public sealed class BillApprovalSettingsStore(NpgsqlDataSource db, TimeProvider clock)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    sealed class RuleRow
    {
        public long? AmountThreshold { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    public async Task<bool> SetVendorApproversAsync(Guid companyId, Guid vendorId, VendorApproversRequest r)
    {
        var v = new Validation();
        var approvers = r.Approvers ?? [];
        if (r.Approvers is null) v.Required(null, "approvers");
        if (approvers.Count > 20) v.Add("At most 20 approvers", "approvers");
        for (var i = 0; i < approvers.Count; i++)
        {
            v.Required(approvers[i].UserId, "approvers", i, "userId");
            if (approvers[i].Priority is < 1) v.Add("'priority' must be at least 1", "approvers", i, "priority");
            if (approvers[i].UserId is { } u && approvers.Take(i).Any(a => a.UserId == u)) v.Add($"{u} is listed twice", "approvers", i, "userId");
        }
        v.ThrowIfAny();
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (await VendorDefaults.FindAsync(conn, tx, companyId, vendorId, forUpdate: true) is null) return false;
        var ids = approvers.Select(a => a.UserId!.Value).ToArray();
        // An approver is a user of the company or one of its API keys (keys approve as themselves).
        var known = (await conn.QueryAsync<Guid>("""
            SELECT id FROM users WHERE company_id = @companyId AND id = ANY(@ids)
            UNION SELECT id FROM api_keys WHERE company_id = @companyId AND id = ANY(@ids) AND revoked_at IS NULL
            """, new { companyId, ids }, tx)).ToHashSet();
        for (var i = 0; i < approvers.Count; i++)
            if (!known.Contains(approvers[i].UserId!.Value)) v.Add($"User {approvers[i].UserId} does not exist", "approvers", i, "userId");
        v.ThrowIfAny();
        await conn.ExecuteAsync("DELETE FROM vendor_approvers WHERE company_id = @companyId AND vendor_id = @vendorId", new { companyId, vendorId }, tx);
        var now = Now;
        for (var i = 0; i < approvers.Count; i++)
            await conn.ExecuteAsync("""
                INSERT INTO vendor_approvers (company_id, id, vendor_id, user_id, priority, created_at)
                VALUES (@companyId, @id, @vendorId, @userId, @priority, @now)
                """, new { companyId, id = Ids.New(), vendorId, userId = approvers[i].UserId, priority = approvers[i].Priority ?? i + 1, now }, tx);
        await tx.CommitWriteAsync();
        return true;
    }

    public async Task<ApprovalRuleModel> GetRuleAsync(Guid companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var row = await conn.QuerySingleOrDefaultAsync<RuleRow>(
            "SELECT amount_threshold, updated_at FROM invoice_approval_rules WHERE company_id = @companyId", new { companyId });
        return new ApprovalRuleModel(companyId, row?.AmountThreshold, row?.UpdatedAt);
    }

    public async Task<ApprovalRuleModel> SetRuleAsync(Guid companyId, ApprovalRuleRequest r)
    {
        if (r.AmountThreshold is < 0) throw ApiException.BadRequest("'amountThreshold' must not be negative", "amountThreshold");
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO invoice_approval_rules (company_id, amount_threshold, updated_at) VALUES (@companyId, @AmountThreshold, @now)
            ON CONFLICT (company_id) DO UPDATE SET amount_threshold = EXCLUDED.amount_threshold, updated_at = EXCLUDED.updated_at
            """, new { companyId, r.AmountThreshold, now = Now });
        return await GetRuleAsync(companyId);
    }
}
