namespace Ledgerlight.Payables.PurchaseOrders;

/// <summary>A line as it will be written: the request merged over the stored line (PATCH) or on its own (create).</summary>
sealed record LineDraft(Guid? ExistingId, string? Description, Guid? CostCenterId, Guid? AccountId, Guid? TaxCodeId, decimal Quantity,
    long UnitPrice, string? CustomPropertiesJson, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, object[] Path);

/// <summary>The reads and line writes the purchase order stores share; every query is scoped to the company.</summary>
static class PurchaseOrderQueries
{
    public static readonly DocumentTable<PurchaseOrderRow> Table = new("purchase_orders", "p", PurchaseOrderRow.Columns);

    public static async Task<List<PurchaseOrderLineRow>> LinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid[] ids) =>
        (await conn.QueryAsync<PurchaseOrderLineRow>(
            $"SELECT {PurchaseOrderLineRow.Columns} FROM {PurchaseOrderLineRow.From} " +
            "WHERE l.company_id = @companyId AND l.purchase_order_id = ANY(@ids) ORDER BY l.purchase_order_id, l.position",
            new { companyId, ids }, tx)).ToList();

    /// <summary>Lines as the API answers them, custom properties resolved in one round trip.</summary>
    public static async Task<List<PurchaseOrderLineModel>> LineModelsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId,
        IReadOnlyList<PurchaseOrderLineRow> lines)
    {
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, lines.Select(l => l.CustomPropertiesJson).ToList());
        return lines.Select((l, i) => l.ToModel(properties[i])).ToList();
    }

    public static async Task<PurchaseOrderModel?> ModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        var row = await Table.FindAsync(conn, tx, companyId, id);
        if (row is null) return null;
        var lines = await LineModelsAsync(conn, tx, companyId, await LinesAsync(conn, tx, companyId, [id]));
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId, [row.CustomPropertiesJson]);
        return row.ToModel(lines, properties[0]);
    }

    /// <summary>Checks each line's account, tax code and custom properties belong to the company and settles its amounts.</summary>
    public static async Task<List<LineAmounts>> SettleAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, List<LineDraft> drafts,
        Validation v)
    {
        var accountIds = drafts.Where(d => d.AccountId is not null).Select(d => d.AccountId!.Value).Distinct().ToArray();
        var taxIds = drafts.Where(d => d.TaxCodeId is not null).Select(d => d.TaxCodeId!.Value).Distinct().ToArray();
        var accounts = (await conn.QueryAsync<Guid>("SELECT id FROM ledger_accounts WHERE company_id = @companyId AND id = ANY(@accountIds)",
            new { companyId, accountIds }, tx)).ToHashSet();
        var rates = (await conn.QueryAsync<(Guid Id, decimal Rate)>(
                "SELECT id, rate_percent FROM tax_codes WHERE company_id = @companyId AND id = ANY(@taxIds)", new { companyId, taxIds }, tx))
            .ToDictionary(t => t.Id, t => t.Rate);
        var result = new List<LineAmounts>();
        foreach (var d in drafts)
        {
            if (d.AccountId is { } a && !accounts.Contains(a)) v.Add($"Ledger account {a} does not exist", [.. d.Path, "accountId"]);
            await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "PURCHASE_ORDER", d.CustomProperties, v, [.. d.Path, "customProperties"]);
            decimal? rate = null;
            if (d.TaxCodeId is { } t)
            {
                if (rates.TryGetValue(t, out var r)) rate = r;
                else v.Add($"Tax code {t} does not exist", [.. d.Path, "taxCodeId"]);
            }
            var amounts = PurchaseOrderRules.Amounts(d.Quantity, d.UnitPrice, rate);
            if (amounts is null) v.Add($"quantity × unitPrice exceeds the maximum amount of {Limits.MaxAmount} minor units", [.. d.Path, "quantity"]);
            result.Add(amounts ?? new LineAmounts(0, 0, 0));
        }
        return result;
    }

    public static async Task<List<Guid>> InsertLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid orderId, int firstPosition,
        List<LineDraft> drafts, List<LineAmounts> amounts, DateTime now)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            var id = Ids.New();
            ids.Add(id);
            await conn.ExecuteAsync("""
                INSERT INTO purchase_order_lines (company_id, id, purchase_order_id, position, description, cost_center_id, account_id, tax_code_id,
                                                  quantity, unit_price, net_amount, tax_amount, amount, custom_properties, created_at, updated_at)
                VALUES (@companyId, @id, @orderId, @position, @Description, @CostCenterId, @AccountId, @TaxCodeId, @Quantity, @UnitPrice,
                        @net, @tax, @gross, @CustomPropertiesJson::jsonb, @now, @now)
                """, new
            {
                companyId, id, orderId, position = firstPosition + i, d.Description, d.CostCenterId, d.AccountId, d.TaxCodeId, d.Quantity,
                d.UnitPrice, net = amounts[i].Net, tax = amounts[i].Tax, gross = amounts[i].Gross, d.CustomPropertiesJson, now,
            }, tx);
        }
        return ids;
    }

    /// <summary>Order totals are the sums of its lines, kept in the same transaction as the line change.</summary>
    public static Task RecomputeTotalsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, DateTime now) =>
        conn.ExecuteAsync("""
            UPDATE purchase_orders p
               SET total_net_amount = s.net, total_tax_amount = s.tax, total_amount = s.gross, updated_at = @now
              FROM (SELECT coalesce(sum(net_amount), 0) AS net, coalesce(sum(tax_amount), 0) AS tax, coalesce(sum(amount), 0) AS gross
                      FROM purchase_order_lines WHERE company_id = @companyId AND purchase_order_id = @id) s
             WHERE p.company_id = @companyId AND p.id = @id
            """, new { companyId, id, now }, tx);
}
