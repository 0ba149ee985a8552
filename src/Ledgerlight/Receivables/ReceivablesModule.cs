using Ledgerlight.Receivables.Contracts;
using Ledgerlight.Receivables.CustomerCredits;
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.InvoiceDocuments;
using Ledgerlight.Receivables.Invoices;
using Ledgerlight.Receivables.Products;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Receivables;

/// <summary>
/// The receivables area as one module: its stores, job handlers and the contract billing scheduler, and every receivables
/// endpoint. The e-mail transport (SmtpSettings, IEmailSender) depends on the server's options and stays with the host.
/// </summary>
public static class ReceivablesModule
{
    public static IServiceCollection AddReceivables(this IServiceCollection services)
    {
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<ProductStore>();
        services.AddSingleton<InvoiceStore>();
        services.AddSingleton<InvoiceDocumentStore>();
        services.AddSingleton<IJobHandler, InvoiceEmailJobHandler>();
        services.AddSingleton<IJobHandler, CustomerCreditEmailJobHandler>();
        services.AddSingleton<ContractStore>();
        services.AddSingleton<ContractBilling>();
        services.AddSingleton<IJobHandler, ContractBillingJobHandler>();
        services.AddHostedService<ContractBillingScheduler>();
        services.AddSingleton<CustomerCreditStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapReceivables(this IEndpointRouteBuilder app)
    {
        app.MapCustomerApi();
        app.MapProductApi();
        app.MapInvoiceApi();
        app.MapInvoiceDocumentApi();
        app.MapContractApi();
        app.MapCustomerCreditApi();
        return app;
    }
}
