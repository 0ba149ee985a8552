using Ledgerlight.Documents.Kernel;
using System.Text.Json.Nodes;
using Ledgerlight.Receivables.Invoices;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Invoices;

public class InvoiceTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    static async Task<string> Customer(ApiClient client, string name = "Invoice Customer") =>
        Id((await client.PostAsync("/v1/customers", new { name, email = "ap@customer.example" })).AssertOk());

    static async Task<string> Product(ApiClient client, long price, string currency = "USD", string? taxId = null, string? accountId = null) =>
        Id((await client.PostAsync("/v1/products", new
        {
            name = $"Product {price}", pricings = new[] { new { currency, amount = price } }, defaultTaxId = taxId, defaultLedgerAccountId = accountId,
        })).AssertOk());

    static async Task<string> TaxCode(ApiClient client, string code) =>
        (await client.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(t => t!["code"]!.GetValue<string>() == code)!["id"]!.GetValue<string>();

    static async Task<JsonArray> LedgerLines(ApiClient client, string documentId) =>
        (await client.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{documentId}&limit=50")).AssertOk()["records"]!.AsArray();

    static (int Code, string Dc, long Amount)[] Summary(JsonArray lines) => lines
        .Select(l => (l!["accountCode"]!.GetValue<int>(), l["amounts"]!["dcSign"]!.GetValue<string>(), l["amounts"]!["transactionAmount"]!.GetValue<long>()))
        .OrderBy(x => x.Item2).ThenBy(x => x.Item1).ThenBy(x => x.Item3).ToArray();

    [Fact]
    public async Task Crm_flow_from_the_overview_seed_posts_exactly_the_expected_lines()
    {
        var tenant = await server.CreateTenantAsync("CRM Flow Co", "USD");
        var api = tenant.Admin;
        var standard = await TaxCode(api, "STANDARD");
        var product = await Product(api, 10_000, taxId: standard);
        // 1-2. the CRM records the customer (or finds it)
        var customer = await Customer(api, "Deal Closed Inc");
        Assert.Single((await api.GetAsync("/v1/customers?searchTerm=Deal Closed")).AssertOk()["records"]!.AsArray());
        // 3. the invoice with its lines, through the seed's path
        var invoice = (await api.PostAsync("/v1/invoices", new
        {
            customerId = customer, invoiceDate = "2026-03-02", netTerms = 30, areLinesWithTax = false, description = "Deal #42",
            lines = new object[] { new { productId = product, quantity = 2 }, new { productId = product, quantity = 1, priceOverwrite = 5_000, taxCodeId = (string?)null } },
        })).AssertOk();
        Assert.Equal("DRAFT", invoice["state"]!.GetValue<string>());
        Assert.Equal("USD", invoice["currency"]!.GetValue<string>());
        // The product list can be narrowed to the products on this invoice.
        var onInvoice = (await api.GetAsync($"/v1/products?filter=invoiceReceivableId:eq:{invoice["id"]}")).AssertOk()["records"]!.AsArray();
        Assert.Equal([product], onInvoice.Select(p => p!["id"]!.GetValue<string>()));
        Assert.Empty((await api.GetAsync($"/v1/products?filter=invoiceReceivableId:eq:{Guid.NewGuid()}")).AssertOk()["records"]!.AsArray());
        Assert.Equal(tenant.EntityId.ToString(), invoice["companyEntityId"]!.GetValue<string>());
        Assert.Equal("2026-04-01", invoice["dueDate"]!.GetValue<string>());
        // 20,000 net + 4,000 tax, and 5,000 net + 1,000 tax (product's default STANDARD 20%)
        Assert.Equal(30_000, invoice["amount"]!.GetValue<long>());
        Assert.Null(invoice["invoiceNumber"]);
        // 4. open: numbered, locked, posted
        var opened = (await api.PostAsync($"/v1/invoices/{Id(invoice)}/open")).AssertOk();
        Assert.Equal("OPEN", opened["state"]!.GetValue<string>());
        Assert.Equal("1", opened["invoiceNumber"]!.GetValue<string>());
        Assert.NotNull(opened["openedAt"]);
        Assert.Equal("2026-03-02", opened["postingDate"]!.GetValue<string>());

        var lines = await LedgerLines(api, Id(invoice));
        Assert.Equal(new[] { (1400, "D", 30_000L), (2100, "C", 1_000L), (2100, "C", 4_000L), (4000, "C", 5_000L), (4000, "C", 20_000L) }.OrderBy(x => x.Item2).ThenBy(x => x.Item1).ThenBy(x => x.Item3),
            Summary(lines));
        Assert.All(lines, l => Assert.Equal("AR", l!["documentType"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.Equal(customer, l!["businessPartnerId"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.Equal("1", l!["accountingDocumentNumber"]!.GetValue<string>()));
        Assert.Equal(30_000, await new LedgerTestKit(api).Balance(1400, "2026-12-31"));

        // locked: edits are 409 naming the state, via either path
        var edit = (await api.SendAsync(HttpMethod.Patch, $"/v1/invoice-receivables/{Id(invoice)}", new { description = "late" })).AssertError(409, "CONFLICT");
        Assert.Contains("OPEN", edit["message"]!.GetValue<string>());
        (await api.PostAsync($"/v1/invoices/{Id(invoice)}/lines", new { productId = product })).AssertError(409, "CONFLICT");
        var line = opened["lines"]![0]!["id"]!.GetValue<string>();
        (await api.SendAsync(HttpMethod.Delete, $"/v1/invoices/{Id(invoice)}/lines/{line}")).AssertError(409, "CONFLICT");
        (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{Id(invoice)}/lines/{line}", new { quantity = 3 })).AssertError(409, "CONFLICT");
        Assert.Contains("OPEN", (await api.PostAsync($"/v1/invoices/{Id(invoice)}/open")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rounding_fractional_quantity_percentage_discount_and_jpy()
    {
        var api = server.Admin;
        var reduced = await TaxCode(api, "REDUCED");
        var customer = await Customer(api);
        var usd = await Product(api, 333);
        var jpy = await Product(api, 333, "JPY");
        var invoice = (await api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, areLinesWithTax = false,
            lines = new object[]
            {
                // 333 × 1.5 = 499.5 → 500; 10% tax = 50
                new { productId = usd, quantity = 1.5m, taxCodeId = reduced },
                // 333 × 1 = 333; 12.5% off = 41.625 → 42; net 291; tax 29.1 → 29
                new { productId = usd, quantity = 1, discount = new { type = "PERCENTAGE", value = 12.5m }, taxCodeId = reduced },
                // 0.005 × 100 = 0.5 → 1 (half away from zero at the smallest edge)
                new { productId = usd, quantity = 0.005m, priceOverwrite = 100 },
                // fixed discount
                new { productId = usd, quantity = 3, discount = new { type = "AMOUNT", value = 99 } },
            },
        })).AssertOk();
        var lines = invoice["lines"]!.AsArray();
        var byQuantity = lines.ToDictionary(l => l!["quantity"]!.GetValue<decimal>() + (l["discount"] is null ? 0 : 100));
        Assert.Equal(500, byQuantity[1.5m]!["netAmount"]!.GetValue<long>());
        Assert.Equal(50, byQuantity[1.5m]!["taxAmount"]!.GetValue<long>());
        Assert.Equal(42, byQuantity[101m]!["discountAmount"]!.GetValue<long>());
        Assert.Equal(291, byQuantity[101m]!["netAmount"]!.GetValue<long>());
        Assert.Equal(29, byQuantity[101m]!["taxAmount"]!.GetValue<long>());
        Assert.Equal(1, byQuantity[0.005m]!["netAmount"]!.GetValue<long>());
        Assert.Equal(900, byQuantity[103m]!["netAmount"]!.GetValue<long>());
        Assert.Equal(500 + 50 + 291 + 29 + 1 + 900, invoice["amount"]!.GetValue<long>());

        // JPY has no minor unit: amounts are whole yen, rounded the same way.
        var yen = (await api.PostAsync("/v1/invoices", new
        {
            customerId = customer, currency = "JPY", areLinesWithTax = true,
            lines = new object[] { new { productId = jpy, quantity = 1.5m, taxCodeId = reduced } },
        })).AssertOk();
        // 499.5 → 500 yen gross incl. 10%: net 500/1.1 = 454.5 → 455, tax 45
        Assert.Equal(500, yen["amount"]!.GetValue<long>());
        Assert.Equal(455, yen["lines"]![0]!["netAmount"]!.GetValue<long>());
        Assert.Equal(45, yen["lines"]![0]!["taxAmount"]!.GetValue<long>());

        // switching the invoice to a currency the product has no price in reprices → 422 with the path, nothing changed
        var error = (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{Id(yen)}", new { currency = "EUR" })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("lines", error["errors"]![0]!["path"]![0]!.GetValue<string>());
        Assert.Equal("JPY", (await api.GetAsync($"/v1/invoices/{Id(yen)}")).AssertOk()["currency"]!.GetValue<string>());
    }

    [Fact]
    public void Line_math_at_the_edges()
    {
        Assert.Equal(new PricedLine(1, 1, 0, 1, 0, 1), LineMath.Price(1, 0.5m, null, 0, null, false));
        Assert.Equal(new PricedLine(1, 0, 0, 0, 0, 0), LineMath.Price(1, 0.49m, null, 0, null, false));
        // inclusive tax: net + tax = gross exactly
        var inclusive = LineMath.Price(999, 1, null, 19m, null, true);
        Assert.Equal(999, inclusive.NetAmount + inclusive.TaxAmount);
        Assert.Equal(160, inclusive.TaxAmount);
        // a 100% discount leaves nothing; an override on top of an empty line is refused
        Assert.Equal(0, LineMath.Price(500, 2, new LineDiscount("PERCENTAGE", 100), 20m, null, false).GrossAmount);
        Assert.Equal(422, Assert.Throws<Ledgerlight.Platform.ApiException>(() =>
            LineMath.Price(500, 2, new LineDiscount("PERCENTAGE", 100), 20m, 5, false)).Status);
        Assert.Equal(422, Assert.Throws<Ledgerlight.Platform.ApiException>(() =>
            LineMath.Price(500, 1, new LineDiscount("AMOUNT", 501), 0, null, false)).Status);
        Assert.Equal(7, LineMath.Price(100, 1, null, 20m, 7, false).TaxAmount);
        Assert.Equal(422, Assert.Throws<Ledgerlight.Platform.ApiException>(() => LineMath.Price(long.MaxValue, 2, null, 0, null, false)).Status);
        Assert.Equal(-3, LineMath.RoundToMinor(-2.5m));
    }

    [Fact]
    public async Task Concurrent_opens_take_gap_free_numbers_from_the_entity_seed()
    {
        var tenant = await server.CreateTenantAsync("Numbering Co", "USD");
        await using (var conn = await server.Db.OpenConnectionAsync())
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = $"UPDATE company_entities SET seed_invoice_number = 1000 WHERE company_id = '{tenant.CompanyId}'";
            await cmd.ExecuteNonQueryAsync();
        }
        var api = tenant.Admin;
        var customer = await Customer(api);
        var product = await Product(api, 1_000);
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
            ids.Add(Id((await api.PostAsync("/v1/invoices", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk()));
        // every invoice opened twice at once: one wins, one gets 409
        var results = await Task.WhenAll(ids.Concat(ids).Select(id => api.PostAsync($"/v1/invoices/{id}/open")));
        Assert.Equal(8, results.Count(r => r.Code == 200));
        Assert.Equal(8, results.Count(r => r.Code == 409));
        var numbers = results.Where(r => r.Code == 200).Select(r => long.Parse(r.Json["invoiceNumber"]!.GetValue<string>())).Order().ToList();
        Assert.Equal(Enumerable.Range(1000, 8).Select(n => (long)n), numbers);
    }

    [Fact]
    public async Task Payments_to_paid_overpayment_refused_and_listed()
    {
        var tenant = await server.CreateTenantAsync("Payments Co", "USD");
        var api = tenant.Admin;
        var kit = new LedgerTestKit(api);
        var invoice = Id((await api.PostAsync("/v1/invoices", new
        {
            customerId = await Customer(api), invoiceDate = "2026-01-10", lines = new[] { new { productId = await Product(api, 10_000) } },
        })).AssertOk());
        (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-01-20", amountInInvoiceCurrency = 1 }))
            .AssertError(409, "CONFLICT");
        (await api.PostAsync($"/v1/invoices/{invoice}/open")).AssertOk();

        var bank = Id((await api.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = tenant.EntityId, name = "Receipts", bankProvider = "OTHER", currency = "USD", bankCountry = "US", ledgerAccount = new { code = 120_100 },
        })).AssertOk());
        var partial = (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-01-20", bankAccountId = bank, amountInInvoiceCurrency = 4_000 })).AssertOk();
        Assert.Equal("PARTIALLY_PAID", partial["state"]!.GetValue<string>());
        var over = (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-01-21", amountInInvoiceCurrency = 6_001 }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("amountInInvoiceCurrency", over["errors"]![0]!["path"]![0]!.GetValue<string>());
        (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-01-21", amountInInvoiceCurrency = 0 })).AssertError(400, "BAD_REQUEST");
        (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-01-21", amountInInvoiceCurrency = 5, bankAccountId = Guid.NewGuid() }))
            .AssertError(400, "BAD_REQUEST");
        var paid = (await api.PostAsync($"/v1/invoice-receivables/{invoice}/payments", new { paymentDate = "2026-01-22", amountInInvoiceCurrency = 6_000 })).AssertOk();
        Assert.Equal("PAID", paid["state"]!.GetValue<string>());
        (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-01-23", amountInInvoiceCurrency = 1 })).AssertError(409, "CONFLICT");

        var payments = (await api.GetAsync($"/v1/invoices/{invoice}/payments")).AssertOk().AsArray();
        Assert.Equal(new long[] { 4_000, 6_000 }, payments.Select(p => p!["amount"]!.GetValue<long>()));
        var first = Summary(await LedgerLines(api, Id(payments[0]!)));
        Assert.Equal(new[] { (1400, "C", 4_000L), (120_100, "D", 4_000L) }, first);
        Assert.All(await LedgerLines(api, Id(payments[1]!)), l => Assert.Equal("BP", l!["documentType"]!.GetValue<string>()));
        Assert.Equal(0, await kit.Balance(1400, "2026-12-31"));
        Assert.Equal(6_000, await kit.Balance(1200, "2026-12-31"));

        foreach (var action in new[] { "reset", "archive" })
            Assert.Contains("PAID", (await api.PostAsync($"/v1/invoices/{invoice}/{action}")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_reverses_the_posting_restores_balances_and_reopening_keeps_the_number()
    {
        var tenant = await server.CreateTenantAsync("Reset Co", "USD");
        var api = tenant.Admin;
        var kit = new LedgerTestKit(api);
        var standard = await TaxCode(api, "STANDARD");
        var product = await Product(api, 12_000, taxId: standard);
        var invoice = Id((await api.PostAsync("/v1/invoices", new
        {
            customerId = await Customer(api), postingDate = "2026-02-01", lines = new[] { new { productId = product } },
        })).AssertOk());
        var opened = (await api.PostAsync($"/v1/invoices/{invoice}/open")).AssertOk();
        Assert.Equal(12_000, await kit.Balance(1400, "2026-12-31"));
        Assert.Equal(-2_000, await kit.Balance(2100, "2026-12-31"));

        var reset = (await api.PostAsync($"/v1/invoices/{invoice}/reset")).AssertOk();
        Assert.Equal("DRAFT", reset["state"]!.GetValue<string>());
        Assert.Equal(0, await kit.Balance(1400, "2026-12-31"));
        Assert.Equal(0, await kit.Balance(2100, "2026-12-31"));
        Assert.Equal(0, await kit.Balance(4000, "2026-12-31"));
        Assert.Equal(6, (await LedgerLines(api, invoice)).Count);
        Assert.Contains("DRAFT", (await api.PostAsync($"/v1/invoices/{invoice}/reset")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());

        // editable again; reopening posts the new amounts under the same number
        (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{invoice}/lines/{reset["lines"]![0]!["id"]}", new { quantity = 2 })).AssertOk();
        var again = (await api.PostAsync($"/v1/invoices/{invoice}/open")).AssertOk();
        Assert.Equal(opened["invoiceNumber"]!.GetValue<string>(), again["invoiceNumber"]!.GetValue<string>());
        Assert.Equal(24_000, await kit.Balance(1400, "2026-12-31"));

        // archive an open invoice: reversed too; unarchive brings a draft back; unarchiving a draft is Light's 400
        Assert.Equal("ARCHIVED", (await api.PostAsync($"/v1/invoices/{invoice}/archive")).AssertOk()["state"]!.GetValue<string>());
        Assert.Equal(0, await kit.Balance(1400, "2026-12-31"));
        Assert.Contains("ARCHIVED", (await api.PostAsync($"/v1/invoices/{invoice}/archive")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("ARCHIVED", (await api.PostAsync($"/v1/invoices/{invoice}/open")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("ARCHIVED", (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{invoice}", new { description = "x" }))
            .AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Equal("DRAFT", (await api.PostAsync($"/v1/invoices/{invoice}/unarchive")).AssertOk()["state"]!.GetValue<string>());
        Assert.Contains("DRAFT", (await api.PostAsync($"/v1/invoices/{invoice}/unarchive")).AssertError(400, "BAD_REQUEST")["message"]!.GetValue<string>());
        Assert.Contains("DRAFT", (await api.PostAsync($"/v1/invoices/{invoice}/payments", new { paymentDate = "2026-02-02", amountInInvoiceCurrency = 1 }))
            .AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_keeps_omitted_fields_clears_nulls_and_lines_edit_in_draft()
    {
        var api = server.Admin;
        var customer = await Customer(api);
        var product = await Product(api, 2_500);
        var invoice = (await api.PostAsync("/v1/invoices", new
        {
            customerId = customer, description = "Original", poNumber = "PO-1", reference = "REF", paymentType = "BANK_TRANSFER",
            lines = new[] { new { productId = product, quantity = 2 } },
        })).AssertOk();
        var patched = (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{Id(invoice)}",
            new Dictionary<string, object?> { ["description"] = "Changed", ["poNumber"] = null, ["invoiceNumber"] = "INV-CUSTOM-1" })).AssertOk();
        Assert.Equal("Changed", patched["description"]!.GetValue<string>());
        Assert.Null(patched["poNumber"]);
        Assert.Equal("REF", patched["reference"]!.GetValue<string>());
        Assert.Equal("BANK_TRANSFER", patched["paymentType"]!.GetValue<string>());
        Assert.Equal(customer, patched["customerId"]!.GetValue<string>());
        (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{Id(invoice)}", new Dictionary<string, object?> { ["currency"] = null }))
            .AssertError(400, "BAD_REQUEST");

        var line = (await api.PostAsync($"/v1/invoices/{Id(invoice)}/lines", new { productId = product, quantity = 1, productNameOverwrite = "Extra" })).AssertOk();
        Assert.Equal(Id(invoice), line["invoiceReceivableId"]!.GetValue<string>());
        Assert.Equal(7_500, (await api.GetAsync($"/v1/invoices/{Id(invoice)}")).AssertOk()["amount"]!.GetValue<long>());
        var changed = (await api.SendAsync(HttpMethod.Patch, $"/v1/invoices/{Id(invoice)}/lines/{Id(line)}",
            new Dictionary<string, object?> { ["priceOverwrite"] = 100, ["productNameOverwrite"] = null })).AssertOk();
        Assert.Equal(100, changed["netAmount"]!.GetValue<long>());
        Assert.Null(changed["productNameOverwrite"]);
        Assert.Equal(5_100, (await api.GetAsync($"/v1/invoices/{Id(invoice)}")).AssertOk()["amount"]!.GetValue<long>());
        Assert.Equal(200, (await api.SendAsync(HttpMethod.Delete, $"/v1/invoices/{Id(invoice)}/lines/{Id(line)}")).Code);
        Assert.Equal(5_000, (await api.GetAsync($"/v1/invoices/{Id(invoice)}")).AssertOk()["amount"]!.GetValue<long>());
        (await api.SendAsync(HttpMethod.Delete, $"/v1/invoices/{Id(invoice)}/lines/{Id(line)}")).AssertError(404, "NOT_FOUND");

        // custom number kept at opening; a second invoice cannot take it
        Assert.Equal("INV-CUSTOM-1", (await api.PostAsync($"/v1/invoices/{Id(invoice)}/open")).AssertOk()["invoiceNumber"]!.GetValue<string>());
        (await api.PostAsync("/v1/invoices", new { customerId = customer, invoiceNumber = "INV-CUSTOM-1" })).AssertError(409, "CONFLICT");

        // list: filters and sorts from the spec
        var list = (await api.GetAsync($"/v1/invoice-receivables?filter=customerId:eq:{customer},state:eq:OPEN&sort=invoiceNumber:asc")).AssertOk();
        Assert.Equal(Id(invoice), Id(list["records"]![0]!));
        Assert.Null(list["records"]![0]!["lines"]);
        (await api.GetAsync("/v1/invoices?sort=customer:desc,amount:asc&cursor=0&limit=2")).AssertOk();
        (await api.GetAsync("/v1/invoices?filter=documentStatus:eq:POSTED,effectiveInvoiceDate:gte:2020-01-01")).AssertOk();
        (await api.GetAsync("/v1/invoices?filter=poNumber:eq:x")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Business_rules_bad_input_roles_and_tenancy_write_nothing_on_failure()
    {
        var api = server.Admin;
        var customer = await Customer(api);
        var product = await Product(api, 1_000);
        var before = (await api.GetAsync("/v1/invoices?limit=1")).AssertOk()["total"]!.GetValue<long>();

        // archived customer → 422 with the path
        var archived = await Customer(api, "Gone Customer");
        (await api.PostAsync($"/v1/customers/{archived}/archive")).AssertOk();
        var error = (await api.PostAsync("/v1/invoices", new { customerId = archived })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("customerId", error["errors"]![0]!["path"]![0]!.GetValue<string>());

        // product without a price in the currency, archived product → 422 at the line's path
        var eurOnly = await Product(api, 500, "EUR");
        var unpriced = (await api.PostAsync("/v1/invoices", new { customerId = customer, lines = new object[] { new { productId = product }, new { productId = eurOnly } } }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal(new object[] { "lines", 1, "productId" }.Select(x => x.ToString()), unpriced["errors"]![0]!["path"]!.AsArray().Select(x => x!.ToString()));
        var retired = await Product(api, 700);
        (await api.PostAsync($"/v1/products/{retired}/archive")).AssertOk();
        (await api.PostAsync("/v1/invoices", new { customerId = customer, lines = new[] { new { productId = retired } } })).AssertError(422, "UNPROCESSABLE_CONTENT");

        // bad input: every field with its path
        var bad = (await api.PostAsync("/v1/invoices", new
        {
            currency = "XXY", paymentType = "CASH",
            lines = new object[] { new { quantity = -1, discount = new { type = "PERCENTAGE", value = 150 }, taxAmountOverwrite = -5 } },
        })).AssertError(400, "BAD_REQUEST");
        var paths = bad["errors"]!.AsArray().Select(e => string.Join('.', e!["path"]!.AsArray().Select(p => p!.ToString()))).ToHashSet();
        Assert.Superset(new HashSet<string> { "currency", "paymentType", "lines.0.productId", "lines.0.quantity", "lines.0.discount.value", "lines.0.taxAmountOverwrite" }, paths);
        (await api.PostAsync("/v1/invoices", new { customerId = "not-a-uuid" })).AssertError(400, "BAD_REQUEST");
        (await api.PostAsync("/v1/invoices", new { customerId = Guid.NewGuid() })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(before, (await api.GetAsync("/v1/invoices?limit=1")).AssertOk()["total"]!.GetValue<long>());

        // open needs a customer and lines (422); nothing posted, still a draft without a number
        var empty = Id((await api.PostAsync("/v1/invoices", new { description = "empty" })).AssertOk());
        var incomplete = (await api.PostAsync($"/v1/invoices/{empty}/open")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains(incomplete["errors"]!.AsArray(), e => e!["path"]![0]!.GetValue<string>() == "customerId");
        Assert.Contains(incomplete["errors"]!.AsArray(), e => e!["path"]![0]!.GetValue<string>() == "lines");
        var still = (await api.GetAsync($"/v1/invoices/{empty}")).AssertOk();
        Assert.Equal("DRAFT", still["state"]!.GetValue<string>());
        Assert.Null(still["invoiceNumber"]);
        Assert.Empty(await LedgerLines(api, empty));
        // a customer archived after the draft was made blocks the opening
        var later = await Customer(api, "Archived Later");
        var draft = Id((await api.PostAsync("/v1/invoices", new { customerId = later, lines = new[] { new { productId = product } } })).AssertOk());
        (await api.PostAsync($"/v1/customers/{later}/archive")).AssertOk();
        (await api.PostAsync($"/v1/invoices/{draft}/open")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Empty(await LedgerLines(api, draft));
        // e-mail on opening needs someone to send to: refused before anything changes
        (await api.PostAsync($"/v1/invoices/{draft}/open", new { shouldSendEmail = true })).AssertError(422, "UNPROCESSABLE_CONTENT");

        // roles and tenancy
        var mine = Id((await api.PostAsync("/v1/invoices", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());
        (await server.Viewer.GetAsync($"/v1/invoices/{mine}")).AssertOk();
        (await server.Viewer.GetAsync($"/v1/invoices/{mine}/payments")).AssertOk();
        (await server.Viewer.PostAsync("/v1/invoices", new { customerId = customer })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PostAsync($"/v1/invoice-receivables/{mine}/open")).AssertError(403, "FORBIDDEN");
        var other = await server.CreateTenantAsync("Other Invoices Co", "USD");
        (await other.Admin.GetAsync($"/v1/invoices/{mine}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/invoices/{mine}/open")).AssertError(404, "NOT_FOUND");
        (await other.Admin.GetAsync($"/v1/invoices/{mine}/payments")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync("/v1/invoices", new { customerId = customer })).AssertError(400, "BAD_REQUEST");
        (await other.Admin.PostAsync("/v1/invoices", new { customerId = await Customer(other.Admin), lines = new[] { new { productId = product } } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.DoesNotContain((await other.Admin.GetAsync("/v1/invoices")).AssertOk()["records"]!.AsArray(), r => Id(r!) == mine);
        (await api.GetAsync("/v1/invoices/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/invoices/{mine}")).AssertOk()["state"]!.GetValue<string>());
    }
}
