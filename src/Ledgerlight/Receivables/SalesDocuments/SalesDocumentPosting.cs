using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Ledger.TaxCodes;
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.Products;
using static Ledgerlight.Ledger.DocumentContext;

namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>How a kind of sales document posts: its ledger document type, side, request paths and the words of its refusals.</summary>
public sealed record SalesPostingKind(string DocumentType, SalesSide Side, SalesPostingPaths Paths, string Noun, string Participle, string Verb)
{
    public static readonly SalesPostingKind InvoiceOpening = new("AR", SalesSide.Invoice, SalesPostingPaths.Invoice, "An invoice", "opened", "open");
    public static readonly SalesPostingKind CreditPosting = new("CN", SalesSide.Credit, SalesPostingPaths.Credit, "A customer credit", "posted", "post");
}

/// <summary>A stored line about to post; <paramref name="Label"/> falls back to the product's name.</summary>
public sealed record SalesLineToPost(Guid Id, Guid ProductId, Guid? AccountId, Guid? TaxCodeId, long NetAmount, long TaxAmount, string? Label);

/// <summary>A checked posting, not yet written (the document number is assigned between the two), and the rates it used.</summary>
public sealed record PreparedSalesPosting(PreparedPosting Prepared, Guid TransactionId, decimal LocalRate, decimal GroupRate);

/// <summary>
/// The opening posting of a sales document, through the <see cref="PostingEngine"/>: accounts resolved (the line's account,
/// else the product's default, else the REVENUE account; the tax code's output account, else OUTPUT_TAX), lines built by
/// <see cref="SalesPosting.Lines"/> on the document's side, rates resolved unless the document fixes them.
/// </summary>
public static class SalesDocumentPosting
{
    /// <summary>
    /// Checks the document is complete (<see cref="SalesDocumentRules.CheckComplete"/>) and its customer invoiceable, then prepares the
    /// posting dated <paramref name="postingDate"/>. The caller assigns the number and writes it (<see cref="PostingEngine.WriteAsync"/>).
    /// </summary>
    public static async Task<PreparedSalesPosting> PrepareAsync(PostingEngine engine, NpgsqlConnection conn, NpgsqlTransaction tx, Guid? userId,
        SalesPostingKind kind, SalesDocumentRow doc, string? number, DateOnly postingDate, DateOnly documentDate, IReadOnlyList<SalesLineToPost> lines)
    {
        var companyId = doc.CompanyId;
        SalesDocumentRules.CheckComplete(doc.CustomerId, lines.Count, doc.Amount, kind.Noun, kind.Participle, kind.Verb);
        var customer = await CustomerStore.RequireInvoiceableAsync(conn, tx, companyId, doc.CustomerId!.Value, "customerId");
        var receivable = await SystemAccounts.FindAsync(conn, tx, companyId, "AR");
        var resolved = await ResolveAccountsAsync(conn, tx, companyId, lines);
        var postingLines = SalesPosting.Lines(kind.Side, receivable, doc.Amount, doc.Description, resolved, kind.Paths);
        var (localRate, groupRate) = await RatesAsync(conn, tx, companyId, doc.CompanyEntityId, doc.Currency, doc.LocalFxRate, doc.GroupFxRate, postingDate);
        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, userId,
            new PostingDocument(doc.Id, kind.DocumentType, doc.CompanyEntityId, "PRIMARY", number, doc.Description, doc.Currency, postingDate,
                documentDate, null, customer.Name, customer.Id, doc.AreLinesWithTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));
        return new PreparedSalesPosting(prepared, transactionId, localRate, groupRate);
    }

    /// <summary>The document's fixed rates, else the stored rates of the date into the entity's local and the group currency.</summary>
    public static async Task<(decimal Local, decimal Group)> RatesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId,
        string currency, decimal? localFxRate, decimal? groupFxRate, DateOnly date)
    {
        var (local, group) = await CurrenciesOfAsync(conn, tx, companyId, entityId);
        return (localFxRate ?? await RateAsync(conn, tx, currency, local, date, "localCurrencyFxRate"),
            groupFxRate ?? await RateAsync(conn, tx, currency, group, date, "groupCurrencyFxRate"));
    }

    static async Task<List<SalesPostingLine>> ResolveAccountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        IReadOnlyList<SalesLineToPost> lines)
    {
        // The system accounts are looked up only when a line needs them: a chart without them can still post lines that name theirs.
        Guid? revenue = null, outputTax = null;
        var resolved = new List<SalesPostingLine>(lines.Count);
        foreach (var line in lines)
        {
            var product = await ProductStore.FindAsync(conn, tx, companyId, line.ProductId);
            var account = line.AccountId ?? product?.DefaultLedgerAccountId ?? (revenue ??= await SystemAccounts.FindAsync(conn, tx, companyId, "REVENUE"));
            TaxCodeRow? code = null;
            var taxAccount = Guid.Empty;
            if (line.TaxAmount > 0)
            {
                code = line.TaxCodeId is { } taxId ? await TaxCodeStore.FindAsync(conn, tx, companyId, taxId) : null;
                taxAccount = code?.OutputAccountId ?? (outputTax ??= await SystemAccounts.FindAsync(conn, tx, companyId, "OUTPUT_TAX"));
            }
            resolved.Add(new SalesPostingLine(line.Id, account, line.NetAmount, taxAccount, line.TaxAmount, line.TaxCodeId, code?.Code,
                line.Label ?? product?.Name));
        }
        return resolved;
    }
}

/// <summary>Pure checks every sales document makes before it posts.</summary>
public static class SalesDocumentRules
{
    /// <summary>The header text every sales document body checks: its number (at most 100 characters, not blank) and its description.</summary>
    public static void CheckNumberAndDescription(Validation v, string? number, string numberField, string? description)
    {
        v.MaxLength(number, 100, numberField);
        if (number is not null && string.IsNullOrWhiteSpace(number)) v.Add($"'{numberField}' must not be empty", numberField);
        v.MaxLength(description, 1000, "description");
    }

    /// <summary>Exchange rates a body fixes (instead of the day's rate) must be positive.</summary>
    public static void CheckFxRates(Validation v, decimal? local, decimal? group)
    {
        if (local is <= 0) v.Add("'localCurrencyFxRate' must be positive", "localCurrencyFxRate");
        if (group is <= 0) v.Add("'groupCurrencyFxRate' must be positive", "groupCurrencyFxRate");
    }

    /// <summary>
    /// A customer, at least one line and a non-zero total; otherwise a 422 listing what is missing. <paramref name="noun"/> is the
    /// document with its article ("An invoice"), <paramref name="participle"/>/<paramref name="verb"/> the action ("opened"/"open").
    /// </summary>
    public static void CheckComplete(Guid? customerId, int lineCount, long total, string noun, string participle, string verb)
    {
        var v = new Validation();
        if (customerId is null) v.Required(null, "customerId");
        if (lineCount == 0) v.Add($"{noun} needs at least one line to be {participle}", "lines");
        else if (total == 0) v.Add($"{noun} with a total of 0 cannot be {participle}", "lines");
        v.ThrowIfAny(422, $"The {noun[(noun.IndexOf(' ') + 1)..]} is not complete enough to {verb}");
    }

    /// <summary>The header amount a client declares must equal the sum of the lines once there are lines.</summary>
    public static void CheckDeclaredAmount(long? declared, long total)
    {
        if (declared is { } a && a != total)
            throw ApiException.Unprocessable($"'amount' ({a}) does not match the sum of the lines ({total}); the total is derived from the lines", "amount");
    }
}
