namespace Ledgerlight.Imports;

/// <summary>Where an import reports its progress: one task per file with its number of records to write.</summary>
public interface IImportProgress
{
    void Start(string label, int total);
    void Advance(int count);
    void Finish();
}

public sealed class NoProgress : IImportProgress
{
    public void Start(string label, int total) { }
    public void Advance(int count) { }
    public void Finish() { }
}

/// <summary>One import file as given: its kind, name (for reports) and text.</summary>
public sealed record ImportSource(ImportKind Kind, string Name, string Text);

/// <summary>How to read the files (a generic file's mapping by its kind) and what the run may do.</summary>
public sealed record ImportOptions(ImportFormat Format, IReadOnlyDictionary<ImportKind, ImportMapping> Mappings, DateOnly OpeningDate, Guid? BankAccountId,
    bool DryRun);

/// <summary>
/// One import run, all or nothing: every file is parsed and every row checked (no database), then checked against the
/// company (references, what is already there) in one transaction; only when no file has a problem, and not on a dry
/// run, are the new records written, in dependency order, and committed together. Anything refused while writing
/// (a closed period, say) rolls everything back and is reported against the record's row.
/// </summary>
public sealed class ImportRunner(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly ImportKind[] Order =
    [
        ImportKind.Accounts, ImportKind.Vendors, ImportKind.Customers, ImportKind.Products, ImportKind.OpeningBalances, ImportKind.Bills,
        ImportKind.Invoices, ImportKind.BankStatement,
    ];

    /// <summary>Reads a file's table and records (no database): the pure half of an import.</summary>
    public static ParsedFile Parse(ImportSource source, ImportOptions options, string currency)
    {
        var problems = new List<ImportProblem>();
        var mapping = options.Mappings.GetValueOrDefault(source.Kind);
        var columns = mapping?.Columns is { } mapped
            ? ImportFormats.Fields(source.Kind).ToDictionary(f => f.Name, f => new[] { mapped.GetValueOrDefault(f.Name) ?? f.Name })
            : ImportFormats.Columns(options.Format, source.Kind);
        var table = ImportTable.Read(source.Text, source.Name, source.Kind, columns, problems);
        var formats = mapping?.DateFormat is { } custom ? [custom, "yyyy-MM-dd"] : ImportFormats.DateFormats(options.Format);
        return ImportParser.Parse(source.Kind, table, new ImportSettings(currency, formats), problems);
    }

    public async Task<ImportReport> RunAsync(Principal principal, IReadOnlyList<ImportSource> sources, ImportOptions options, IImportProgress progress,
        CancellationToken ct = default)
    {
        var ordered = sources.OrderBy(s => Array.IndexOf(Order, s.Kind)).ToList();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One import per company at a time: two runs planning the same new vendor would otherwise both create it.
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('ledgerlight.import:' || @companyId::text, 0))",
            new { companyId = principal.CompanyId }, tx);
        var cx = await ImportContext.LoadAsync(conn, tx, principal.CompanyId);
        var files = ordered.Select(s => Parse(s, options, cx.Currency)).ToList();
        var problems = files.SelectMany(f => f.Problems).ToList();
        var plans = new List<FilePlan>();
        foreach (var file in files) plans.Add(await ImportPlanner.PlanAsync(conn, tx, cx, file, options.BankAccountId, problems));
        var results = plans.Select(p => new ImportFileResult(p.File.Kind, p.File.Source, p.File.RowsRead, p.New.Count, p.AlreadyPresent)).ToList();
        if (problems.Count > 0 || options.DryRun) return new ImportReport(results, problems, Applied: false);

        var writer = new ImportWriter(db, clock, principal, cx, options.OpeningDate);
        foreach (var plan in plans.Where(p => p.New.Count > 0))
        {
            progress.Start($"{ImportFormats.NameOf(plan.File.Kind)} ({plan.File.Source})", plan.New.Count);
            var written = 0;
            try
            {
                await writer.WriteFileAsync(conn, tx, plan, options.BankAccountId, n => { written += n; progress.Advance(n); });
            }
            catch (Exception e) when (e is ApiException or PostgresException)
            {
                // The transaction is lost: nothing of the run is kept, and the row that was refused is named.
                progress.Finish();
                var line = plan.New[Math.Min(written, plan.New.Count - 1)].Line;
                var details = e is ApiException api
                    ? string.Join("; ", api.Errors.Select(x => x.Message).Prepend(api.Message).Distinct())
                    : ((PostgresException)e).MessageText;
                return new ImportReport(results, [new ImportProblem(plan.File.Source, line, null, $"refused while writing: {details}")], Applied: false);
            }
        }
        progress.Finish();
        await tx.CommitWriteAsync(ct);
        return new ImportReport(results, [], Applied: true);
    }
}
