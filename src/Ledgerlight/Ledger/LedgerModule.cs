using Ledgerlight.Ledger.Documents;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Ledger.Lines;
using Ledgerlight.Ledger.Reports;
using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Ledger;

/// <summary>The general ledger: accounts and chart, tax codes, the posting engine, journal entries, lines, documents and reports.</summary>
public static class LedgerModule
{
    public static IServiceCollection AddLedger(this IServiceCollection services) => services
        .AddSingleton<PostingEngine>()
        .AddSingleton<TaxCodeStore>()
        .AddSingleton<JournalEntryStore>()
        .AddSingleton<LedgerAccountChartStore>();

    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        app.MapLedgerAccountApi();
        app.MapLedgerAccountChartApi();
        app.MapTaxCodeApi();
        app.MapJournalEntryApi();
        app.MapLedgerLineApi();
        app.MapAccountingDocumentApi();
        app.MapReportApi();
        return app;
    }
}
