namespace Ledgerlight.Spend;

public static class CardTransactionStates
{
    public const string Authorized = "AUTHORIZED";
    public const string Declined = "DECLINED";
    public const string Captured = "CAPTURED";
    public const string Refunded = "REFUNDED";
    public const string Voided = "VOIDED";
    public const string Posted = "POSTED";

    /// <summary>Payments that have left the balance account for good (POSTED: booked to the ledger by the next step).</summary>
    public static readonly string[] SettledPayment = [Captured, Posted];
    /// <summary>Payments that count against funds and limits: open authorizations and settled ones.</summary>
    public static readonly string[] Spending = [Authorized, Captured, Posted];
    /// <summary>Refunds that have come back into the balance account.</summary>
    public static readonly string[] SettledRefund = [Refunded, Posted];
}

public static class CardTransactionTypes
{
    public const string Payment = "PAYMENT";
    public const string Refund = "REFUND";
}

/// <summary>
/// Network actions (capture, void, refund) and bookkeeping actions (edit, post, reset) on a card transaction.
/// </summary>
public enum CardTransactionAction { Capture, Void, Refund, Edit, Post, Reset }

/// <summary>What the API lets a client change, by state (ExternalCardTransactionV1Model.editStatus).</summary>
public static class CardTransactionEditStatus
{
    public const string AllEditsAllowed = "ALL_EDITS_ALLOWED";
    public const string LineAmountEditsLocked = "LINE_AMOUNT_EDITS_LOCKED";
    public const string AllEditsLocked = "ALL_EDITS_LOCKED";
}

/// <summary>
/// A card transaction's lifecycle, the one place that says which action is allowed from which state.
/// On the network side capture and void are idempotent (a network retries them) and a refund is its own
/// transaction that needs a settled payment. On the books only settled money is posted: a CAPTURED
/// payment or a REFUNDED refund (never a DECLINED, VOIDED or still AUTHORIZED one); a posted transaction
/// is locked until a reset reverses its entry and returns it to its settled state (<see cref="ResetState"/>).
/// </summary>
public static class CardTransactionLifecycle
{
    /// <summary>States whose lines and accounting fields may still change: everything not yet booked and not dead.</summary>
    public static readonly string[] Editable = [CardTransactionStates.Authorized, CardTransactionStates.Captured, CardTransactionStates.Refunded];

    public static readonly StateMachine<CardTransactionAction> Machine = new("Card transaction", new Dictionary<CardTransactionAction, Transition>
    {
        [CardTransactionAction.Capture] = new([CardTransactionStates.Authorized, CardTransactionStates.Captured], CardTransactionStates.Captured, "captured"),
        [CardTransactionAction.Void] = new([CardTransactionStates.Authorized, CardTransactionStates.Voided], CardTransactionStates.Voided, "voided"),
        [CardTransactionAction.Refund] = new([CardTransactionStates.Captured, CardTransactionStates.Posted], null, "refunded"),
        [CardTransactionAction.Edit] = new(Editable, null, "edited"),
        [CardTransactionAction.Post] = new([CardTransactionStates.Captured, CardTransactionStates.Refunded], CardTransactionStates.Posted, "posted"),
        // Back to CAPTURED or REFUNDED, by type: ResetState.
        [CardTransactionAction.Reset] = new([CardTransactionStates.Posted], null, "reset"),
    });

    /// <summary>The settled state a posted transaction returns to: a refund REFUNDED, anything else CAPTURED.</summary>
    public static string ResetState(string type) =>
        type == CardTransactionTypes.Refund ? CardTransactionStates.Refunded : CardTransactionStates.Captured;

    /// <summary>editStatus: a posted transaction is locked entirely; a declined or voided one has no amounts to split.</summary>
    public static string EditStatusOf(string state) => state switch
    {
        CardTransactionStates.Posted => CardTransactionEditStatus.AllEditsLocked,
        CardTransactionStates.Declined or CardTransactionStates.Voided => CardTransactionEditStatus.AllEditsLocked,
        _ => CardTransactionEditStatus.AllEditsAllowed,
    };
}

/// <summary>ExternalCardTransactionMerchantV1Model.</summary>
public sealed record CardMerchantModel(string? Name, string? CleanName, string? Country, string? Zipcode, string? Id, string? Mcc,
    string? AcquirerId, string? LogoUrl);

/// <summary>ExternalCardTransactionLineV1Model.</summary>
public sealed record CardTransactionLineModel(Guid Id, Guid TransactionId, Guid CompanyId, Guid? AccountId, Guid? TaxCodeId, Guid? CostCenterId,
    long Amount, long NetAmount, long TaxAmount, string? Description, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<object> CustomProperties,
    Guid? AmortizationTemplateId = null, DateOnly? AmortizationStartDate = null, DateOnly? AmortizationEndDate = null);

/// <summary>ExternalCardTransactionV1Model.</summary>
public sealed record CardTransactionModel(
    Guid Id, Guid CompanyId, Guid CompanyEntityId, Guid CardBalanceAccountId, Guid CardId, long OriginalAmount, string OriginalCurrency,
    long Amount, string Currency, string Direction, string TransactionReason, string PurchaseType, string Status, string Type,
    CardMerchantModel? Merchant, string? ReceiptDocumentKey, IReadOnlyList<CardTransactionLineModel> Lines, string EditStatus,
    string? Description, DateTime PerformedAt, DateTime CreatedAt, DateTime UpdatedAt, Guid? UpdatedBy, IReadOnlyList<object> CustomProperties);

public class CardTransactionRow : TimestampedRow
{
    public Guid CompanyEntityId { get; set; }
    public Guid CardBalanceAccountId { get; set; }
    public Guid CardId { get; set; }
    public string NetworkReference { get; set; } = "";
    public Guid? RelatedTransactionId { get; set; }
    public long OriginalAmount { get; set; }
    public string OriginalCurrency { get; set; } = "";
    public long Amount { get; set; }
    public string Currency { get; set; } = "";
    public decimal? FxRate { get; set; }
    public string Direction { get; set; } = "";
    public string TransactionReason { get; set; } = "";
    public string PurchaseType { get; set; } = "";
    public string Status { get; set; } = "";
    public string Type { get; set; } = "";
    public string? Merchant { get; set; }
    /// <summary>The receipt (<see cref="ReceiptKeySql"/>): only a file that has arrived.</summary>
    public string? ReceiptDocumentKey { get; set; }
    /// <summary>The key of the last upload URL handed out, until a newer URL or a DELETE replaces it.</summary>
    public string? ReceiptPendingKey { get; set; }
    public string EditStatus { get; set; } = "";
    public string? Description { get; set; }
    public DateTime PerformedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
    public string? CustomProperties { get; set; }
    public DateOnly? PostingDate { get; set; }
    public Guid? LedgerTransactionId { get; set; }

    /// <summary>
    /// The receipt of transaction <c>t</c>: the key of the last upload URL handed out once its file has arrived, else the
    /// receipt attached before. A URL alone is not a receipt (migration 0250): it neither clears missingData nor hides
    /// the receipt it would replace until the client has PUT the file.
    /// </summary>
    public const string ReceiptKeySql =
        "COALESCE((SELECT b.key FROM blobs b WHERE b.company_id = t.company_id AND b.key = t.receipt_pending_key), t.receipt_document_key)";

    public const string Columns = $"""
        t.company_id, t.id, t.company_entity_id, t.card_balance_account_id, t.card_id, t.network_reference, t.related_transaction_id,
        t.original_amount, trim(t.original_currency) AS original_currency, t.amount, trim(t.currency) AS currency, t.fx_rate, t.direction,
        t.transaction_reason, t.purchase_type, t.status, t.type, t.merchant::text AS merchant,
        {ReceiptKeySql} AS receipt_document_key, t.receipt_pending_key, t.edit_status,
        t.description, t.performed_at, t.created_at, t.updated_at, t.updated_by, t.custom_properties::text AS custom_properties,
        t.posting_date, t.ledger_transaction_id
        """;

    public static readonly DocumentTable<CardTransactionRow> Table = new("card_transactions", "t", Columns);

    public CardMerchantModel? MerchantModel =>
        Merchant is null ? null : System.Text.Json.JsonSerializer.Deserialize<CardMerchantModel>(Merchant, Json.Options);

    public CardTransactionModel ToModel(IReadOnlyList<CardTransactionLineModel> lines, IReadOnlyList<object>? customProperties = null) => new(
        Id, CompanyId, CompanyEntityId, CardBalanceAccountId, CardId, OriginalAmount, OriginalCurrency, Amount, Currency, Direction,
        TransactionReason, PurchaseType, Status, Type, MerchantModel, ReceiptDocumentKey, lines, CardTransactionLifecycle.EditStatusOf(Status),
        Description, PerformedAt, CreatedAt, UpdatedAt, UpdatedBy, customProperties ?? []);
}

public class CardTransactionLineRow : TimestampedRow
{
    public Guid TransactionId { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? TaxCodeId { get; set; }
    public Guid? CostCenterId { get; set; }
    public long Amount { get; set; }
    public long NetAmount { get; set; }
    public long TaxAmount { get; set; }
    public string? Description { get; set; }
    public string? CustomProperties { get; set; }
    public Guid? AmortizationTemplateId { get; set; }
    public DateOnly? AmortizationStartDate { get; set; }
    public DateOnly? AmortizationEndDate { get; set; }

    public const string Columns =
        "company_id, id, transaction_id, account_id, tax_code_id, cost_center_id, amount, net_amount, tax_amount, description, created_at, updated_at, " +
        "custom_properties::text AS custom_properties, amortization_template_id, amortization_start_date, amortization_end_date";

    public CardTransactionLineModel ToModel(IReadOnlyList<object>? customProperties = null) =>
        new(Id, TransactionId, CompanyId, AccountId, TaxCodeId, CostCenterId, Amount, NetAmount, TaxAmount, Description, CreatedAt, UpdatedAt,
            customProperties ?? [], AmortizationTemplateId, AmortizationStartDate, AmortizationEndDate);
}
