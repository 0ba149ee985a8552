using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>DirectedAmount: an amount with its debit/credit side.</summary>
public sealed record DirectedAmount(long? Amount, string? DcSign);

/// <summary>ExternalCustomerCreditLineV1Model. A credit line reverses revenue, so its amounts are debits.</summary>
public sealed record CustomerCreditLineModel(
    Guid Id, Guid CompanyId, Guid CustomerCreditId, DirectedAmount GrossTransactionAmount, DirectedAmount NetTransactionAmount, string? Description,
    Guid? LedgerTaxId, DirectedAmount TaxTransactionAmount, Guid? LedgerAccountId, string? AvataxCode, Guid ProductId, decimal Quantity,
    DateTime CreatedAt, DateTime UpdatedAt, Guid? AccrualTemplateId, DateOnly? AccrualStartDate, DateOnly? AccrualEndDate, int? AccrualDefaultDuration,
    IReadOnlyList<object>? CustomProperties);

/// <summary>ExternalRelatedAccDocV1Model.</summary>
public sealed record RelatedAccDocModel(Guid Id, string? DocumentNumber, DateOnly? DocumentDate, string Status, long? Amount, string Currency);

/// <summary>ExternalCustomerCreditV1Model.</summary>
public sealed record CustomerCreditModel(
    Guid Id, Guid CompanyId, Guid? CompanyEntityId, long? Amount, string? CustomerName, Guid? CustomerId, string Status, string? Description,
    string Currency, DateOnly? DocumentDate, DateOnly? ValuationDate, bool AreLinesWithTax, IReadOnlyList<CustomerCreditLineModel>? Lines,
    DateTime CreatedAt, DateTime UpdatedAt, Guid? UpdatedBy, RelatedAccDocModel? LinkedInvoiceReceivable, IReadOnlyList<object>? CustomProperties);

/// <summary>ExternalCustomerCreditInvoiceReceivableV1Model.</summary>
public sealed record CustomerCreditInvoiceModel(Guid CompanyId, RelatedAccDocModel CustomerCredit, RelatedAccDocModel InvoiceReceivable, long Amount,
    DateTime LinkedAt);

/// <summary>ExternalCreateCustomerCreditLineRequestV1Model / ExternalUpdateCustomerCreditLineRequestV1Model.</summary>
public sealed record CustomerCreditLineRequest(
    Guid? ProductId, decimal? Quantity, DirectedAmount? NetTransactionAmount, DirectedAmount? GrossTransactionAmount, DirectedAmount? TaxTransactionAmount,
    string? Description, Guid? LedgerTaxId, Guid? LedgerAccountId, string? AvataxCode, Guid? AccrualTemplateId, DateOnly? AccrualStartDate,
    DateOnly? AccrualEndDate, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties) : ILineRequest
{
    public void Validate(Validation v, bool isCreate, params object[] at)
    {
        if (isCreate) v.Required(ProductId, [.. at, "productId"]);
        if (Quantity is { } q && (q <= 0 || q > Invoices.InvoiceLineRequest.MaxQuantity))
            v.Add($"'quantity' must be greater than 0 and at most {Invoices.InvoiceLineRequest.MaxQuantity}", [.. at, "quantity"]);
        if (Quantity is { } s && s.Scale > 6) v.Add("'quantity' has at most 6 decimals", [.. at, "quantity"]);
        foreach (var (name, amount) in new[] { ("netTransactionAmount", NetTransactionAmount), ("grossTransactionAmount", GrossTransactionAmount),
                     ("taxTransactionAmount", TaxTransactionAmount) })
        {
            if (amount is null) continue;
            if (amount.Amount is null) v.Required(null, [.. at, name, "amount"]);
            else v.Amount(amount.Amount, [.. at, name, "amount"]);
            if (amount.DcSign is not (null or "D")) v.Add("A customer credit line is a debit: 'dcSign' must be D", [.. at, name, "dcSign"]);
        }
        v.MaxLength(Description, 1000, [.. at, "description"]);
        v.MaxLength(AvataxCode, 100, [.. at, "avataxCode"]);
        if (AccrualStartDate is { } acs && AccrualEndDate is { } ace && ace < acs)
            v.Add("'accrualEndDate' must not be before 'accrualStartDate'", [.. at, "accrualEndDate"]);
        CustomPropertyRequests.CheckShape(v, CustomProperties, [.. at, "customProperties"]);
    }
}

/// <summary>ExternalCreateCustomerCreditRequestV1Model / ExternalUpdateCustomerCreditRequestV1Model (PATCH reads presence from the JSON).</summary>
public sealed record CustomerCreditRequest(
    Guid? CompanyEntityId, string? DocumentNumber, string? Description, string? Currency, decimal? LocalCurrencyFxRate, decimal? GroupCurrencyFxRate,
    DateOnly? DocumentDate, Guid? DocumentTemplateId, bool? AreLinesWithTax, Guid? CustomerId, long? Amount,
    IReadOnlyList<CustomerCreditLineRequest>? Lines, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties) : IDocumentRequest
{
    public const int MaxLines = Limits.MaxLinesPerDocument;

    /// <summary>Create and update check the same: every field is optional on a draft.</summary>
    void IDocumentRequest.Validate(Validation v, bool isCreate) => Validate(v);

    public void Validate(Validation v)
    {
        Limits.LineCount(Lines?.Count, "lines", MaxLines);
        v.Currency(Currency, "currency");
        SalesDocumentRules.CheckNumberAndDescription(v, DocumentNumber, "documentNumber", Description);
        v.Amount(Amount, "amount");
        SalesDocumentRules.CheckFxRates(v, LocalCurrencyFxRate, GroupCurrencyFxRate);
        DocumentRequests.CheckLinesAndProperties(v, Lines, CustomProperties);
    }
}

public sealed record LinkRequest(long? Amount);
public sealed record PostRequest(bool? ShouldSubmitEInvoice);
/// <summary>ExternalCustomerCreditEmailInfoRequestV1Model (also the "customer-credit-email" job's payload).</summary>
public sealed record EmailInfo(string? Subject, string? ReplyTo, IReadOnlyList<string>? Recipients, IReadOnlyList<string>? Cc, string? CustomMessage);

/// <summary>ExternalPostAndSendCustomerCreditRequestV1Model: shouldSubmitEInvoice sits beside emailInfo, not inside it.</summary>
public sealed record PostAndSendRequest(EmailInfo? EmailInfo, bool? ShouldSubmitEInvoice);
