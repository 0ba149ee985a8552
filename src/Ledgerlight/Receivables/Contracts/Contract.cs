namespace Ledgerlight.Receivables.Contracts;

/// <summary>ExternalContractLineV1Model.</summary>
public sealed record ContractLineModel(
    Guid Id, Guid CompanyId, Guid ContractId, Guid ProductId, DateOnly? BillingStart, DateOnly? BillingEnd, string BillingRecurrence,
    Guid? AccountId, Guid? TaxCodeId, string? AvataxCode, JsonElement? Discount, decimal Quantity, long? PriceOverwrite,
    string? ProductNameOverwrite, Guid? AmortizationTemplateId, DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate,
    IReadOnlyList<object> AiValueSuggestions, IReadOnlyList<object> CustomProperties, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalContractV1Model (lines only when fetching a single contract).</summary>
public sealed record ContractModel(
    Guid Id, Guid CompanyId, DateOnly? StartDate, DateOnly? EndDate, DateTime? ActivatedAt, DateTime? TerminatedAt, string? TerminationReason,
    DateOnly? RenewalDate, Guid? CompanyEntityId, Guid? InvoiceTemplateId, string Currency, long? EstimatedAmount, string? PaymentType,
    Guid? PayeeBankAccountId, DateOnly? BillingStart, int? NetTerms, int? InvoiceLeadDays, string? Description, Guid? CustomerId, string State,
    bool AreLinesWithTax, IReadOnlyList<ContractLineModel>? Lines, string TaxEngineName, string? ExternalId, string? ExternalSource,
    IReadOnlyList<object> CustomProperties, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>ExternalContractDocumentUploadUrlResponseV1Model.</summary>
public sealed record ContractDocumentUploadUrlModel(string UploadUrl, string Key, IReadOnlyDictionary<string, string?> Metadata);

/// <summary>ExternalCreateContractLineRequestV1Model / ExternalUpdateContractLineRequestV1Model (PATCH reads presence from the JSON).</summary>
public sealed record ContractLineRequest(
    Guid? ProductId, DateOnly? BillingStart, DateOnly? BillingEnd, string? BillingRecurrence, Guid? AccountId, Guid? TaxCodeId, string? AvataxCode,
    JsonElement? Discount, decimal? Quantity, long? PriceOverwrite, string? ProductNameOverwrite, Guid? AmortizationTemplateId,
    DateOnly? AmortizationStartDate, DateOnly? AmortizationEndDate, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties) : ILineRequest
{
    public const decimal MaxQuantity = 1_000_000_000m;

    public void Validate(Validation v, bool isCreate, params object[] at)
    {
        if (isCreate) v.Required(ProductId, [.. at, "productId"]);
        if (BillingRecurrence is not null && !Recurrence.Known.Contains(BillingRecurrence))
            v.Add($"'billingRecurrence' must be one of {string.Join(", ", Recurrence.Known)}", [.. at, "billingRecurrence"]);
        if (Quantity is { } q && (q <= 0 || q > MaxQuantity)) v.Add($"'quantity' must be greater than 0 and at most {MaxQuantity}", [.. at, "quantity"]);
        if (Quantity is { } s && s.Scale > 6) v.Add("'quantity' has at most 6 decimals", [.. at, "quantity"]);
        v.Amount(PriceOverwrite, [.. at, "priceOverwrite"]);
        v.MaxLength(ProductNameOverwrite, 1000, [.. at, "productNameOverwrite"]);
        v.MaxLength(AvataxCode, 100, [.. at, "avataxCode"]);
        ContractDates.Check(v, BillingStart, [.. at, "billingStart"]);
        ContractDates.Check(v, BillingEnd, [.. at, "billingEnd"]);
        ContractDates.Check(v, AmortizationStartDate, [.. at, "amortizationStartDate"]);
        ContractDates.Check(v, AmortizationEndDate, [.. at, "amortizationEndDate"]);
        if (BillingStart is { } bs && BillingEnd is { } be && be < bs) v.Add("'billingEnd' must not be before 'billingStart'", [.. at, "billingEnd"]);
        if (AmortizationStartDate is { } a && AmortizationEndDate is { } b && b < a)
            v.Add("'amortizationEndDate' must not be before 'amortizationStartDate'", [.. at, "amortizationEndDate"]);
        if (Discount is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            v.Add("'discount' must be an object", [.. at, "discount"]);
        else if (Discount is { ValueKind: JsonValueKind.Object } d) ValidateDiscount(v, d, [.. at, "discount"]);
        CustomPropertyRequests.CheckShape(v, CustomProperties, [.. at, "customProperties"]);
    }

    /// <summary>ExternalContractLinePercentageDiscountV1Model (value 0–100) or ExternalContractLineAmountDiscountV1Model (value in cents).</summary>
    static void ValidateDiscount(Validation v, JsonElement d, object[] at)
    {
        var type = d.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("PERCENTAGE" or "AMOUNT")) { v.Add("'discount.type' must be PERCENTAGE or AMOUNT", [.. at, "type"]); return; }
        if (!d.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Number) { v.Required(null, [.. at, "value"]); return; }
        if (!value.TryGetDecimal(out var amount)) { v.Add("'discount.value' is out of range", [.. at, "value"]); return; }
        if (amount < 0) v.Add("'discount.value' must not be negative", [.. at, "value"]);
        else if (type == "PERCENTAGE" && amount > 100) v.Add("A percentage discount is at most 100", [.. at, "value"]);
        else if (type == "AMOUNT" && amount != decimal.Truncate(amount)) v.Add("An amount discount is in minor units (an integer)", [.. at, "value"]);
        else if (type == "AMOUNT" && amount > Limits.MaxAmount) v.Add($"An amount discount is at most {Limits.MaxAmount} (minor units)", [.. at, "value"]);
        foreach (var field in new[] { "startDate", "endDate" })
            if (d.TryGetProperty(field, out var date) && date.ValueKind != JsonValueKind.Null
                && (date.ValueKind != JsonValueKind.String || !DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", out var parsed)
                    || !ContractDates.InWindow(parsed)))
                v.Add($"'discount.{field}' must be a date (YYYY-MM-DD) {ContractDates.WindowText}", [.. at, field]);
    }
}

/// <summary>ExternalCreateContractRequestV1Model and ExternalUpdateContractRequestV1Model.</summary>
public sealed record ContractRequest(
    Guid? CompanyEntityId, DateOnly? StartDate, DateOnly? EndDate, Guid? InvoiceTemplateId, string? Currency, long? EstimatedAmount,
    DateOnly? RenewalDate, string? PaymentType, Guid? PayeeBankAccountId, int? NetTerms, int? InvoiceLeadDays, DateOnly? BillingStart,
    string? Description, Guid? CustomerId, bool? AreLinesWithTax, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties,
    IReadOnlyList<ContractLineRequest>? Lines) : IDocumentRequest
{
    public static readonly string[] PaymentTypes = ["AIRWALLEX", "BANK_TRANSFER", "DIRECT_DEBIT", "STRIPE"];
    /// <summary>Stricter than Limits.MaxLinesPerDocument: each line bills on its own schedule.</summary>
    public const int MaxLines = 200;

    public void Validate(Validation v, bool isCreate)
    {
        Limits.LineCount(Lines?.Count, "lines", MaxLines);
        if (isCreate) v.Required(CustomerId, "customerId");
        v.Currency(Currency, "currency");
        v.MaxLength(Description, 1000, "description");
        v.Amount(EstimatedAmount, "estimatedAmount");
        if (PaymentType is not null && !PaymentTypes.Contains(PaymentType)) v.Add($"'paymentType' must be one of {string.Join(", ", PaymentTypes)}", "paymentType");
        if (NetTerms is < 0 or > 3650) v.Add("'netTerms' must be between 0 and 3650 days", "netTerms");
        if (InvoiceLeadDays is < 0 or > 365) v.Add("'invoiceLeadDays' must be between 0 and 365 days", "invoiceLeadDays");
        ContractDates.Check(v, StartDate, "startDate");
        ContractDates.Check(v, EndDate, "endDate");
        ContractDates.Check(v, RenewalDate, "renewalDate");
        ContractDates.Check(v, BillingStart, "billingStart");
        if (StartDate is { } s && EndDate is { } e && e < s) v.Add("'endDate' must not be before 'startDate'", "endDate");
        DocumentRequests.CheckLinesAndProperties(v, Lines, CustomProperties);
    }
}

/// <summary>ExternalRenewContractRequestV1Model.</summary>
public sealed record RenewRequest(DateOnly? NextEndDate, DateOnly? NextRenewalDate);

/// <summary>ExternalTerminateContractRequestV1Model.</summary>
public sealed record TerminateRequest(DateOnly? TerminationDate, string? TerminationReason);

/// <summary>ExternalContractDocumentUploadRequestV1Model.</summary>
public sealed record DocumentUploadRequest(string? Filename);

/// <summary>Ledgerlight extension: body of POST /v1/contracts/billing-runs.</summary>
public sealed record BillingRunRequest(DateOnly? Date);

/// <summary>
/// The calendar window contract dates (start, end, renewal, billing start/end, amortization, discount, termination
/// and renewal dates) and billing-run dates must fall in: 1900-01-01 to 2199-12-31. Wide enough for any real contract
/// history and for long future terms; it refuses year-1 and year-9999 dates, which only make a billing run walk
/// (or overflow) thousands of periods. Outside it is a 400 naming the field.
/// </summary>
public static class ContractDates
{
    public static readonly DateOnly Min = new(1900, 1, 1);
    public static readonly DateOnly Max = new(2199, 12, 31);
    public static string WindowText => $"between {Min:yyyy-MM-dd} and {Max:yyyy-MM-dd}";

    public static bool InWindow(DateOnly date) => date >= Min && date <= Max;

    public static void Check(Validation v, DateOnly? date, params object[] path)
    {
        if (date is { } d && !InWindow(d))
            v.Add($"'{path[^1]}' must be {WindowText}", path);
    }
}

/// <summary>A billing period of a contract line: [Start, End] inclusive.</summary>
public sealed record BillingPeriod(DateOnly Start, DateOnly End);

/// <summary>Billing recurrences and the periods they produce; no database.</summary>
public static class Recurrence
{
    public const string OneTime = "ONE_TIME";
    public const string Monthly = "MONTHLY";
    public const string Quarterly = "QUARTERLY";
    public const string HalfYearly = "HALF_YEARLY";
    public const string Yearly = "YEARLY";
    public static readonly string[] Known = [OneTime, Monthly, Quarterly, HalfYearly, Yearly];

    /// <summary>
    /// A line without its own recurrence bills as its product does (Light: the product's billing frequency is "used in contracts");
    /// MONTHLY only when the product's is none a contract line takes.
    /// </summary>
    public static string DefaultFor(string? productRecurrence) =>
        productRecurrence is not null && Known.Contains(productRecurrence) ? productRecurrence : Monthly;

    /// <summary>Months per period; 0 for ONE_TIME.</summary>
    public static int Months(string recurrence) => recurrence switch
    {
        Monthly => 1,
        Quarterly => 3,
        HalfYearly => 6,
        Yearly => 12,
        OneTime => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(recurrence), recurrence, "unknown billing recurrence"),
    };

    /// <summary>
    /// Periods that start on or before <paramref name="runDate"/> and on or before <paramref name="lastDay"/> (the line's or
    /// contract's end, if any). Period n starts at start + n × months (from the original start, so the 31st stays the 31st
    /// where the month has one); it ends the day before the next one starts, or at <paramref name="lastDay"/>.
    /// </summary>
    public static IEnumerable<BillingPeriod> Periods(string recurrence, DateOnly start, DateOnly runDate, DateOnly? lastDay)
    {
        var months = Months(recurrence);
        var limit = lastDay is { } l && l < runDate ? l : runDate;
        if (start > limit) yield break;
        if (months == 0)
        {
            yield return new BillingPeriod(start, lastDay ?? start);
            yield break;
        }
        for (var n = 0; n < 10_000; n++)
        {
            var periodStart = start.AddMonths(n * months);
            if (periodStart > limit) yield break;
            var periodEnd = start.AddMonths((n + 1) * months).AddDays(-1);
            if (lastDay is { } last && periodEnd > last) periodEnd = last;
            yield return new BillingPeriod(periodStart, periodEnd);
        }
    }
}
