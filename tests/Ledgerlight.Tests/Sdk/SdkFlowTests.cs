using Ledgerlight.Client;
using Ledgerlight.Client.Generated.Models;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Xunit;

namespace Ledgerlight.Tests.Sdk;

/// <summary>
/// The SDK against a live server through the three integrations Light's API overview describes:
/// procurement → AP, CRM → invoicing, and a reporting dashboard. Only the SDK's typed API is used.
/// </summary>
public class SdkFlowTests(ApiServer server) : IClassFixture<ApiServer>
{
    LedgerlightClient Client(string apiKey) => new(server.BaseAddress.ToString(), apiKey);

    static long Debits(IEnumerable<ExternalLedgerTransactionLineV1Model> lines) =>
        lines.Where(l => l.Amounts?.Debit == true).Sum(l => l.Amounts!.TransactionAmount ?? 0);

    static long Credits(IEnumerable<ExternalLedgerTransactionLineV1Model> lines) =>
        lines.Where(l => l.Amounts?.Credit == true).Sum(l => l.Amounts!.TransactionAmount ?? 0);

    [Fact]
    public async Task Procurement_to_AP_creates_a_vendor_and_a_bill_with_lines_then_approves_and_pays_it()
    {
        using var client = Client(server.Company.AdminKey);
        var vendor = await client.V1.Vendors.PostAsync(new ExternalCreateVendorRequestV1Model { Name = "Paper Supplies Ltd", Currency = "USD" });
        Assert.NotNull(vendor?.VendorId);

        var bill = await client.V1.InvoicePayables.PostAsync(new ExternalCreateInvoicePayableRequestV1Model
        {
            VendorId = vendor.VendorId, Currency = "USD", InvoiceNumber = "PS-1001", IssuedDate = new Date(2026, 3, 2),
        });
        Assert.Equal(ExternalInvoicePayableV1Model_state.IN_DRAFT, bill!.State);
        var id = bill.Id!.Value;
        await client.V1.InvoicePayables[id].LineItems.PostAsync(new ExternalCreateInvoicePayableLineItemRequestV1Model { NetAmount = 80_000, Description = "Copier paper" });
        await client.V1.InvoicePayables[id].LineItems.PostAsync(new ExternalCreateInvoicePayableLineItemRequestV1Model { NetAmount = 40_000, Description = "Toner" });

        var approved = await client.V1.InvoicePayables[id].Approve.PostAsync(new ExternalApproveInvoicePayableRequestV1Model { Note = "matches PO" });
        Assert.Equal(ExternalInvoicePayableV1Model_state.UNPAID, approved!.State);
        Assert.Equal(120_000, approved.Amount);
        Assert.Equal(120_000, approved.OutstandingBalance);

        var paid = await client.V1.InvoicePayables[id].MarkAsPaid.PostAsync(new ExternalMarkInvoicePayableAsPaidRequestV1Model
        {
            PaymentOption = ExternalMarkInvoicePayableAsPaidRequestV1Model_paymentOption.FULL,
        });
        Assert.Equal(ExternalInvoicePayableV1Model_state.PAID, paid!.State);
        Assert.Equal(0, paid.OutstandingBalance);

        // The approved bill is in the ledger, balanced: 1,200.00 debited to expense, credited to AP.
        var billLines = await client.ListAllAsync<ExternalLedgerTransactionLineV1Model>(async (cursor, ct) =>
            await client.V1.LedgerTransactionLines.GetAsync(r => { r.QueryParameters.Cursor = cursor; r.QueryParameters.Filter = $"accDocId:eq:{id}"; }, ct))
            .ToListAsync();
        Assert.Equal((120_000L, 120_000L), (Debits(billLines), Credits(billLines)));
    }

    [Fact]
    public async Task CRM_to_invoicing_creates_a_customer_product_and_invoice_then_opens_and_sends_it()
    {
        using var client = Client(server.Company.AdminKey);
        var customer = await client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "Northwind Traders", Email = "ap@northwind.example" });
        var product = await client.V1.Products.PostAsync(new ExternalCreateProductRequestV1Model
        {
            Name = "Consulting hour", Pricings = [new ExternalProductPricingV1Model { Currency = "USD", Amount = 12_550 }],
        });

        var invoice = await client.V1.InvoiceReceivables.PostAsync(new ExternalCreateInvoiceReceivableRequestV1Model
        {
            CustomerId = customer!.Id, Currency = "USD", InvoiceDate = new Date(2026, 3, 2), NetTerms = 30, Description = "March work",
        });
        Assert.Equal(ExternalInvoiceReceivableV1Model_state.DRAFT, invoice!.State);
        var id = invoice.Id!.Value;
        await client.V1.InvoiceReceivables[id].Lines.PostAsync(new ExternalCreateInvoiceReceivableLineRequestV1Model { ProductId = product!.Id, Quantity = 2 });

        var opened = await client.V1.InvoiceReceivables[id].Open.PostAsync(new ExternalInitInvoiceReceivableOpenRequestV1Model { ShouldSendEmail = false });
        Assert.Equal(ExternalInvoiceReceivableV1Model_state.OPEN, opened!.State);
        Assert.False(string.IsNullOrEmpty(opened.InvoiceNumber));
        Assert.Equal(25_100, opened.Amount); // 2 × 125.50, no tax code

        // Light documents no response body for send-email, so the generated call hands back the raw stream.
        await using (var sent = await client.V1.InvoiceReceivables[id].SendEmail.PostAsync(new ExternalInvoiceReceivableEmailInfoRequestV1Model
        {
            Recipients = ["ap@northwind.example"],
        })) { }

        var listed = await client.ListAllAsync<ExternalInvoiceReceivableV1Model>(async (cursor, ct) =>
            await client.V1.InvoiceReceivables.GetAsync(r => { r.QueryParameters.Cursor = cursor; r.QueryParameters.Filter = $"customerId:eq:{customer.Id}"; }, ct))
            .ToListAsync();
        Assert.Equal(opened.InvoiceNumber, Assert.Single(listed).InvoiceNumber);
    }

    [Fact]
    public async Task Reporting_dashboard_pages_through_everything_and_the_trial_balance_agrees_with_the_lines()
    {
        var tenant = await server.CreateTenantAsync("Dashboard Co", "USD"); // its own company: the counts below are exact
        using var client = Client(tenant.AdminKey);
        for (var i = 0; i < 7; i++)
        {
            var vendor = await client.V1.Vendors.PostAsync(new ExternalCreateVendorRequestV1Model { Name = $"Vendor {i:00}", Currency = "USD" });
            var bill = await client.V1.InvoicePayables.PostAsync(new ExternalCreateInvoicePayableRequestV1Model { VendorId = vendor!.VendorId, Currency = "USD" });
            await client.V1.InvoicePayables[bill!.Id!.Value].LineItems.PostAsync(new ExternalCreateInvoicePayableLineItemRequestV1Model { NetAmount = 1_000 * (i + 1) });
            await client.V1.InvoicePayables[bill.Id.Value].PostPath.PostAsync();
        }

        // Pages of 2 force four round trips for seven vendors.
        var vendors = await client.ListAllAsync<ExternalVendorV1Model>(async (cursor, ct) =>
            await client.V1.Vendors.GetAsync(r => { r.QueryParameters.Cursor = cursor; r.QueryParameters.Limit = 2; r.QueryParameters.Sort = "name:asc"; }, ct))
            .ToListAsync();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"Vendor {i:00}"), vendors.Select(v => v.Name));

        var accounts = await client.ListAllAsync<ExternalLedgerAccountV1Model>(async (cursor, ct) =>
            await client.V1.LedgerAccounts.GetAsync(r => { r.QueryParameters.Cursor = cursor; r.QueryParameters.Limit = 5; }, ct)).ToListAsync();
        Assert.True(accounts.Count > 5);
        Assert.Equal(accounts.Count, accounts.Select(a => a.Id).Distinct().Count());

        var lines = await client.ListAllAsync<ExternalLedgerTransactionLineV1Model>(async (cursor, ct) =>
            await client.V1.LedgerTransactionLines.GetAsync(r => { r.QueryParameters.Cursor = cursor; r.QueryParameters.Limit = 3; }, ct)).ToListAsync();
        var debits = Debits(lines);
        Assert.Equal(28_000, debits); // 1,000 + 2,000 + ... + 7,000
        Assert.Equal(debits, Credits(lines));

        var trialBalance = await client.V1.Reports.TrialBalance.GetAsync(r => r.QueryParameters.AsOf = new Date(DateTime.UtcNow.AddDays(1)));
        Assert.Equal(0, trialBalance!.Difference);
        Assert.Equal(debits, trialBalance.TotalDebit);
        Assert.Equal(trialBalance.TotalDebit, trialBalance.TotalCredit);
        var balanceSheet = await client.V1.Reports.BalanceSheet.GetAsync(r => r.QueryParameters.AsOf = new Date(DateTime.UtcNow.AddDays(1)));
        Assert.True(balanceSheet!.Balanced);
        Assert.Equal(-28_000, balanceSheet.CurrentResult); // seven bills of expense, nothing earned
    }

    /// <summary>
    /// The server ran the write but its answer was lost (here: replaced by a 503 on the way back).
    /// The SDK retries with the same idempotency key, the server replays its first answer, and the
    /// customer exists once.
    /// </summary>
    [Fact]
    public async Task A_write_whose_answer_was_lost_is_retried_with_its_key_and_runs_once()
    {
        var lossy = new LoseFirstAnswer { InnerHandler = new SocketsHttpHandler() };
        using var client = new LedgerlightClient(new LedgerlightClientOptions
        {
            BaseUrl = server.BaseAddress, Credentials = LedgerlightCredentials.ApiKey(server.Company.AdminKey), PrimaryHandler = lossy,
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(50) },
        });

        var created = await client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "Lost Answer Co" });

        Assert.Equal(2, lossy.Sent);
        var matching = await client.ListAllAsync<ExternalCustomerV1Model>(async (cursor, ct) =>
            await client.V1.Customers.GetAsync(r => { r.QueryParameters.Cursor = cursor; r.QueryParameters.SearchTerm = "Lost Answer"; }, ct)).ToListAsync();
        Assert.Equal(created!.Id, Assert.Single(matching).Id);
    }

    sealed class LoseFirstAnswer : DelegatingHandler
    {
        public int Sent;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref Sent) > 1) return response;
            response.Dispose();
            return new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
        }
    }

    [Fact]
    public async Task Errors_arrive_as_Light_error_envelopes()
    {
        using var client = Client(server.Company.AdminKey);
        var missing = await Assert.ThrowsAsync<LedgerlightError>(() => client.V1.Vendors[Guid.NewGuid()].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal("NOT_FOUND", missing.Type);

        using var viewer = Client("not-a-key");
        var refused = await Assert.ThrowsAsync<LedgerlightError>(() => viewer.V1.Vendors.GetAsync());
        Assert.Equal(401, refused.ResponseStatusCode);
    }
}
