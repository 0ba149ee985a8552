using System.CommandLine;
using Ledgerlight.Currencies;

namespace Ledgerlight.Cli;

/// <summary>`rates load FILE`: puts ECB reference rates (the history file or the single-day file) into the database.</summary>
public static class RatesCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "ECB CSV: eurofxref-hist.csv or the single-day eurofxref.csv" };
        var load = new Command("load", "Load ECB euro reference rates from a CSV file (an upsert: reloading changes nothing)") { file };
        load.SetAction(async (parse, ct) => await Commands.WithDatabase(parse, async db =>
        {
            var path = parse.GetValue(file)!.FullName;
            if (!File.Exists(path)) throw new ArgumentException($"file not found: {path}");
            var result = await EcbCsvLoader.LoadFileAsync(db, path, ct);
            var rates = result.File;
            if (rates.SkippedColumns.Count > 0)
                await Console.Error.WriteLineAsync(
                    $"warning: skipped {rates.SkippedColumns.Count} column(s) without an ISO 4217 code in use: {string.Join(", ", rates.SkippedColumns)}");
            Console.WriteLine(rates.Rates.Count == 0
                ? "loaded 0 rates: the file holds none"
                : $"loaded {rates.Rates.Count} rates ({rates.Rates.Select(r => r.Currency).Distinct().Count()} currencies, " +
                  $"{rates.Days} days, {rates.From:yyyy-MM-dd} to {rates.To:yyyy-MM-dd}); {result.Changed} new or changed");
        }));
        return new Command("rates", "Manage exchange rates") { load };
    }
}
