namespace Ledgerlight.Spend.CardTransactions;

/// <summary>ExternalBffCardTransactionLineV1Model: a line with the labels of its account and tax code.</summary>
public sealed record CardTransactionViewLineModel(
    Guid Id, Guid TransactionId, Guid CompanyId, Guid? AccountId, string? AccountLabel, Guid? TaxCodeId, string? TaxCodeLabel, Guid? CostCenterId,
    long Amount, long NetAmount, string? Description, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<object> CustomProperties,
    Guid? AmortizationTemplateId, DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate);

/// <summary>ExternalBffCardTransactionV1Model: what listCardTransactions and getCardTransaction answer (names of the card, owner, entity...).</summary>
public sealed record CardTransactionViewModel(
    Guid Id, Guid CompanyId, Guid CompanyEntityId, string? CompanyEntityName, Guid CardBalanceAccountId, string? CardBalanceAccountLabel,
    Guid CardId, Guid? CardVendorId, string? CardVendorAvatarUrl, string? CardVendorName, string? CardOwnerName, Guid? CardOwnerId,
    string? CardLastFour, long OriginalAmount, string OriginalCurrency, long Amount, string Currency, string Direction, string TransactionReason,
    string PurchaseType, string Status, string Type, CardMerchantModel? Merchant, string? ReceiptDocumentKey,
    IReadOnlyList<CardTransactionViewLineModel> Lines, string? Description, DateTime PerformedAt, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<object> CustomProperties);

/// <summary>A transaction row with the names the BFF model shows, joined in the list query.</summary>
public sealed class CardTransactionViewRow : CardTransactionRow
{
    public string? CompanyEntityName { get; set; }
    public string? CardBalanceAccountLabel { get; set; }
    public Guid? CardVendorId { get; set; }
    public string? CardVendorName { get; set; }
    public string? CardVendorAvatarUrl { get; set; }
    public Guid? CardOwnerId { get; set; }
    public string? CardOwnerName { get; set; }
    public string? CardLastFour { get; set; }

    public const string From = """
        card_transactions t
        JOIN cards c ON c.company_id = t.company_id AND c.id = t.card_id
        JOIN card_balance_accounts b ON b.company_id = t.company_id AND b.id = t.card_balance_account_id
        JOIN company_entities e ON e.company_id = t.company_id AND e.id = t.company_entity_id
        LEFT JOIN users u ON u.company_id = c.company_id AND u.id = c.owner_id
        LEFT JOIN vendors v ON v.company_id = c.company_id AND v.id = c.vendor_id
        """;

    public const string Select = Columns + """
        , e.name AS company_entity_name, b.label AS card_balance_account_label, c.vendor_id AS card_vendor_id, v.name AS card_vendor_name,
        v.avatar_url AS card_vendor_avatar_url, c.owner_id AS card_owner_id,
        NULLIF(trim(concat_ws(' ', u.first_name, u.last_name)), '') AS card_owner_name, c.last_four AS card_last_four
        """;

    public CardTransactionViewModel ToView(IReadOnlyList<CardTransactionViewLineModel> lines, IReadOnlyList<object> customProperties) => new(
        Id, CompanyId, CompanyEntityId, CompanyEntityName, CardBalanceAccountId, CardBalanceAccountLabel, CardId, CardVendorId, CardVendorAvatarUrl,
        CardVendorName, CardOwnerName, CardOwnerId, CardLastFour, OriginalAmount, OriginalCurrency, Amount, Currency, Direction, TransactionReason,
        PurchaseType, Status, Type, MerchantModel, ReceiptDocumentKey, lines, Description, PerformedAt, CreatedAt, UpdatedAt, customProperties);
}

/// <summary>
/// The read side of card transactions: listCardTransactions' spec (the fields its parameter descriptions
/// name) and the BFF views, lines and custom properties loaded for a whole page in two round trips.
/// </summary>
public static class CardTransactionViews
{
    static readonly QueryField EntityId = ListFields.EntityId("t");
    static readonly QueryField Status = ListFields.Status("t");
    static readonly QueryField PerformedAt = new("performedAt", "t.performed_at", FieldType.Timestamp);

    public static readonly ListSpec<CardTransactionViewRow> Spec = ListFields.SpecFrom<CardTransactionViewRow>("t", CardTransactionViewRow.From,
        CardTransactionViewRow.Select, t => t.Id,
        [(EntityId, t => t.CompanyEntityId), (Status, t => t.Status), (PerformedAt, t => t.PerformedAt)],
        [
            ListFields.Id("t", "transactionId"), new("cardBalanceAccountId", "t.card_balance_account_id", FieldType.Uuid), EntityId,
            new("cardId", "t.card_id", FieldType.Uuid), Status, PerformedAt, ListFields.UpdatedAt("t"),
        ],
        ("performedAt", SortDirection.Desc));

    /// <summary>
    /// onlyPostable: settled money not yet booked (the states the lifecycle posts from); missingData: no receipt yet (an upload
    /// URL whose file has not arrived is none), or a line without an account. States travel as parameters.
    /// </summary>
    public static Action<SqlWhere> Flags(bool onlyPostable, bool missingData) => where =>
    {
        if (onlyPostable)
            where.Add($"t.status = ANY({where.ArrayParam(CardTransactionLifecycle.Machine.AllowedFrom(CardTransactionAction.Post).ToArray(), FieldType.Text)})");
        if (missingData)
            where.Add($"""
                ({CardTransactionRow.ReceiptKeySql} IS NULL OR EXISTS (SELECT 1 FROM card_transaction_lines l
                  WHERE l.company_id = t.company_id AND l.transaction_id = t.id AND l.account_id IS NULL))
                """);
    };

    public static async Task<CardTransactionViewModel?> GetAsync(NpgsqlDataSource db, Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        var row = await conn.QuerySingleOrDefaultAsync<CardTransactionViewRow>(
            $"SELECT {CardTransactionViewRow.Select} FROM {CardTransactionViewRow.From} WHERE t.company_id = @companyId AND t.id = @id", new { companyId, id });
        return row is null ? null : (await ViewsAsync(conn, companyId, [row]))[0];
    }

    /// <summary>A line with the labels its view shows.</summary>
    sealed class LineViewRow : CardTransactionLineRow
    {
        public string? AccountLabel { get; set; }
        public string? TaxCodeLabel { get; set; }
    }

    /// <summary>The views of a page of rows: every line (with labels) and every custom property in one query each.</summary>
    public static async Task<IReadOnlyList<CardTransactionViewModel>> ViewsAsync(NpgsqlConnection conn, Guid companyId,
        IReadOnlyList<CardTransactionViewRow> rows)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        var lines = (await conn.QueryAsync<LineViewRow>("""
            SELECT l.company_id, l.id, l.transaction_id, l.account_id, l.tax_code_id, l.cost_center_id, l.amount, l.net_amount, l.tax_amount,
                   l.description, l.created_at, l.updated_at, l.custom_properties::text AS custom_properties, l.amortization_template_id,
                   l.amortization_start_date, l.amortization_end_date, a.label AS account_label, tc.label AS tax_code_label
              FROM card_transaction_lines l
              LEFT JOIN ledger_accounts a ON a.company_id = l.company_id AND a.id = l.account_id
              LEFT JOIN tax_codes tc ON tc.company_id = l.company_id AND tc.id = l.tax_code_id
             WHERE l.company_id = @companyId AND l.transaction_id = ANY(@ids)
             ORDER BY l.position, l.id
            """, new { companyId, ids })).ToList();
        var properties = await CustomPropertyRequests.ResolveAsync(conn, null, companyId,
            [.. rows.Select(r => r.CustomProperties), .. lines.Select(l => l.CustomProperties)]);
        var lineViews = lines.Select((l, i) => new CardTransactionViewLineModel(l.Id, l.TransactionId, l.CompanyId, l.AccountId, l.AccountLabel,
                l.TaxCodeId, l.TaxCodeLabel, l.CostCenterId, l.Amount, l.NetAmount, l.Description, l.CreatedAt, l.UpdatedAt, properties[rows.Count + i],
                l.AmortizationTemplateId, l.AmortizationStartDate, l.AmortizationEndDate))
            .ToLookup(l => l.TransactionId);
        return rows.Select((r, i) => r.ToView(lineViews[r.Id].ToList(), properties[i])).ToList();
    }
}
