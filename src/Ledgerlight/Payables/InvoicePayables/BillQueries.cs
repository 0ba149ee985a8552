using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>The reads and small writes every bill store shares: the bill's table, its lines, its clearings, the model the API answers.</summary>
public static class BillQueries
{
    public static readonly DocumentTable<BillRow> Table = new("invoice_payables", "b", BillRow.OwnColumns);

    public static Task<BillRow?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        Table.FindAsync(conn, tx, companyId, id);

    /// <summary>Whose decision each of these bills waits for (the lowest-priority named pending step), by bill id, in one round trip.</summary>
    public static async Task<Dictionary<Guid, NextApproverModel>> NextApproversAsync(NpgsqlDataSource db, Guid companyId, IReadOnlyList<Guid> billIds)
    {
        if (billIds.Count == 0) return [];
        await using var conn = await db.OpenConnectionAsync();
        // An approver is a user, or an API key acting as one (named by the key's name).
        var rows = await conn.QueryAsync<(Guid BillId, Guid UserId, string? FirstName, string? LastName, string? KeyName, DateTime SentAt)>("""
            SELECT DISTINCT ON (ia.invoice_payable_id) ia.invoice_payable_id, s.user_id, u.first_name, u.last_name, k.name, ia.created_at
              FROM invoice_approvals ia
              JOIN invoice_user_approvals s ON s.company_id = ia.company_id AND s.approval_id = ia.id
              LEFT JOIN users u ON u.company_id = s.company_id AND u.id = s.user_id
              LEFT JOIN api_keys k ON k.company_id = s.company_id AND k.id = s.user_id
             WHERE ia.company_id = @companyId AND ia.invoice_payable_id = ANY(@billIds) AND ia.status = @open AND s.status = @pending
               AND s.user_id IS NOT NULL
             ORDER BY ia.invoice_payable_id, s.priority, s.created_at
            """, new { companyId, billIds = billIds.ToArray(), open = ApprovalStatus.InProgress, pending = ApprovalStatus.Pending });
        return rows.ToDictionary(r => r.BillId, r => new NextApproverModel(r.UserId, r.FirstName, r.LastName,
            string.Join(' ', new[] { r.FirstName, r.LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } full ? full : r.KeyName ?? "",
            r.SentAt));
    }

    public static async Task<List<BillLineRow>> LinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        (await conn.QueryAsync<BillLineRow>(
            $"SELECT {BillLineRow.Columns} FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @id ORDER BY position",
            new { companyId, id }, tx)).ToList();

    public static async Task<BillLineModel?> LineAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid billId, Guid lineId)
    {
        var line = await conn.QuerySingleOrDefaultAsync<BillLineRow>(
            $"SELECT {BillLineRow.Columns} FROM invoice_payable_line_items WHERE company_id = @companyId AND invoice_payable_id = @billId AND id = @lineId",
            new { companyId, billId, lineId }, tx);
        if (line is null) return null;
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [line.CustomPropertiesJson]);
        return line.ToModel(properties[0]);
    }

    public static async Task<List<PaymentRow>> ActivePaymentsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid billId) =>
        (await conn.QueryAsync<PaymentRow>(
            $"SELECT {PaymentRow.Columns} FROM invoice_payable_payments WHERE company_id = @companyId AND invoice_payable_id = @billId AND reversed_at IS NULL ORDER BY created_at, id",
            new { companyId, billId }, tx)).ToList();

    public static Task SetStateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, string state) =>
        conn.ExecuteAsync("UPDATE invoice_payables SET state = @state, updated_at = now(), version = version + 1 WHERE company_id = @companyId AND id = @id",
            new { companyId, id, state }, tx);

    /// <summary>The bill as the API answers it; the outstanding balance once posted (or on request before).</summary>
    public static async Task<BillModel?> ModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id, bool includeOutstanding)
    {
        var row = await FindAsync(conn, tx, companyId, id);
        if (row is null) return null;
        long? outstanding = null;
        if (BillState.Posted.Contains(row.State))
            outstanding = row.Amount - (await ActivePaymentsAsync(conn, tx, companyId, id)).Sum(p => p.Amount);
        else if (includeOutstanding && row.State != BillState.Cancelled) outstanding = row.Amount;
        var lines = await LinesAsync(conn, tx, companyId, id);
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [row.CustomPropertiesJson, .. lines.Select(l => l.CustomPropertiesJson)]);
        return row.ToModel(lines, outstanding, properties[0], properties.Skip(1).ToList());
    }

    public static async Task<bool> BankAccountExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM bank_accounts WHERE company_id = @companyId AND id = @id)", new { companyId, id }, tx);

    /// <summary>Another live bill of the same vendor with the same invoice number (serialised per key with an advisory lock).</summary>
    public static async Task<Guid?> FindDuplicateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid? vendorId,
        string? invoiceNumber)
    {
        if (vendorId is null || string.IsNullOrWhiteSpace(invoiceNumber)) return null;
        var number = invoiceNumber.Trim().ToLowerInvariant();
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"bill:{companyId}:{vendorId}:{number}" }, tx);
        return await conn.ExecuteScalarAsync<Guid?>("""
            SELECT id FROM invoice_payables
             WHERE company_id = @companyId AND vendor_id = @vendorId AND lower(trim(invoice_number)) = @number AND id <> @id
               AND state <> ALL(@notLive)
             ORDER BY created_at LIMIT 1
            """, new { companyId, vendorId, number, id, notLive = BillLifecycle.NotLive }, tx);
    }

    /// <summary>A bill line's stored values: the shared line columns plus the amortisation bills have.</summary>
    public static PayableLineValues Values(BillLineRequest r, EnteredAmounts amounts, LineReferences refs) =>
        new(amounts, r.Description, refs.AccountId, refs.TaxCodeId, CustomPropertyRequests.ToJson(r.CustomProperties),
        [
            ("amortization_start_date", r.AmortizationStartDate), ("amortization_end_date", r.AmortizationEndDate),
            ("amortization_template_id", r.AmortizationTemplateId),
        ]);
}
