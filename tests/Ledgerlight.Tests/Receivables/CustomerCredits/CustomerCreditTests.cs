using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Receivables.CustomerCredits;

public class CustomerCreditTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    static async Task<string> Customer(ApiClient client, string name = "Credit Customer") =>
        Id((await client.PostAsync("/v1/customers", new { name, email = "ap@customer.example" })).AssertOk());

    static async Task<string> Product(ApiClient client, long price, string? taxId = null) =>
        Id((await client.PostAsync("/v1/products", new { name = $"Product {price}", pricings = new[] { new { currency = "USD", amount = price } }, defaultTaxId = taxId }))
            .AssertOk());

    static async Task<string> TaxCode(ApiClient client, string code) =>
        (await client.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(t => t!["code"]!.GetValue<string>() == code)!["id"]!.GetValue<string>();

    /// <summary>(document type, account code, D/C, amount) of every ledger line of a customer, sorted.</summary>
    static async Task<(string Type, int Code, string Dc, long Amount)[]> Lines(ApiClient client, string customer) =>
        (await client.GetAsync($"/v1/ledger-transaction-lines?filter=businessPartnerId:eq:{customer}&limit=200")).AssertOk()["records"]!.AsArray()
        .Select(l => (l!["documentType"]!.GetValue<string>(), l["accountCode"]!.GetValue<int>(), l["amounts"]!["dcSign"]!.GetValue<string>(),
            l["amounts"]!["transactionAmount"]!.GetValue<long>()))
        .OrderBy(x => x.Item1).ThenBy(x => x.Item2).ThenBy(x => x.Item3).ThenBy(x => x.Item4).ToArray();

    static (string, int, string, long)[] Sorted(params (string, int, string, long)[] lines) =>
        lines.OrderBy(x => x.Item1).ThenBy(x => x.Item2).ThenBy(x => x.Item3).ThenBy(x => x.Item4).ToArray();

    static async Task<string> OpenInvoice(ApiClient client, string customer, string product, int quantity)
    {
        var invoice = Id((await client.PostAsync("/v1/invoice-receivables", new
        {
            customerId = customer, invoiceDate = "2026-03-02", areLinesWithTax = false, lines = new[] { new { productId = product, quantity } },
        })).AssertOk());
        (await client.PostAsync($"/v1/invoice-receivables/{invoice}/open")).AssertOk();
        return invoice;
    }

    [Fact]
    public async Task Draft_lines_post_link_and_unlink_move_the_ledger_and_the_invoice()
    {
        var tenant = await server.CreateTenantAsync("Credits Co", "USD");
        var api = tenant.Admin;
        var standard = await TaxCode(api, "STANDARD");
        var product = await Product(api, 10_000, standard);
        var customer = await Customer(api);
        var invoice = await OpenInvoice(api, customer, product, 2); // 20,000 net + 4,000 tax = 24,000

        // draft with one line: 1 × 10,000 net + 2,000 tax (20%), lines exclusive of tax
        var credit = (await api.PostAsync("/v1/customer-credits", new
        {
            customerId = customer, documentDate = "2026-03-10", areLinesWithTax = false, description = "Returned goods",
            lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk();
        var id = Id(credit);
        Assert.Equal("DRAFT", credit["status"]!.GetValue<string>());
        Assert.Equal(12_000, credit["amount"]!.GetValue<long>());
        Assert.Equal("Credit Customer", credit["customerName"]!.GetValue<string>());
        var line = credit["lines"]![0]!;
        Assert.Equal(10_000, line["netTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal(2_000, line["taxTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal(standard, line["ledgerTaxId"]!.GetValue<string>());

        // lines: add (net amount given, rounded tax), change, delete; the total follows
        var extra = (await api.PostAsync($"/v1/customer-credits/{id}/lines", new { productId = product, netTransactionAmount = new { amount = 333, dcSign = "D" } }))
            .AssertOk();
        Assert.Equal(67, extra["taxTransactionAmount"]!["amount"]!.GetValue<long>()); // 66.6 → 67
        Assert.Equal(12_400, (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk()["amount"]!.GetValue<long>());
        var changed = (await api.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{id}/lines/{Id(extra)}", new { taxTransactionAmount = new { amount = 0 }, description = "fee" }))
            .AssertOk();
        Assert.Equal(0, changed["taxTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal("fee", changed["description"]!.GetValue<string>());
        (await api.SendAsync(HttpMethod.Delete, $"/v1/customer-credits/{id}/lines/{Id(extra)}")).AssertOk();

        // PATCH: null clears, omitted keeps
        var patched = (await api.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{id}", new { description = (string?)null })).AssertOk();
        Assert.Null(patched["description"]);
        Assert.Equal("2026-03-10", patched["documentDate"]!.GetValue<string>());
        Assert.Equal(12_000, patched["amount"]!.GetValue<long>());
        Assert.All(await Lines(api, customer), l => Assert.Equal("AR", l.Type));

        // post: Dr revenue 10,000, Dr output tax 2,000, Cr AR 12,000 (document type CN, customer as partner)
        var posted = (await api.PostAsync($"/v1/customer-credits/{id}/post")).AssertOk();
        Assert.Equal("POSTED", posted["status"]!.GetValue<string>());
        var invoiceLines = new[] { ("AR", 1400, "D", 24_000L), ("AR", 2100, "C", 4_000L), ("AR", 4000, "C", 20_000L) };
        var creditLines = new[] { ("CN", 1400, "C", 12_000L), ("CN", 2100, "D", 2_000L), ("CN", 4000, "D", 10_000L) };
        Assert.Equal(Sorted([.. invoiceLines, .. creditLines]), await Lines(api, customer));
        var kit = new LedgerTestKit(api);
        Assert.Equal(12_000, await kit.Balance(1400, "2026-12-31"));

        // posted: edits are 409 naming the state
        Assert.Contains("POSTED", (await api.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{id}", new { description = "x" })).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        (await api.PostAsync($"/v1/customer-credits/{id}/lines", new { productId = product })).AssertError(409, "CONFLICT");
        Assert.Contains("POSTED", (await api.PostAsync($"/v1/customer-credits/{id}/post")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());

        // over-application on the credit side: 422, nothing written
        var over = (await api.PostAsync($"/v1/customer-credits/{id}/invoice-receivables/{invoice}/link", new { amount = 12_001 })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("amount", over["errors"]![0]!["path"]![0]!.GetValue<string>());
        Assert.Equal("OPEN", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());
        Assert.Equal(Sorted([.. invoiceLines, .. creditLines]), await Lines(api, customer));

        // link 5,000 (the /link spelling): clearing Dr AR / Cr AR, invoice PARTIALLY_PAID, credit PARTIALLY_CLEARED
        var link = (await api.PostAsync($"/v1/customer-credits/{id}/invoice-receivables/{invoice}/link", new { amount = 5_000 })).AssertOk();
        Assert.Equal(5_000, link["amount"]!.GetValue<long>());
        Assert.Equal("PARTIALLY_CLEARED", link["invoiceReceivable"]!["status"]!.GetValue<string>());
        Assert.Equal("PARTIALLY_PAID", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());
        var afterLink = (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk();
        Assert.Equal("PARTIALLY_CLEARED", afterLink["status"]!.GetValue<string>());
        Assert.Equal(invoice, afterLink["linkedInvoiceReceivable"]!["id"]!.GetValue<string>());
        var clearing = new[] { ("CN", 1400, "C", 5_000L), ("CN", 1400, "D", 5_000L) };
        Assert.Equal(Sorted([.. invoiceLines, .. creditLines, .. clearing]), await Lines(api, customer));
        Assert.Equal(12_000, await kit.Balance(1400, "2026-12-31"));
        // linking again is a 409; archiving an applied credit is a 409
        (await api.PostAsync($"/v1/customer-credits/{id}/invoice-receivables/{invoice}", new { amount = 1 })).AssertError(409, "CONFLICT");
        (await api.PostAsync($"/v1/customer-credits/{id}/archive")).AssertError(409, "CONFLICT");

        // unlink (POST spelling): clearing reversed, invoice OPEN, credit POSTED
        (await api.PostAsync($"/v1/customer-credits/{id}/invoice-receivables/{invoice}/unlink")).AssertOk();
        Assert.Equal("OPEN", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());
        Assert.Equal("POSTED", (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk()["status"]!.GetValue<string>());
        Assert.Equal(Sorted([.. invoiceLines, .. creditLines, .. clearing, .. clearing]), await Lines(api, customer));

        // link without an amount (the short spelling): everything open on the credit, capped by the invoice → 12,000
        Assert.Equal(12_000, (await api.PostAsync($"/v1/customer-credits/{id}/invoice-receivables/{invoice}")).AssertOk()["amount"]!.GetValue<long>());
        Assert.Equal("CLEARED", (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk()["status"]!.GetValue<string>());
        var paid = (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk();
        Assert.Equal("PARTIALLY_PAID", paid["state"]!.GetValue<string>());
        // a payment of the rest makes the invoice PAID; the DELETE spelling of unlink brings it back to PARTIALLY_PAID
        (await api.PostAsync($"/v1/invoice-receivables/{invoice}/payments", new { paymentDate = "2026-03-20", amountInInvoiceCurrency = 12_000 })).AssertOk();
        Assert.Equal("PAID", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());
        (await api.SendAsync(HttpMethod.Delete, $"/v1/customer-credits/{id}/invoice-receivables/{invoice}")).AssertOk();
        Assert.Equal("PARTIALLY_PAID", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());
        // unlinking what is not linked is a 404
        (await api.PostAsync($"/v1/customer-credits/{id}/invoice-receivables/{invoice}/unlink")).AssertError(404, "NOT_FOUND");

        // over-application on the invoice side (12,000 open): 422, nothing written
        var bigCredit = Id((await api.PostAsync("/v1/customer-credits", new
        {
            customerId = customer, areLinesWithTax = false, lines = new[] { new { productId = product, quantity = 2 } },
        })).AssertOk());
        (await api.PostAsync($"/v1/customer-credits/{bigCredit}/post")).AssertOk();
        (await api.PostAsync($"/v1/customer-credits/{bigCredit}/invoice-receivables/{invoice}/link", new { amount = 12_001 })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("POSTED", (await api.GetAsync($"/v1/customer-credits/{bigCredit}")).AssertOk()["status"]!.GetValue<string>());

        // archive a posted, unapplied credit: its posting is reversed; unarchive → DRAFT; unarchiving a draft is 400
        var arBefore = await kit.Balance(1400, "2026-12-31");
        Assert.Equal("ARCHIVED", (await api.PostAsync($"/v1/customer-credits/{id}/archive")).AssertOk()["status"]!.GetValue<string>());
        Assert.Equal(arBefore + 12_000, await kit.Balance(1400, "2026-12-31"));
        Assert.Equal("DRAFT", (await api.PostAsync($"/v1/customer-credits/{id}/unarchive")).AssertOk()["status"]!.GetValue<string>());
        (await api.PostAsync($"/v1/customer-credits/{id}/unarchive")).AssertError(400, "BAD_REQUEST");

        // list: filters and sorts from the spec
        var list = (await api.GetAsync($"/v1/customer-credits?filter=businessPartnerId:eq:{customer},status:eq:POSTED&sort=amount:desc&include=INVOICE_RECEIVABLE"))
            .AssertOk();
        Assert.Equal(bigCredit, Id(list["records"]![0]!));
        (await api.GetAsync("/v1/customer-credits?sort=businessPartnerName:asc,postingDate:desc&cursor=0&limit=1")).AssertOk();
        (await api.GetAsync("/v1/customer-credits?filter=vendorId:eq:x")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Applied_credits_are_listed_among_the_invoices_payments_as_CC_entries()
    {
        var tenant = await server.CreateTenantAsync("Credit Payments Co", "USD");
        var api = tenant.Admin;
        var product = await Product(api, 10_000);
        var customer = await Customer(api, "Paying Customer");
        var invoice = await OpenInvoice(api, customer, product, 2);
        var invoiceAmount = (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["amount"]!.GetValue<long>();
        var credit = Id((await api.PostAsync("/v1/customer-credits", new
        {
            customerId = customer, areLinesWithTax = false, lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk());
        (await api.PostAsync($"/v1/customer-credits/{credit}/post")).AssertOk();
        var link = (await api.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/link", new { amount = 7_000 })).AssertOk();
        var creditNumber = link["customerCredit"]!["documentNumber"]!.GetValue<string>();
        (await api.PostAsync($"/v1/invoice-receivables/{invoice}/payments", new { paymentDate = "2026-03-20", amountInInvoiceCurrency = invoiceAmount - 7_000 }))
            .AssertOk();
        Assert.Equal("PAID", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());

        // What made it PAID is listed: the applied credit (CC) and the bank payment (BP), adding up to the invoice's amount.
        var payments = (await api.GetAsync($"/v1/invoice-receivables/{invoice}/payments")).AssertOk().AsArray();
        Assert.Equal(invoiceAmount, payments.Sum(p => p!["amount"]!.GetValue<long>()));
        var cc = Assert.Single(payments, p => p!["payment"]!["type"]!.GetValue<string>() == "CC")!;
        Assert.Equal(7_000, cc["amount"]!.GetValue<long>());
        Assert.Equal(7_000, cc["payment"]!["amount"]!.GetValue<long>());
        Assert.Equal(creditNumber, cc["payment"]!["documentNumber"]!.GetValue<string>());
        Assert.Equal(Id(cc), cc["payment"]!["accountingDocumentId"]!.GetValue<string>());
        Assert.Equal(invoice, cc["invoiceReceivableId"]!.GetValue<string>());
        Assert.Equal("USD", cc["currency"]!.GetValue<string>());
        Assert.NotNull(cc["paymentDate"]);
        // The entry's accounting document is the CN clearing.
        var clearing = (await api.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{Id(cc)}&limit=50")).AssertOk()["records"]!.AsArray();
        Assert.NotEmpty(clearing);
        Assert.All(clearing, l => Assert.Equal("CN", l!["documentType"]!.GetValue<string>()));
        var bp = Assert.Single(payments, p => p!["payment"]!["type"]!.GetValue<string>() == "BP")!;
        Assert.Equal(invoiceAmount - 7_000, bp["amount"]!.GetValue<long>());
        Assert.Equal(Id(bp), bp["payment"]!["accountingDocumentId"]!.GetValue<string>());

        // Unlinked, the credit no longer counts and is no longer listed.
        (await api.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/unlink")).AssertOk();
        Assert.Equal("PARTIALLY_PAID", (await api.GetAsync($"/v1/invoice-receivables/{invoice}")).AssertOk()["state"]!.GetValue<string>());
        var after = (await api.GetAsync($"/v1/invoice-receivables/{invoice}/payments")).AssertOk().AsArray();
        Assert.Equal(["BP"], after.Select(p => p!["payment"]!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Email_and_einvoice_are_recorded_never_claimed_as_delivered()
    {
        var api = server.Admin;
        var customer = await Customer(api, "Mail Customer");
        var product = await Product(api, 1_000);
        async Task<string> Draft() => Id((await api.PostAsync("/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());

        // post-and-send-email: posted, the e-mail queued (sent by the job runner) and said so in a header
        var mailed = await Draft();
        var missing = (await api.PostAsync($"/v1/customer-credits/{mailed}/post-and-send-email", new { })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("emailInfo", missing["errors"]![0]!["path"]![0]!.GetValue<string>());
        var response = await api.PostAsync($"/v1/customer-credits/{mailed}/post-and-send-email",
            new { emailInfo = new { subject = "Your credit", recipients = new[] { "ap@customer.example" } } });
        Assert.Equal("POSTED", response.AssertOk()["status"]!.GetValue<string>());
        Assert.Equal("QUEUED", response.Headers.GetValues("X-Ledgerlight-Email-Status").Single());

        // e-invoicing: refused on post, recorded as not submitted on submit-einvoice (posted credits only)
        var draft = await Draft();
        (await api.PostAsync($"/v1/customer-credits/{draft}/post", new { shouldSubmitEInvoice = true })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains("DRAFT", (await api.PostAsync($"/v1/customer-credits/{draft}/submit-einvoice")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        var submitted = (await api.PostAsync($"/v1/customer-credits/{mailed}/submit-einvoice")).AssertOk();
        Assert.Equal("NOT_SUBMITTED_NO_EINVOICING_NETWORK", submitted["einvoiceStatus"]!.GetValue<string>());
        var filtered = (await api.GetAsync("/v1/customer-credits?filter=einvoiceStatus:eq:NOT_SUBMITTED_NO_EINVOICING_NETWORK")).AssertOk()["records"]!.AsArray();
        Assert.Contains(filtered, r => Id(r!) == mailed);
    }

    [Fact]
    public async Task Post_and_send_reads_shouldSubmitEInvoice_beside_emailInfo_and_refuses_it_before_posting()
    {
        var api = server.Admin;
        var customer = await Customer(api, "EInvoice Customer");
        var product = await Product(api, 1_000);
        var draft = Id((await api.PostAsync("/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());

        // The spec's shape: shouldSubmitEInvoice at the top level, next to emailInfo. Nothing is posted or queued.
        var refused = (await api.PostAsync($"/v1/customer-credits/{draft}/post-and-send-email",
            new { shouldSubmitEInvoice = true, emailInfo = new { recipients = new[] { "ap@customer.example" } } })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("shouldSubmitEInvoice", refused["errors"]![0]!["path"]![0]!.GetValue<string>());
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/customer-credits/{draft}")).AssertOk()["status"]!.GetValue<string>());

        // false (or omitted) posts and queues the e-mail as before.
        var response = await api.PostAsync($"/v1/customer-credits/{draft}/post-and-send-email",
            new { shouldSubmitEInvoice = false, emailInfo = new { recipients = new[] { "ap@customer.example" } } });
        Assert.Equal("POSTED", response.AssertOk()["status"]!.GetValue<string>());
        Assert.Equal("QUEUED", response.Headers.GetValues("X-Ledgerlight-Email-Status").Single());
    }

    [Fact]
    public async Task A_header_amount_stands_until_lines_exist_as_for_bills()
    {
        var api = server.Admin;
        var customer = await Customer(api, "Header Amount Customer");
        var product = await Product(api, 1_000);
        var created = (await api.PostAsync("/v1/customer-credits", new { customerId = customer, amount = 5_000, areLinesWithTax = false })).AssertOk();
        var id = Id(created);
        Assert.Equal(5_000, created["amount"]!.GetValue<long>());
        Assert.Equal(5_000, (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk()["amount"]!.GetValue<long>());
        Assert.Equal(4_000, (await api.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{id}", new { amount = 4_000 })).AssertOk()["amount"]!.GetValue<long>());
        // Not postable without lines, whatever the header says.
        (await api.PostAsync($"/v1/customer-credits/{id}/post")).AssertError(422, "UNPROCESSABLE_CONTENT");

        // Once it has lines, the total is their sum and a different amount is a 422.
        (await api.PostAsync($"/v1/customer-credits/{id}/lines", new { productId = product })).AssertOk();
        Assert.Equal(1_000, (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk()["amount"]!.GetValue<long>());
        (await api.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{id}", new { amount = 4_000 })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal(1_000, (await api.GetAsync($"/v1/customer-credits/{id}")).AssertOk()["amount"]!.GetValue<long>());
        Assert.Equal("POSTED", (await api.PostAsync($"/v1/customer-credits/{id}/post")).AssertOk()["status"]!.GetValue<string>());
        (await api.PostAsync("/v1/customer-credits", new { customerId = customer, amount = -1 })).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Bad_input_roles_and_tenancy()
    {
        var api = server.Admin;
        var customer = await Customer(api, "Rules Customer");
        var product = await Product(api, 1_000);

        var archived = await Customer(api, "Gone Credit Customer");
        (await api.PostAsync($"/v1/customers/{archived}/archive")).AssertOk();
        Assert.Equal("customerId", (await api.PostAsync("/v1/customer-credits", new { customerId = archived })).AssertError(422, "UNPROCESSABLE_CONTENT")
            ["errors"]![0]!["path"]![0]!.GetValue<string>());
        var bad = (await api.PostAsync("/v1/customer-credits", new
        {
            currency = "XXY", lines = new object[] { new { quantity = -1, taxTransactionAmount = new { amount = -5 } } },
        })).AssertError(400, "BAD_REQUEST");
        var paths = bad["errors"]!.AsArray().Select(e => string.Join('.', e!["path"]!.AsArray().Select(p => p!.ToString()))).ToHashSet();
        Assert.Superset(new HashSet<string> { "currency", "lines.0.productId", "lines.0.quantity", "lines.0.taxTransactionAmount.amount" }, paths);
        // a declared amount that does not match the lines is a 422
        (await api.PostAsync("/v1/customer-credits", new { customerId = customer, amount = 5, lines = new[] { new { productId = product } } }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
        // posting needs a customer and lines
        var empty = Id((await api.PostAsync("/v1/customer-credits", new { description = "empty" })).AssertOk());
        var incomplete = (await api.PostAsync($"/v1/customer-credits/{empty}/post")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains(incomplete["errors"]!.AsArray(), e => e!["path"]![0]!.GetValue<string>() == "lines");
        // linking a draft credit is a 409 naming the state
        var draft = Id((await api.PostAsync("/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());
        var invoice = await OpenInvoice(api, customer, product, 1);
        Assert.Contains("DRAFT", (await api.PostAsync($"/v1/customer-credits/{draft}/invoice-receivables/{invoice}/link")).AssertError(409, "CONFLICT")
            ["message"]!.GetValue<string>());

        // roles and tenancy
        (await server.Viewer.GetAsync($"/v1/customer-credits/{draft}")).AssertOk();
        (await server.Viewer.PostAsync("/v1/customer-credits", new { customerId = customer })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PostAsync($"/v1/customer-credits/{draft}/post")).AssertError(403, "FORBIDDEN");
        var other = await server.CreateTenantAsync("Other Credits Co", "USD");
        (await other.Admin.GetAsync($"/v1/customer-credits/{draft}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/customer-credits/{draft}/post")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/customer-credits/{draft}/invoice-receivables/{invoice}/link")).AssertError(404, "NOT_FOUND");
        Assert.DoesNotContain((await other.Admin.GetAsync("/v1/customer-credits")).AssertOk()["records"]!.AsArray(), r => Id(r!) == draft);
        (await api.GetAsync("/v1/customer-credits/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        Assert.Equal("DRAFT", (await api.GetAsync($"/v1/customer-credits/{draft}")).AssertOk()["status"]!.GetValue<string>());
    }
}
