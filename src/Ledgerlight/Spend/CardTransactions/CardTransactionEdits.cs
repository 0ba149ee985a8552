namespace Ledgerlight.Spend.CardTransactions;

/// <summary>ExternalUpdateCardTransactionRequestV1Model.</summary>
public sealed record UpdateCardTransactionRequest(IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, string? Description);

/// <summary>ExternalUpdateCardTransactionLineRequestV1Model.</summary>
public sealed record UpdateCardTransactionLineRequest(
    IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, Guid? AccountId, Guid? TaxCodeId, Guid? CostCenterId, long? Amount,
    string? Description, Guid? AmortizationTemplateId, DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate);

/// <summary>ExternalBatchUpdateCardTransactionLineRequestV1Model.</summary>
public sealed record BatchUpdateCardTransactionLineRequest(
    Guid? LineId, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, string? Description, Guid? AccountId, Guid? TaxCodeId);

/// <summary>ExternalBatchUpdateCardTransactionRequestV1Model.</summary>
public sealed record BatchUpdateCardTransactionRequest(
    Guid? CardTransactionId, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties, IReadOnlyList<BatchUpdateCardTransactionLineRequest>? Lines,
    DateOnly? PostingDate, string? Description);

/// <summary>A header edit: the new values of what the body names (absent fields keep theirs, an explicit null clears).</summary>
public sealed record HeaderEdit(string? Description, string? CustomPropertiesJson, DateOnly? PostingDate);

/// <summary>
/// The rules of an edit, no database: which fields a body names (absent vs null), the new header, and a
/// line's new figures, its tax split from the tax code's rate (the card was charged the gross; LineMath).
/// </summary>
public static class CardTransactionEdits
{
    public const int MaxBatch = 500;
    public const int MaxDescription = 1000;
    static readonly EnteredAmountPaths AmountPaths = new(["amount"], ["netAmount"], ["taxAmount"]);

    public static bool Has(JsonElement body, string field) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(field, out _);

    /// <summary>The header after the edit; the custom properties are validated by the caller against the company's groups.</summary>
    public static HeaderEdit Header(CardTransactionRow row, JsonElement body, string? description, IReadOnlyList<SetCustomPropertyRequest>? properties,
        DateOnly? postingDate) => new(
        Has(body, "description") ? description : row.Description,
        Has(body, "customProperties") ? CustomPropertyRequests.ToJson(properties) : row.CustomProperties,
        Has(body, "postingDate") ? postingDate : row.PostingDate);

    /// <summary>
    /// Applies a line edit to <paramref name="line"/> (a copy is returned). <paramref name="ratePercent"/> is the rate of the
    /// line's tax code after the edit (0 for none). The amount, when sent, must keep the lines adding up to the transaction:
    /// <paramref name="othersTotal"/> is what the other lines hold.
    /// </summary>
    public static CardTransactionLineRow Line(CardTransactionLineRow line, JsonElement body, UpdateCardTransactionLineRequest r,
        decimal ratePercent, long transactionAmount, long othersTotal, Validation v, object[] path)
    {
        v.RefuseClearing(body, ["amount"], path);
        var gross = Has(body, "amount") && r.Amount is { } a ? a : line.Amount;
        if (gross + othersTotal != transactionAmount)
            v.Add($"The lines must add up to the transaction amount ({transactionAmount}); this line can hold {transactionAmount - othersTotal}",
                [.. path, "amount"]);
        v.MaxLength(r.Description, MaxDescription, [.. path, "description"]);
        if (r.AmortizationStartDate is { } from && r.AmortizationEndDate is { } to && to < from)
            v.Add("'amortizationEndDate' must not be before 'amortizationStartDate'", [.. path, "amortizationEndDate"]);
        var amounts = LineMath.FromEntered(gross, null, null, ratePercent, withTax: true,
            new EnteredAmountPaths([.. path, .. AmountPaths.Gross], [.. path, .. AmountPaths.Net], [.. path, .. AmountPaths.Tax]), v);
        return new CardTransactionLineRow
        {
            CompanyId = line.CompanyId, Id = line.Id, TransactionId = line.TransactionId, CreatedAt = line.CreatedAt, UpdatedAt = line.UpdatedAt,
            AccountId = Has(body, "accountId") ? r.AccountId : line.AccountId,
            TaxCodeId = Has(body, "taxCodeId") ? r.TaxCodeId : line.TaxCodeId,
            CostCenterId = Has(body, "costCenterId") ? r.CostCenterId : line.CostCenterId,
            Description = Has(body, "description") ? r.Description : line.Description,
            CustomProperties = Has(body, "customProperties") ? CustomPropertyRequests.ToJson(r.CustomProperties) : line.CustomProperties,
            AmortizationTemplateId = Has(body, "amortizationTemplateId") ? r.AmortizationTemplateId : line.AmortizationTemplateId,
            AmortizationStartDate = Has(body, "amortizationStartDate") ? r.AmortizationStartDate : line.AmortizationStartDate,
            AmortizationEndDate = Has(body, "amortizationEndDate") ? r.AmortizationEndDate : line.AmortizationEndDate,
            Amount = amounts?.Gross ?? line.Amount, NetAmount = amounts?.Net ?? line.NetAmount, TaxAmount = amounts?.Tax ?? line.TaxAmount,
        };
    }

    /// <summary>A batch line as the line PATCH it amounts to (only the fields the batch model has).</summary>
    public static UpdateCardTransactionLineRequest AsLineRequest(BatchUpdateCardTransactionLineRequest b) =>
        new(b.CustomProperties, b.AccountId, b.TaxCodeId, null, null, b.Description, null, null, null);

    /// <summary>The shape of a batch before anything is loaded: 1 to 500 items, each naming its transaction once, lines naming theirs.</summary>
    public static void CheckBatchShape(IReadOnlyList<BatchUpdateCardTransactionRequest?> items, Validation v)
    {
        if (items.Count > MaxBatch) v.Add($"At most {MaxBatch} card transactions per batch ({items.Count} sent)");
        var seen = new HashSet<Guid>();
        for (var i = 0; i < items.Count && i < MaxBatch; i++)
        {
            if (items[i] is not { } item) { v.Required(null, i); continue; }
            if (item.CardTransactionId is not { } id) v.Required(null, i, "cardTransactionId");
            else if (!seen.Add(id)) v.Add($"Card transaction {id} appears more than once", i, "cardTransactionId");
            v.MaxLength(item.Description, MaxDescription, i, "description");
            var lines = item.Lines ?? [];
            for (var j = 0; j < lines.Count; j++)
                if (lines[j]?.LineId is null) v.Required(null, i, "lines", j, "lineId");
        }
    }
}
