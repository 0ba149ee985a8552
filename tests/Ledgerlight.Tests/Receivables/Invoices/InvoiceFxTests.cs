using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Invoices;

/// <summary>A foreign-currency invoice paid at another rate than it was booked at realises the difference.</summary>
public class InvoiceFxTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_usd_invoice_in_a_eur_entity_paid_at_a_better_rate_books_a_realised_gain_and_the_trial_balance_stays_zero()
    {
        var tenant = await server.CreateTenantAsync("FX Receivables GmbH", "EUR");
        var api = tenant.Admin;
        var kit = new LedgerTestKit(api);
        var customer = (await api.PostAsync("/v1/customers", new { name = "US buyer", email = "ap@buyer.example" })).AssertOk()["id"]!.GetValue<string>();
        var product = (await api.PostAsync("/v1/products", new { name = "Export", pricings = new[] { new { currency = "USD", amount = 100_000 } } }))
            .AssertOk()["id"]!.GetValue<string>();
        // USD 1,000.00 booked at 0.80 (EUR 800.00); the stored ECB rate of 2026-03-05 is 1 EUR = 1.1618 USD (EUR 860.73).
        var invoice = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, currency = "USD", invoiceDate = "2026-03-02", areLinesWithTax = false, localCurrencyFxRate = 0.80m,
            groupCurrencyFxRate = 0.80m, lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk()["id"]!.GetValue<string>();
        (await api.PostAsync($"/v1/invoice-receivables/{invoice}/open")).AssertOk();
        Assert.Equal(80_000, await kit.Balance(1400, "2026-12-31"));

        // Paid in two parts at the 2026-03-05 rate: the receivable is cleared at its booked EUR 800.00, the bank gets EUR 860.73.
        (await api.PostAsync($"/v1/invoice-receivables/{invoice}/payments", new { paymentDate = "2026-03-05", amountInInvoiceCurrency = 30_000 })).AssertOk();
        var paid = (await api.PostAsync($"/v1/invoice-receivables/{invoice}/payments", new { paymentDate = "2026-03-05", amountInInvoiceCurrency = 70_000 }))
            .AssertOk();
        Assert.Equal("PAID", paid["state"]!.GetValue<string>());

        Assert.Equal(0, await kit.Balance(1400, "2026-12-31"));
        var gain = -await kit.Balance(7500, "2026-12-31");
        var bank = await kit.Balance(1200, "2026-12-31");
        Assert.InRange(bank, Convert(100_000) - 1, Convert(100_000) + 1);
        Assert.Equal(bank - 80_000, gain);
        Assert.True(gain > 0);
        Assert.Equal(0, (await kit.TrialBalance("2026-12-31"))["difference"]!.GetValue<long>());
    }

    /// <summary>USD cents into EUR cents at the stored rate of 2026-03-05 (1 EUR = 1.1618 USD), rounded half away from zero.</summary>
    static long Convert(long usdCents) => (long)decimal.Round(usdCents / 100m * (1m / 1.1618m) * 100m, 0, MidpointRounding.AwayFromZero);
}

/// <summary>A foreign-currency customer credit applied to an invoice booked at another rate realises the difference.</summary>
public class CustomerCreditFxTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_usd_credit_applied_to_a_usd_invoice_booked_at_another_rate_clears_the_receivable_and_the_trial_balance_stays_zero()
    {
        var tenant = await server.CreateTenantAsync("FX Credits GmbH", "EUR");
        var api = tenant.Admin;
        var kit = new LedgerTestKit(api);
        var customer = (await api.PostAsync("/v1/customers", new { name = "US buyer", email = "ap@buyer.example" })).AssertOk()["id"]!.GetValue<string>();
        var product = (await api.PostAsync("/v1/products", new { name = "Export", pricings = new[] { new { currency = "USD", amount = 100_000 } } }))
            .AssertOk()["id"]!.GetValue<string>();
        var invoice = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, currency = "USD", invoiceDate = "2026-03-02", areLinesWithTax = false, localCurrencyFxRate = 0.80m,
            groupCurrencyFxRate = 0.80m, lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk()["id"]!.GetValue<string>();
        (await api.PostAsync($"/v1/invoice-receivables/{invoice}/open")).AssertOk();
        // The credit is booked at the stored rate of its date (2026-03-05), not at the invoice's 0.80.
        var credit = (await api.PostAsync("/v1/customer-credits", new
        {
            customerId = customer, currency = "USD", documentDate = "2026-03-05", areLinesWithTax = false,
            lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk()["id"]!.GetValue<string>();
        (await api.PostAsync($"/v1/customer-credits/{credit}/post")).AssertOk();

        var link = (await api.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/link", new { })).AssertOk();
        Assert.Equal(100_000, link["amount"]!.GetValue<long>());
        Assert.Equal(0, await kit.Balance(1400, "2026-12-31"));
        Assert.NotEqual(0, await kit.Balance(7500, "2026-12-31") + await kit.Balance(7600, "2026-12-31"));
        Assert.Equal(0, (await kit.TrialBalance("2026-12-31"))["difference"]!.GetValue<long>());

        // Unlinking reverses the clearing, FX line included: the receivable is back to invoice minus credit.
        (await api.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/unlink")).AssertOk();
        Assert.Equal(0, await kit.Balance(7500, "2026-12-31") + await kit.Balance(7600, "2026-12-31"));
        Assert.Equal(0, (await kit.TrialBalance("2026-12-31"))["difference"]!.GetValue<long>());
    }
}
