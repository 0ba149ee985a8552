using System.Text.Json.Nodes;
using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Limits;

/// <summary>
/// Amounts at and beyond the documented maximum (10^15 minor units per money field) through every area that
/// takes money: refused with a 400 naming the field, never a 500; sums beyond int64 across documents are a 422
/// and nothing is written.
/// </summary>
public class AmountLimitTests(ApiServer server) : IClassFixture<ApiServer>
{
    const long TwoTo62 = 1L << 62;
    const long Max = Ledgerlight.Platform.Limits.MaxAmount;

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    static string PathOf(JsonNode error) => string.Join('.', error["path"]!.AsArray().Select(p => p!.ToString()));

    /// <summary>The 400 envelope names this field among its errors.</summary>
    static void AssertRefused(ApiResponse response, string path)
    {
        var json = response.AssertError(400, "BAD_REQUEST");
        Assert.Contains(path, json["errors"]!.AsArray().Select(e => PathOf(e!)));
    }

    async Task<int> Count(ApiClient api, string list) => (await api.GetAsync($"{list}?limit=200")).AssertOk()["records"]!.AsArray().Count;

    async Task<string> Vendor(ApiClient api) => (await api.PostAsync("/v1/vendors", new { name = "Limits Vendor" })).AssertOk()["vendorId"]!.GetValue<string>();

    [Fact]
    public async Task A_bill_with_two_lines_of_2_pow_62_or_amount_plus_tax_beyond_int64_is_a_400_and_no_bill()
    {
        var tenant = await server.CreateTenantAsync("Bill Limits Co", "USD");
        var api = tenant.Admin;
        var vendor = await Vendor(api);

        AssertRefused(await api.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD", lineItems = new[] { new { netAmount = TwoTo62 }, new { netAmount = TwoTo62 } },
        }), "lineItems.0.netAmount");
        AssertRefused(await api.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD", lineItems = new[] { new { netAmount = long.MaxValue, taxAmount = long.MaxValue } },
        }), "lineItems.0.taxAmount");
        AssertRefused(await api.PostAsync("/v1/invoice-payables", new { vendorId = vendor, currency = "USD", amount = Max + 1 }), "amount");
        Assert.Equal(0, await Count(api, "/v1/invoice-payables"));

        // Adding a line to an existing draft is held to the same bound.
        var bill = (await api.PostAsync("/v1/invoice-payables", new { vendorId = vendor, currency = "USD" })).AssertOk();
        AssertRefused(await api.PostAsync($"/v1/invoice-payables/{Id(bill)}/line-items", new { netAmount = 10, taxAmount = long.MaxValue }), "taxAmount");
    }

    [Fact]
    public async Task A_bill_at_the_maximum_on_every_field_posts_and_is_paid()
    {
        var tenant = await server.CreateTenantAsync("Bill Max Co", "USD");
        var api = tenant.Admin;
        var vendor = await Vendor(api);
        var bill = (await api.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "USD",
            lineItems = new[] { new { netAmount = Max, taxAmount = Max }, new { netAmount = Max, taxAmount = Max } },
        })).AssertOk();
        Assert.Equal(4 * Max, bill["amount"]!.GetValue<long>());
        var posted = (await api.PostAsync($"/v1/invoice-payables/{Id(bill)}/post")).AssertOk();
        Assert.Equal("UNPAID", posted["state"]!.GetValue<string>());
        AssertRefused(await api.PostAsync($"/v1/invoice-payables/{Id(bill)}/mark-as-paid", new { paymentOption = "PARTIAL", amount = Max + 1 }), "amount");
        Assert.Equal("PARTIALLY_PAID", (await api.PostAsync($"/v1/invoice-payables/{Id(bill)}/mark-as-paid",
            new { paymentOption = "PARTIAL", amount = Max })).AssertOk()["state"]!.GetValue<string>());
        var trial = await new LedgerTestKit(api).TrialBalance();
        Assert.Equal(0, trial["difference"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_bill_whose_conversion_leaves_int64_is_a_422_on_post_and_stays_a_draft()
    {
        var tenant = await server.CreateTenantAsync("Bill FX Co", "USD");
        var api = tenant.Admin;
        var vendor = await Vendor(api);
        // 10^15 EUR cents at 10^5 USD per EUR is 10^20 USD cents: beyond int64.
        var bill = (await api.PostAsync("/v1/invoice-payables", new
        {
            vendorId = vendor, currency = "EUR", localCurrencyFxRateOverride = 100_000m, groupCurrencyFxRateOverride = 100_000m,
            lineItems = new[] { new { netAmount = Max } },
        })).AssertOk();
        var refused = (await api.PostAsync($"/v1/invoice-payables/{Id(bill)}/post")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains("too large to convert", refused["message"]!.GetValue<string>());
        Assert.Equal("IN_DRAFT", (await api.GetAsync($"/v1/invoice-payables/{Id(bill)}")).AssertOk()["state"]!.GetValue<string>());
        Assert.Empty((await api.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{Id(bill)}")).AssertOk()["records"]!.AsArray());
    }

    [Fact]
    public async Task A_second_journal_entry_that_takes_a_daily_balance_beyond_int64_is_a_422_and_nothing_is_posted()
    {
        var tenant = await server.CreateTenantAsync("Journal Limits Co", "USD");
        var api = tenant.Admin;
        var kit = new LedgerTestKit(api);
        var (cash, equity) = (await kit.Account(1200), await kit.Account(3000));

        // The lines themselves are bounded: 2^62 is refused with the field's path.
        AssertRefused(await api.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-03-02", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(cash, TwoTo62, "D"), LedgerTestKit.Line(equity, TwoTo62, "C") },
        }), "lines.0.netTransactionAmount.amount");

        // At the maximum and a rate of 5,000, one entry books 5·10^18 local cents per side: it fits; the second one
        // on the same accounts and day would take the daily balance to 10^19, beyond bigint.
        object Entry() => new
        {
            postingDate = "2026-03-02", shouldPost = true, currency = "EUR", localCurrencyFxRateOverride = 5000m, groupCurrencyFxRateOverride = 5000m,
            lines = new[] { LedgerTestKit.Line(cash, Max, "D"), LedgerTestKit.Line(equity, Max, "C") },
        };
        (await api.PostAsync("/v1/journal-entries", Entry())).AssertOk();
        var before = (await kit.TrialBalance("2026-03-02")).ToJsonString();
        var linesBefore = await Count(api, "/v1/ledger-transaction-lines");

        var refused = (await api.PostAsync("/v1/journal-entries", Entry())).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains("daily balance", refused["message"]!.GetValue<string>());
        Assert.Equal(before, (await kit.TrialBalance("2026-03-02")).ToJsonString());
        Assert.Equal(linesBefore, await Count(api, "/v1/ledger-transaction-lines"));

        // A draft is kept apart from the ledger: posting it later is refused the same way, and it stays a draft.
        var draft = (await api.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-03-02", currency = "EUR", localCurrencyFxRateOverride = 5000m, groupCurrencyFxRateOverride = 5000m,
            lines = new[] { LedgerTestKit.Line(cash, Max, "D"), LedgerTestKit.Line(equity, Max, "C") },
        })).AssertOk();
        (await api.PostAsync($"/v1/journal-entries/{Id(draft)}/post")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/journal-entries/{Id(draft)}")).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credit_notes_and_purchase_orders_refuse_amounts_beyond_the_maximum()
    {
        var tenant = await server.CreateTenantAsync("Payables Limits Co", "USD");
        var api = tenant.Admin;
        var vendor = await Vendor(api);
        AssertRefused(await api.PostAsync("/v1/credit-notes", new
        {
            businessPartnerId = vendor, currency = "USD",
            lines = new[] { new { netTransactionAmount = new { amount = TwoTo62, dcSign = "C" } }, new { netTransactionAmount = new { amount = TwoTo62, dcSign = "C" } } },
        }), "lines.0.netTransactionAmount.amount");
        AssertRefused(await api.PostAsync("/v1/credit-notes", new
        {
            businessPartnerId = vendor, currency = "USD",
            lines = new[] { new { netTransactionAmount = new { amount = 100, dcSign = "C" }, taxTransactionAmount = new { amount = long.MaxValue, dcSign = "C" } } },
        }), "lines.0.taxTransactionAmount.amount");
        Assert.Equal(0, await Count(api, "/v1/credit-notes"));

        AssertRefused(await api.PostAsync("/v1/purchase-orders", new { vendorId = vendor, lines = new[] { new { unitPrice = TwoTo62, quantity = 1 } } }),
            "lines.0.unitPrice");
        // Within the maximum per field, but quantity × price beyond it.
        var po = await api.PostAsync("/v1/purchase-orders", new { vendorId = vendor, lines = new[] { new { unitPrice = Max, quantity = 2 } } });
        Assert.Contains("lines.0.quantity", po.AssertError(400, "BAD_REQUEST")["errors"]!.AsArray().Select(e => PathOf(e!)));
        Assert.Equal(0, await Count(api, "/v1/purchase-orders"));
    }

    [Fact]
    public async Task Receivables_refuse_prices_discounts_and_payments_beyond_the_maximum()
    {
        var tenant = await server.CreateTenantAsync("Receivables Limits Co", "USD");
        var api = tenant.Admin;
        AssertRefused(await api.PostAsync("/v1/products", new { name = "Too dear", pricings = new[] { new { currency = "USD", amount = TwoTo62 } } }),
            "pricings.0.amount");
        var product = Id((await api.PostAsync("/v1/products", new { name = "Dear", pricings = new[] { new { currency = "USD", amount = Max } } })).AssertOk());
        var customer = Id((await api.PostAsync("/v1/customers", new { name = "Limits Customer", email = "ap@customer.example" })).AssertOk());

        AssertRefused(await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, currency = "USD", lines = new[] { new { productId = product, priceOverwrite = TwoTo62 } },
        }), "lines.0.priceOverwrite");
        AssertRefused(await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, currency = "USD", lines = new[] { new { productId = product, taxAmountOverwrite = long.MaxValue } },
        }), "lines.0.taxAmountOverwrite");
        // Quantity is a decimal: 10^15 × 1.5 is beyond the maximum even though each input is within its own bound.
        var tooMany = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, currency = "USD", lines = new[] { new { productId = product, quantity = 1.5m } },
        })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("lines.0.quantity", PathOf(tooMany["errors"]![0]!));
        Assert.Equal(0, await Count(api, "/v1/invoice-receivables"));

        // At the maximum, with tax on top, the invoice is created, opened and paid in part.
        var invoice = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, currency = "USD", areLinesWithTax = false,
            lines = new[] { new { productId = product, taxAmountOverwrite = Max }, new { productId = product, taxAmountOverwrite = Max } },
        })).AssertOk();
        Assert.Equal(4 * Max, invoice["amount"]!.GetValue<long>());
        (await api.PostAsync($"/v1/invoice-receivables/{Id(invoice)}/open")).AssertOk();
        AssertRefused(await api.PostAsync($"/v1/invoice-receivables/{Id(invoice)}/payments",
            new { paymentDate = "2026-03-02", amountInInvoiceCurrency = Max + 1 }), "amountInInvoiceCurrency");

        AssertRefused(await api.PostAsync("/v1/customer-credits", new
        {
            customerId = customer, currency = "USD", areLinesWithTax = false,
            lines = new[] { new { productId = product, netTransactionAmount = new { amount = TwoTo62, dcSign = "D" } } },
        }), "lines.0.netTransactionAmount.amount");
        AssertRefused(await api.PostAsync("/v1/contracts", new
        {
            customerId = customer, estimatedAmount = Max + 1,
            lines = new object[] { new { productId = product, billingRecurrence = "MONTHLY", priceOverwrite = TwoTo62, discount = new { type = "AMOUNT", value = 1e20 } } },
        }), "lines.0.priceOverwrite");
        var contract = (await api.PostAsync("/v1/contracts", new
        {
            customerId = customer, lines = new object[] { new { productId = product, billingRecurrence = "MONTHLY", discount = new { type = "AMOUNT", value = 1e20 } } },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Contains("lines.0.discount.value", contract["errors"]!.AsArray().Select(e => PathOf(e!)));
    }
}
