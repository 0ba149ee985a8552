using System.CommandLine;
using Ledgerlight.Imports;
using Ledgerlight.Organization.Companies;

namespace Ledgerlight.Cli;

/// <summary>
/// `import KIND FILE` and `import company DIR`: moving in from QuickBooks Online, Xero or any CSV with a mapping file.
/// Everything is checked first and every problem printed with its row and column; then all is written in one
/// transaction, or nothing is. A rerun adds nothing. Column mappings: README, "Moving in from another system".
/// </summary>
public static class ImportCommands
{
    /// <summary>The file names `import company DIR` looks for, one per kind (absent ones are skipped).</summary>
    public static string FileName(ImportKind kind) => ImportFormats.NameOf(kind) + ".csv";

    sealed record Shared(Option<string> Company, Option<string> Format, Option<bool> DryRun, Option<string?> Date, Option<Guid?> BankAccount);

    static Shared Options() => new(
        new Option<string>("--company") { Required = true, Description = "Company id or name" },
        new Option<string>("--format") { Description = "quickbooks, xero or generic (default generic)", DefaultValueFactory = _ => "generic" },
        new Option<bool>("--dry-run") { Description = "Check everything and print the report; write nothing" },
        new Option<string?>("--date") { Description = "opening-balances: the entry's date YYYY-MM-DD (default today)" },
        new Option<Guid?>("--bank-account") { Description = "bank-statement: the id of the existing bank account the lines go into" });

    public static Command Create()
    {
        var command = new Command("import", "Import a company's data from QuickBooks Online, Xero or a generic CSV (all or nothing, safe to rerun)");
        foreach (var (name, kind) in ImportFormats.KindNames) command.Subcommands.Add(Kind(name, kind));
        command.Subcommands.Add(Company());
        return command;
    }

    static Command Kind(string name, ImportKind kind)
    {
        var shared = Options();
        var file = new Argument<string>("file") { Description = "The CSV export" };
        var mapping = new Option<string?>("--mapping") { Description = "generic: JSON file {\"columns\": {\"field\": \"Source column\"}, \"dateFormat\": \"dd.MM.yyyy\"}" };
        var command = new Command(name, $"Import {name} from a CSV export; fields: {string.Join(", ", ImportFormats.Fields(kind).Select(f => f.Required ? f.Name + "*" : f.Name))}")
            { file, shared.Company, shared.Format, mapping, shared.DryRun };
        if (kind == ImportKind.OpeningBalances) command.Options.Add(shared.Date);
        if (kind == ImportKind.BankStatement) command.Options.Add(shared.BankAccount);
        command.SetAction(async (parse, _) => await Run(parse, shared, async () =>
        {
            var path = parse.GetValue(file)!;
            return [new ImportSource(kind, Path.GetFileName(path), await ReadAsync(path))];
        }, parse.GetValue(mapping)));
        return command;
    }

    static Command Company()
    {
        var shared = Options();
        var dir = new Argument<string>("dir")
        {
            Description = "Folder with any of " + string.Join(", ", ImportFormats.KindNames.Values.Select(FileName)) +
                          " (generic: each may have a KIND.mapping.json next to it)",
        };
        var command = new Command("company", "Import a whole export folder in one transaction (accounts, parties and products before balances and documents)")
            { dir, shared.Company, shared.Format, shared.DryRun, shared.Date, shared.BankAccount };
        command.SetAction(async (parse, _) => await Run(parse, shared, async () =>
        {
            var folder = parse.GetValue(dir)!;
            if (!Directory.Exists(folder)) throw new ArgumentException($"folder '{folder}' not found");
            var sources = new List<ImportSource>();
            foreach (var kind in ImportFormats.KindNames.Values)
            {
                var path = Path.Combine(folder, FileName(kind));
                if (File.Exists(path)) sources.Add(new ImportSource(kind, FileName(kind), await ReadAsync(path)));
            }
            if (sources.Count == 0) throw new ArgumentException($"'{folder}' holds none of the import files ({string.Join(", ", ImportFormats.KindNames.Values.Select(FileName))})");
            return sources;
        }, mappingPath: null, folderMappings: parse.GetValue(dir)));
        return command;
    }

    static async Task<string> ReadAsync(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"file '{path}' not found");
        if (new FileInfo(path).Length > ImportTable.MaxBytes) throw new ArgumentException($"{path}: larger than {ImportTable.MaxBytes / 1024 / 1024} MB; split the file");
        return await File.ReadAllTextAsync(path);
    }

    /// <summary>Resolves the company, runs the import with progress, prints the report; problems exit with 2 and change nothing.</summary>
    static Task<int> Run(ParseResult parse, Shared shared, Func<Task<List<ImportSource>>> sources, string? mappingPath, string? folderMappings = null) =>
        Commands.WithDatabase(parse, async db =>
        {
            var found = await new CompanyStore(db, TimeProvider.System).FindAsync(parse.GetValue(shared.Company)!)
                        ?? throw new ArgumentException($"company '{parse.GetValue(shared.Company)}' not found");
            var format = ImportFormats.ParseFormat(parse.GetValue(shared.Format)!);
            var files = await sources();
            var mappings = new Dictionary<ImportKind, ImportMapping>();
            foreach (var source in files)
            {
                var path = mappingPath ?? (folderMappings is null ? null : Path.Combine(folderMappings, ImportFormats.NameOf(source.Kind) + ".mapping.json"));
                if (path is not null && (mappingPath is not null || File.Exists(path))) mappings[source.Kind] = ImportMapping.Parse(await ReadAsync(path), source.Kind);
            }
            var principal = new Principal(found.Id, Guid.Empty, CredentialKind.ApiKey, Roles.Admin, null, "import");
            var options = new ImportOptions(format, mappings, OpeningDate(parse.GetValue(shared.Date)), parse.GetValue(shared.BankAccount),
                parse.GetValue(shared.DryRun));
            var runner = new ImportRunner(db, TimeProvider.System);
            var report = await ImportProgress.RunAsync(progress => runner.RunAsync(principal, files, options, progress));
            foreach (var line in report.Lines()) Console.WriteLine(line);
            if (report.Problems.Count > 0) throw new ArgumentException($"{report.Problems.Count} problem(s); nothing was imported");
            if (!report.Applied) Console.WriteLine("dry run: nothing was written");
        });

    static DateOnly OpeningDate(string? raw) =>
        raw is null ? DateOnly.FromDateTime(DateTime.UtcNow)
        : DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new ArgumentException($"--date must be YYYY-MM-DD, got '{raw}'");
}
