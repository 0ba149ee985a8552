using Ledgerlight.Ledger.TaxCodes;
using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>ExternalInvoiceReceivableLineV1Model.</summary>
public sealed record InvoiceLineModel(
    Guid Id, Guid CompanyId, Guid InvoiceReceivableId, Guid ProductId, decimal Quantity, Guid? TaxCodeId, Guid? AccountId, LineDiscount? Discount,
    long? DiscountAmount, long? NetAmount, long? TaxAmount, string? AvataxCode, DateOnly? BillingStart, DateOnly? BillingEnd, long? PriceOverwrite,
    string? ProductNameOverwrite, DateTime CreatedAt, DateTime UpdatedAt, Guid? AccrualTemplateId, DateOnly? AccrualStartDate,
    DateOnly? AccrualEndDate, IReadOnlyList<object>? CustomProperties);

/// <summary>ExternalInvoiceReceivableV1Model.</summary>
public sealed record InvoiceModel(
    Guid Id, Guid CompanyId, Guid? ContractId, Guid? CompanyEntityId, long Amount, string? PaymentType, Guid? PayeeBankAccountId,
    DateOnly? InvoiceDate, DateOnly EffectiveInvoiceDate, DateOnly PostingDate, DateOnly? DueDate, int? NetTerms, Guid? CustomerId,
    Guid? InvoiceTemplateId, string? InvoiceTemplateAdditionalText, string? InvoiceNumber, string State, DateTime? OpenedAt, string? PoNumber,
    string? Reference, string? Description, string Currency, string TaxEngineName, bool AreLinesWithTax, decimal? LocalCurrencyFxRate,
    decimal? GroupCurrencyFxRate, IReadOnlyList<InvoiceLineModel>? Lines, IReadOnlyList<object>? CustomProperties, DateTime CreatedAt,
    DateTime UpdatedAt, Guid? UpdatedBy);

/// <summary>
/// ExternalInvoiceReceivablePaymentV1Model: a bank payment or an applied customer credit, told apart by <see cref="Payment"/>
/// (a <see cref="BankPaymentEntryModel"/> or a <see cref="CustomerCreditEntryModel"/>, typed object so each is written with its own fields).
/// </summary>
public sealed record InvoicePaymentModel(Guid Id, Guid InvoiceReceivableId, long Amount, DateOnly PaymentDate, string Currency, object Payment,
    DateTime CreatedAt);

/// <summary>ExternalInvoiceReceivablePaymentBankPaymentEntryV1Model (type BP): the payment's own BP accounting document.</summary>
public sealed record BankPaymentEntryModel(Guid AccountingDocumentId, Guid? BankAccountId)
{
    public string Type => "BP";
}

/// <summary>ExternalInvoiceReceivablePaymentCustomerCreditEntryV1Model (type CC): the CN clearing that applied the credit, with the credit's number.</summary>
public sealed record CustomerCreditEntryModel(Guid AccountingDocumentId, long Amount, string? DocumentNumber)
{
    public string Type => "CC";
}

/// <summary>ExternalCreateInvoiceReceivableLineRequestV1Model / ExternalUpdateInvoiceReceivableLineRequestV1Model.</summary>
public sealed record InvoiceLineRequest(
    Guid? ProductId, decimal? Quantity, Guid? TaxCodeId, Guid? AccountId, LineDiscount? Discount, long? PriceOverwrite, string? ProductNameOverwrite,
    long? TaxAmountOverwrite, string? AvataxCode, DateOnly? BillingStart, DateOnly? BillingEnd, Guid? AccrualTemplateId, DateOnly? AccrualStartDate,
    DateOnly? AccrualEndDate, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties) : ILineRequest
{
    public const decimal MaxQuantity = 1_000_000_000m;

    public void Validate(Validation v, bool isCreate, params object[] at)
    {
        if (isCreate) v.Required(ProductId, [.. at, "productId"]);
        if (Quantity is { } q && (q <= 0 || q > MaxQuantity)) v.Add($"'quantity' must be greater than 0 and at most {MaxQuantity}", [.. at, "quantity"]);
        if (Quantity is { } s && s.Scale > 6) v.Add("'quantity' has at most 6 decimals", [.. at, "quantity"]);
        v.Amount(PriceOverwrite, [.. at, "priceOverwrite"]);
        v.Amount(TaxAmountOverwrite, [.. at, "taxAmountOverwrite"]);
        v.MaxLength(ProductNameOverwrite, 1000, [.. at, "productNameOverwrite"]);
        v.MaxLength(AvataxCode, 100, [.. at, "avataxCode"]);
        if (BillingStart is { } bs && BillingEnd is { } be && be < bs) v.Add("'billingEnd' must not be before 'billingStart'", [.. at, "billingEnd"]);
        if (AccrualStartDate is { } acs && AccrualEndDate is { } ace && ace < acs)
            v.Add("'accrualEndDate' must not be before 'accrualStartDate'", [.. at, "accrualEndDate"]);
        if (Discount is { } d)
        {
            if (d.Type is not ("PERCENTAGE" or "AMOUNT")) v.Add("'discount.type' must be PERCENTAGE or AMOUNT", [.. at, "discount", "type"]);
            else if (d.Value is null) v.Required(null, [.. at, "discount", "value"]);
            else if (d.Value < 0) v.Add("'discount.value' must not be negative", [.. at, "discount", "value"]);
            else if (d.Type == "PERCENTAGE" && d.Value > 100) v.Add("A percentage discount is at most 100", [.. at, "discount", "value"]);
            else if (d.Type == "AMOUNT" && d.Value != decimal.Truncate(d.Value.Value))
                v.Add("An amount discount is in minor units (an integer)", [.. at, "discount", "value"]);
            else if (d.Type == "AMOUNT" && d.Value > Limits.MaxAmount)
                v.Add($"An amount discount is at most {Limits.MaxAmount} (minor units)", [.. at, "discount", "value"]);
        }
        CustomPropertyRequests.CheckShape(v, CustomProperties, [.. at, "customProperties"]);
    }
}

/// <summary>ExternalCreateInvoiceReceivableRequestV1Model and ExternalUpdateInvoiceReceivableRequestV1Model (PATCH reads presence from the JSON).</summary>
public sealed record InvoiceRequest(
    Guid? CompanyEntityId, string? InvoiceNumber, string? Description, string? Currency, string? PaymentType, Guid? PayeeBankAccountId,
    DateOnly? InvoiceDate, DateOnly? PostingDate, DateOnly? DueDate, Guid? CustomerId, Guid? InvoiceTemplateId, int? NetTerms, string? PoNumber,
    string? Reference, string? InvoiceTemplateAdditionalText, bool? AreLinesWithTax, decimal? LocalCurrencyFxRate, decimal? GroupCurrencyFxRate,
    IReadOnlyList<InvoiceLineRequest>? Lines, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties) : IDocumentRequest
{
    public static readonly string[] PaymentTypes = ["AIRWALLEX", "BANK_TRANSFER", "DIRECT_DEBIT", "STRIPE"];
    public const int MaxLines = Limits.MaxLinesPerDocument;

    /// <summary>Create and update check the same: every field is optional on a draft.</summary>
    void IDocumentRequest.Validate(Validation v, bool isCreate) => Validate(v);

    public void Validate(Validation v)
    {
        Limits.LineCount(Lines?.Count, "lines", MaxLines);
        v.Currency(Currency, "currency");
        SalesDocumentRules.CheckNumberAndDescription(v, InvoiceNumber, "invoiceNumber", Description);
        v.MaxLength(PoNumber, 255, "poNumber");
        v.MaxLength(Reference, 255, "reference");
        v.MaxLength(InvoiceTemplateAdditionalText, 4000, "invoiceTemplateAdditionalText");
        if (PaymentType is not null && !PaymentTypes.Contains(PaymentType)) v.Add($"'paymentType' must be one of {string.Join(", ", PaymentTypes)}", "paymentType");
        if (NetTerms is < 0 or > 3650) v.Add("'netTerms' must be between 0 and 3650 days", "netTerms");
        SalesDocumentRules.CheckFxRates(v, LocalCurrencyFxRate, GroupCurrencyFxRate);
        DocumentRequests.CheckLinesAndProperties(v, Lines, CustomProperties);
    }
}

/// <summary>ExternalRegisterInvoiceReceivablePaymentRequestV1Model.</summary>
public sealed record PaymentRequest(DateOnly? PaymentDate, Guid? BankAccountId, long? AmountInInvoiceCurrency);
