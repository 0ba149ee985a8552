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
        services.AddSingleton<BillStore>();
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

    /// <summary>Every payables route; each path prefix is one route group, written once here.</summary>
    public static IEndpointRouteBuilder MapPayables(this IEndpointRouteBuilder app)
    {
        var vendors = app.MapGroup("/v1/vendors");
        var vendor = vendors.MapGroup("/{vendorId}");
        vendors.MapVendorApi(vendor);

        var orders = app.MapGroup("/v1/purchase-orders");
        orders.MapPurchaseOrderApi(orders.MapGroup("/{purchaseOrderId}"));

        var bills = app.MapGroup("/v1/invoice-payables");
        var bill = bills.MapGroup("/{invoicePayableId}");
        app.MapBillApi(bills, bill);
        bill.MapBillDocumentApi();
        bill.MapBillCustomPropertyApi();
        app.MapBillApprovalApi(vendor);

        var notes = app.MapGroup("/v1/credit-notes");
        notes.MapCreditNoteApi(notes.MapGroup("/{creditNoteId}"));
        return app;
    }
}
