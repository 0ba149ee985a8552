using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>A payable line's account and tax code once checked; <see cref="Ok"/> is false when a reference is unknown (errors added).</summary>
public sealed record LineReferences(bool Ok, Guid AccountId, Guid? TaxCodeId, decimal? RatePercent);

/// <summary>Where a line's references sit in the request (bills: accountId/taxCodeId; credit notes: ledgerAccountId/ledgerTaxId).</summary>
public sealed record LineReferenceFields(string Account, string TaxCode);

/// <summary>
/// The one resolution of a bill or credit-note line against the company's ledger accounts and tax codes:
/// the line's own references, else its vendor's defaults, else the system EXPENSE account. Every lookup is
/// scoped to the company, so another company's account or tax code is "does not exist".
/// </summary>
public static class PayableLineReferences
{
    public static async Task<LineReferences> ResolveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorDefaults? vendor,
        Guid? accountId, Guid? taxCodeId, LineReferenceFields fields, Validation v, object[] path)
    {
        var ok = true;
        var taxId = taxCodeId ?? vendor?.DefaultTaxCodeId;
        TaxCodeRow? taxCode = null;
        if (taxId is { } t)
        {
            taxCode = await TaxCodeStore.FindAsync(conn, tx, companyId, t);
            if (taxCode is null) { v.Add($"Tax code {t} does not exist", [.. path, fields.TaxCode]); ok = false; }
        }
        Guid account;
        if (accountId is { } a)
        {
            account = a;
            if (!await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM ledger_accounts WHERE company_id = @companyId AND id = @a)",
                    new { companyId, a }, tx))
            { v.Add($"Ledger account {a} does not exist", [.. path, fields.Account]); ok = false; }
        }
        else account = vendor?.DefaultAccountId ?? await SystemAccounts.FindAsync(conn, tx, companyId, "EXPENSE");
        return new LineReferences(ok, account, taxId, taxCode?.RatePercent);
    }

    /// <summary>Input-tax accounts for the tax codes of the lines that carry tax: the code's own, else the system INPUT_TAX account.</summary>
    public static async Task<IReadOnlyDictionary<Guid, Guid>> InputTaxAccountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        IEnumerable<PostableLine> lines)
    {
        var accounts = new Dictionary<Guid, Guid>();
        foreach (var line in lines.Where(l => l.Tax != 0))
        {
            var key = PayablePosting.TaxKey(line.TaxCodeId);
            if (accounts.ContainsKey(key)) continue;
            var code = line.TaxCodeId is { } t ? await TaxCodeStore.FindAsync(conn, tx, companyId, t) : null;
            accounts[key] = code?.InputAccountId ?? await SystemAccounts.FindAsync(conn, tx, companyId, "INPUT_TAX");
        }
        return accounts;
    }
}
