using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.InvoicePayables;
using Ledgerlight.Payables.PurchaseOrders;
using Ledgerlight.Payables.Vendors;

namespace Ledgerlight.Payables;

/// <summary>The payables area as one module: its stores and every API it answers (vendors, purchase orders, bills, credit notes).</summary>
public static class PayablesModule
{
    public static IServiceCollection AddPayables(this IServiceCollection services)
    {
        services.AddSingleton<VendorStore>();
        services.AddSingleton<PurchaseOrderStore>();
        services.AddSingleton<PurchaseOrderLineStore>();
        services.AddSingleton<InvoicePayableStore>();
        services.AddSingleton<BillLineStore>();
        services.AddSingleton<BillApprovalStore>();
        services.AddSingleton<BillApprovalSettingsStore>();
        services.AddSingleton<BillPostingStore>();
        services.AddSingleton<BillPaymentStore>();
        services.AddSingleton<CreditNoteStore>();
        services.AddSingleton<CreditNoteLineStore>();
        services.AddSingleton<CreditNotePostingStore>();
        services.AddSingleton<CreditNoteLinkStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapPayables(this IEndpointRouteBuilder app)
    {
        app.MapVendorApi();
        app.MapPurchaseOrderApi();
        app.MapInvoicePayableApi();
        app.MapBillDocumentApi();
        app.MapBillCustomPropertyApi();
        CreditNoteApi.MapCreditNoteApi(app);
        return app;
    }
}
