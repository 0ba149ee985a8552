using System.CommandLine;
using Ledgerlight.Receivables.Contracts;
using Ledgerlight.Receivables.Invoices;

namespace Ledgerlight.Cli;

/// <summary>
/// `contracts bill --date YYYY-MM-DD`: the billing run for every company (the same run as POST /v1/contracts/billing-runs),
/// bounded to <see cref="ContractBilling.MaxPeriodsPerLine"/> periods per line; it says how many periods remain for another run.
/// </summary>
public static class ContractCommands
{
    public static Command Create()
    {
        var date = new Option<string>("--date") { Required = true, Description = "Run date (YYYY-MM-DD): bills every period starting on or before it" };
        var company = new Option<Guid?>("--company") { Description = "Only this company (id)" };
        var bill = new Command("bill", "Create DRAFT sales invoices for contract periods due by the date (exactly once per line and period)")
            { date, company };
        bill.SetAction(async (parse, ct) => await Commands.WithDatabase(parse, async db =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var runDate))
                throw new ArgumentException($"--date must be YYYY-MM-DD, got '{parse.GetValue(date)}'");
            if (!ContractDates.InWindow(runDate)) throw new ArgumentException($"--date must be {ContractDates.WindowText}");
            var clock = TimeProvider.System;
            var billing = new ContractBilling(db, new InvoiceStore(db, new Ledger.PostingEngine(clock), clock), clock);
            var result = await billing.RunAsync(runDate, parse.GetValue(company), ct);
            Console.WriteLine($"billed {runDate:yyyy-MM-dd}: {result.InvoicesCreated} invoices created, {result.Failures.Count} failures, " +
                              (result.MoreRemaining
                                  ? $"{result.PeriodsRemaining} periods remain (at most {ContractBilling.MaxPeriodsPerLine} per line per run): run again"
                                  : "none remain"));
            foreach (var f in result.Failures)
                await Console.Error.WriteLineAsync($"failed\t{f.ContractId}\t{f.ContractLineId}\t{f.PeriodStart:yyyy-MM-dd}\t{f.Message}");
        }));
        return new Command("contracts", "Contract billing") { bill };
    }
}
