using Ledgerlight.Platform;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>DirectedAmount: an amount with its debit/credit side.</summary>
public sealed record DirectedAmount(long? Amount, string? DcSign);

/// <summary>ExternalCustomerCreditLineV1Model. A credit line reverses revenue, so its amounts are debits.</summary>
public sealed record CustomerCreditLineModel(
    Guid Id, Guid CompanyId, Guid CustomerCreditId, DirectedAmount GrossTransactionAmount, DirectedAmount NetTransactionAmount, string? Description,
    Guid? LedgerTaxId, DirectedAmount TaxTransactionAmount, Guid? LedgerAccountId, string? AvataxCode, Guid ProductId, decimal Quantity,
    DateTime CreatedAt, DateTime UpdatedAt, Guid? AccrualTemplateId, DateOnly? AccrualStartDate, DateOnly? AccrualEndDate, int? AccrualDefaultDuration);

/// <summary>ExternalRelatedAccDocV1Model.</summary>
public sealed record RelatedAccDocModel(Guid Id, string? DocumentNumber, DateOnly? DocumentDate, string Status, long? Amount, string Currency);

/// <summary>ExternalCustomerCreditV1Model.</summary>
public sealed record CustomerCreditModel(
    Guid Id, Guid CompanyId, Guid? CompanyEntityId, long? Amount, string? CustomerName, Guid? CustomerId, string Status, string? Description,
    string Currency, DateOnly? DocumentDate, DateOnly? ValuationDate, bool AreLinesWithTax, IReadOnlyList<CustomerCreditLineModel>? Lines,
    DateTime CreatedAt, DateTime UpdatedAt, Guid? UpdatedBy, RelatedAccDocModel? LinkedInvoiceReceivable);

/// <summary>ExternalCustomerCreditInvoiceReceivableV1Model.</summary>
public sealed record CustomerCreditInvoiceModel(Guid CompanyId, RelatedAccDocModel CustomerCredit, RelatedAccDocModel InvoiceReceivable, long Amount,
    DateTime LinkedAt);

/// <summary>ExternalCreateCustomerCreditLineRequestV1Model / ExternalUpdateCustomerCreditLineRequestV1Model.</summary>
public sealed record CustomerCreditLineRequest(
    Guid? ProductId, decimal? Quantity, DirectedAmount? NetTransactionAmount, DirectedAmount? GrossTransactionAmount, DirectedAmount? TaxTransactionAmount,
    string? Description, Guid? LedgerTaxId, Guid? LedgerAccountId, string? AvataxCode, Guid? AccrualTemplateId, DateOnly? AccrualStartDate,
    DateOnly? AccrualEndDate, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties)
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
        CustomPropertyRequests.RefuseUnknownGroups(v, CustomProperties, [.. at, "customProperties"]);
    }
}

/// <summary>ExternalCreateCustomerCreditRequestV1Model / ExternalUpdateCustomerCreditRequestV1Model (PATCH reads presence from the JSON).</summary>
public sealed record CustomerCreditRequest(
    Guid? CompanyEntityId, string? DocumentNumber, string? Description, string? Currency, decimal? LocalCurrencyFxRate, decimal? GroupCurrencyFxRate,
    DateOnly? DocumentDate, Guid? DocumentTemplateId, bool? AreLinesWithTax, Guid? CustomerId, long? Amount,
    IReadOnlyList<CustomerCreditLineRequest>? Lines, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties)
{
    public const int MaxLines = Limits.MaxLinesPerDocument;

    public void Validate(Validation v)
    {
        Limits.LineCount(Lines?.Count, "lines", MaxLines);
        v.Currency(Currency, "currency");
        v.MaxLength(DocumentNumber, 100, "documentNumber");
        if (DocumentNumber is not null && string.IsNullOrWhiteSpace(DocumentNumber)) v.Add("'documentNumber' must not be empty", "documentNumber");
        v.MaxLength(Description, 1000, "description");
        v.Amount(Amount, "amount");
        if (LocalCurrencyFxRate is <= 0) v.Add("'localCurrencyFxRate' must be positive", "localCurrencyFxRate");
        if (GroupCurrencyFxRate is <= 0) v.Add("'groupCurrencyFxRate' must be positive", "groupCurrencyFxRate");
        for (var i = 0; i < (Lines?.Count ?? 0); i++)
        {
            if (Lines![i] is null) v.Add("A line must be an object", "lines", i);
            else Lines[i].Validate(v, isCreate: true, "lines", i);
        }
        CustomPropertyRequests.RefuseUnknownGroups(v, CustomProperties, "customProperties");
    }
}

public sealed record LinkRequest(long? Amount);
public sealed record PostRequest(bool? ShouldSubmitEInvoice);
public sealed record EmailInfo(string? Subject, string? ReplyTo, IReadOnlyList<string>? Recipients, IReadOnlyList<string>? Cc, string? CustomMessage,
    bool? ShouldSubmitEInvoice);
public sealed record PostAndSendRequest(EmailInfo? EmailInfo);

/// <summary>Customer credit statuses and their transitions (Light's accounting-document statuses).</summary>
public static class CustomerCreditStates
{
    public const string Draft = "DRAFT";
    public const string Posted = "POSTED";
    public const string PartiallyCleared = "PARTIALLY_CLEARED";
    public const string Cleared = "CLEARED";
    public const string Archived = "ARCHIVED";

    /// <summary>Recorded on submit-einvoice: the request is kept, nothing is sent (no e-invoicing network is connected).</summary>
    public const string EInvoiceNotConnected = "NOT_SUBMITTED_NO_EINVOICING_NETWORK";

    public static void EnsureEditable(string status)
    {
        if (status != Draft) throw ApiException.Conflict($"Customer credit is {status}; only a DRAFT customer credit can be edited");
    }

    public static void EnsureCanPost(string status)
    {
        if (status != Draft) throw ApiException.Conflict($"Customer credit is {status}; only a DRAFT customer credit can be posted");
    }

    public static void EnsurePosted(string status, string action)
    {
        if (status is not (Posted or PartiallyCleared or Cleared))
            throw ApiException.Conflict($"Customer credit is {status}; only a posted customer credit can be {action}");
    }

    /// <summary>Archive: a DRAFT, or a POSTED credit not applied to any invoice (its posting is reversed).</summary>
    public static void EnsureCanArchive(string status)
    {
        if (status is PartiallyCleared or Cleared)
            throw ApiException.Conflict($"Customer credit is {status}; unlink it from its invoices before archiving");
        if (status is not (Draft or Posted)) throw ApiException.Conflict($"Customer credit is {status}; only a DRAFT or POSTED customer credit can be archived");
    }

    /// <summary>Light documents 400 for unarchiving a credit that is not archived.</summary>
    public static void EnsureCanUnarchive(string status)
    {
        if (status != Archived) throw ApiException.BadRequest($"Customer credit is {status}, not ARCHIVED; only an archived customer credit can be unarchived");
    }

    public static string AfterApplication(long applied, long amount) => applied == 0 ? Posted : applied >= amount ? Cleared : PartiallyCleared;

    /// <summary>How much to apply: the requested amount, or what is open on both sides; over either side is a 422 at "amount".</summary>
    public static long AmountToApply(long? requested, long creditOpen, long invoiceOpen, string currency)
    {
        if (requested is { } r)
        {
            if (r <= 0) throw ApiException.BadRequest("'amount' must be positive", "amount");
            if (r > creditOpen) throw ApiException.Unprocessable($"The amount ({r}) exceeds what is left on the customer credit ({creditOpen} {currency})", "amount");
            if (r > invoiceOpen) throw ApiException.Unprocessable($"The amount ({r}) exceeds the invoice's open amount ({invoiceOpen} {currency})", "amount");
            return r;
        }
        var amount = Math.Min(creditOpen, invoiceOpen);
        if (amount <= 0) throw ApiException.Unprocessable("Nothing is open on the customer credit or the invoice", "amount");
        return amount;
    }

    /// <summary>An invoice's state as an accounting-document status (ExternalRelatedAccDocV1Model).</summary>
    public static string InvoiceDocumentStatus(string invoiceState) => invoiceState switch
    {
        "OPEN" => Posted,
        "PARTIALLY_PAID" => PartiallyCleared,
        "PAID" => Cleared,
        _ => invoiceState,
    };
}
