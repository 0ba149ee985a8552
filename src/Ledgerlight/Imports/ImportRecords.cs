using Ledgerlight.Payables.Vendors;
using Ledgerlight.Receivables.Customers;

namespace Ledgerlight.Imports;

/// <summary>One parsed row (or, for opening balances, the file): Key is what makes a rerun find it again (code, number, name).</summary>
public abstract record ImportRecord(int Line, string Key);

public sealed record AccountRecord(int Line, int Code, string Name, string Type, string? Description) : ImportRecord(Line, Code.ToString(System.Globalization.CultureInfo.InvariantCulture));

public sealed record VendorRecord(int Line, string Name, VendorRequest Request) : ImportRecord(Line, ImportValues.NameKey(Name));

public sealed record CustomerRecord(int Line, string Name, CustomerRequest Request) : ImportRecord(Line, ImportValues.NameKey(Name));

/// <summary>A product; IncomeAccount is the source's reference (code or name), resolved against the chart when applied.</summary>
public sealed record ProductRecord(int Line, string Code, string Name, long? Price, string? IncomeAccount, string? IncomeAccountColumn)
    : ImportRecord(Line, ImportValues.NameKey(Code));

/// <summary>An open bill or sales invoice: what is still owed on it, as of its date.</summary>
public sealed record OpenItemRecord(int Line, string Number, string Party, string PartyColumn, DateOnly Date, DateOnly? DueDate, long Amount)
    : ImportRecord(Line, ImportValues.NameKey(Number));

/// <summary>One account's opening balance; Amount is debit-positive.</summary>
public sealed record OpeningLine(int Line, string Account, string AccountColumn, long Amount);

/// <summary>The opening balances file as one record: one entry, so one key.</summary>
public sealed record OpeningBalancesRecord(int Line, IReadOnlyList<OpeningLine> Lines) : ImportRecord(Line, "opening-balances");

/// <summary>A bank statement line; Amount is positive, DcSign C money in, D money out (as bank transactions are).</summary>
public sealed record BankLineRecord(int Line, string Key, DateOnly Date, long Amount, string DcSign, string? Description, string? Reference)
    : ImportRecord(Line, Key);

/// <summary>A file after parsing: every row's record or its problems (row and column).</summary>
public sealed record ParsedFile(ImportKind Kind, string Source, int RowsRead, IReadOnlyList<ImportRecord> Records, IReadOnlyList<ImportProblem> Problems);

/// <summary>What an import did (or, dry run and on problems, would do): per file, rows read, records new and already present.</summary>
public sealed record ImportFileResult(ImportKind Kind, string Source, int RowsRead, int Added, int AlreadyPresent);

public sealed record ImportReport(IReadOnlyList<ImportFileResult> Files, IReadOnlyList<ImportProblem> Problems, bool Applied)
{
    /// <summary>At most this many problems are printed; the count says how many there were.</summary>
    public const int MaxShown = 200;

    public IEnumerable<string> Lines()
    {
        foreach (var f in Files)
            yield return $"{ImportFormats.NameOf(f.Kind)} ({f.Source}): {f.RowsRead} rows read, {f.Added} {(Applied ? "added" : "to add")}, {f.AlreadyPresent} already present";
        if (Problems.Count == 0) yield break;
        yield return $"{Problems.Count} problem(s), nothing imported:";
        foreach (var p in Problems.Take(MaxShown)) yield return "  " + p;
        if (Problems.Count > MaxShown) yield return $"  ... and {Problems.Count - MaxShown} more";
    }
}
