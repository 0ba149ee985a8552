namespace Ledgerlight.Banking;

/// <summary>ExternalBankTransactionV1Model.</summary>
public sealed record BankTransactionModel(
    Guid Id, Guid BankAccountId, DateOnly Date, long Amount, string DcSign, string ReconciliationStatus,
    string? Name, string? Memo, string? Reference, string? TransactionId, DateTime CreatedAt);

/// <summary>ExternalGetAllResponseWithBalanceV1ModelExternalBankTransactionV1Model, with Light's usual paging fields.</summary>
public sealed record BankTransactionPageModel(
    long? Total, IReadOnlyList<BankTransactionModel> Records, long Balance, bool HasMore, string? NextCursor, string? PrevCursor);

/// <summary>ExternalCreateBankTransactionRequestV1Model.</summary>
public sealed record CreateBankTransactionRequest(
    DateOnly? Date, long? Amount, string? DcSign, string? Name, string? Memo, string? Reference, string? TransactionId);

/// <summary>ExternalCreateBankTransactionsRequestV1Model.</summary>
public sealed record CreateBankTransactionsRequest(IReadOnlyList<CreateBankTransactionRequest?>? Transactions)
{
    public const int MaxBatch = 500;
    const int MaxText = 1000;
    const int MaxTransactionId = 255;

    /// <summary>Every line is checked before any is written: a bad line anywhere changes nothing.</summary>
    public void Validate(Validation v)
    {
        v.Required(Transactions, "transactions");
        if (Transactions is null) return;
        if (Transactions.Count > MaxBatch)
        {
            v.Add($"At most {MaxBatch} transactions per request; got {Transactions.Count}", "transactions");
            return;
        }
        for (var i = 0; i < Transactions.Count; i++)
        {
            var t = Transactions[i];
            if (t is null)
            {
                v.Required(null, "transactions", i);
                continue;
            }
            v.Required(t.Date, "transactions", i, "date");
            v.Required(t.Amount, "transactions", i, "amount");
            if (t.Amount is <= 0)
                v.Add($"'transactions.{i}.amount' must be positive (the direction is dcSign)", "transactions", i, "amount");
            else if (t.Amount is > BankAmounts.MaxAbsolute)
                v.Add($"'transactions.{i}.amount' must be at most {BankAmounts.MaxAbsolute} minor units", "transactions", i, "amount");
            v.Required(t.DcSign, "transactions", i, "dcSign");
            if (t.DcSign is not null and not ("D" or "C"))
                v.Add($"'transactions.{i}.dcSign' must be D (money out) or C (money in)", "transactions", i, "dcSign");
            if (t.TransactionId is not null && string.IsNullOrWhiteSpace(t.TransactionId))
                v.Add($"'transactions.{i}.transactionId' must not be blank (omit it instead)", "transactions", i, "transactionId");
            v.MaxLength(t.TransactionId, MaxTransactionId, "transactions", i, "transactionId");
            v.MaxLength(t.Name, MaxText, "transactions", i, "name");
            v.MaxLength(t.Memo, MaxText, "transactions", i, "memo");
            v.MaxLength(t.Reference, MaxText, "transactions", i, "reference");
        }
    }
}

/// <summary>One line ready to insert: its new id and its position in the request.</summary>
public sealed record NewBankTransaction(int Index, Guid Id, DateOnly Date, long Amount, string DcSign, string? Name, string? Memo,
    string? Reference, string? TransactionId);

public static class BankTransactionRules
{
    /// <summary>
    /// The lines to offer the database: a transactionId repeated inside the batch keeps its first
    /// occurrence only (the rest are duplicates, silently skipped like lines already stored).
    /// Ids are UUIDv7 taken in request order. The result is ordered by transactionId so two
    /// concurrent batches that share ids take their unique-index locks in the same order and
    /// cannot deadlock; lines without one come last.
    /// </summary>
    public static List<NewBankTransaction> Plan(IReadOnlyList<CreateBankTransactionRequest?> lines)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<NewBankTransaction>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var t = lines[i]!;
            if (t.TransactionId is { } tid && !seen.Add(tid)) continue;
            plan.Add(new NewBankTransaction(i, Ids.New(), t.Date!.Value, t.Amount!.Value, t.DcSign!, t.Name, t.Memo, t.Reference, t.TransactionId));
        }
        plan.Sort((a, b) => (a.TransactionId, b.TransactionId) switch
        {
            (null, null) => a.Index.CompareTo(b.Index),
            (null, _) => 1,
            (_, null) => -1,
            var (x, y) => string.CompareOrdinal(x, y),
        });
        return plan;
    }
}

public sealed class BankTransactionRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid BankAccountId { get; set; }
    public DateOnly Date { get; set; }
    public long Amount { get; set; }
    public string DcSign { get; set; } = "";
    public string ReconciliationStatus { get; set; } = "";
    public string? Name { get; set; }
    public string? Memo { get; set; }
    public string? Reference { get; set; }
    public string? TransactionId { get; set; }
    public DateTime CreatedAt { get; set; }

    public const string Columns = "t.company_id, t.id, t.bank_account_id, t.date, t.amount, t.dc_sign, t.reconciliation_status, " +
                                  "t.name, t.memo, t.reference, t.transaction_id, t.created_at";

    public BankTransactionModel ToModel() =>
        new(Id, BankAccountId, Date, Amount, DcSign, ReconciliationStatus, Name, Memo, Reference, TransactionId, CreatedAt);
}
