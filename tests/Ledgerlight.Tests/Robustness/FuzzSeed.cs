using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;

namespace Ledgerlight.Tests.Robustness;

/// <summary>
/// A few real records of every kind (vendor, customer, product, bills, invoices, journal entries,
/// bank account...), so generated path ids hit real rows and requests reach the code behind them.
/// </summary>
public static class FuzzSeed
{
    public static async Task SeedAsync(FuzzTransport http, Tenant tenant, IdPool ids)
    {
        async Task<JsonNode> Post(string path, string body)
        {
            var (status, text) = await http.SendRawAsync(HttpMethod.Post, path, body, tenant.AdminKey);
            if (status != 200) throw new InvalidOperationException($"seeding POST {path} failed with {status}: {text}\n{body}");
            var json = JsonNode.Parse(text)!;
            ids.Harvest(path, json);
            return json;
        }
        async Task<JsonNode> Get(string path)
        {
            var (status, text) = await http.SendRawAsync(HttpMethod.Get, path, null, tenant.AdminKey);
            if (status != 200) throw new InvalidOperationException($"seeding GET {path} failed with {status}: {text}");
            var json = JsonNode.Parse(text)!;
            ids.Harvest(path.Split('?')[0], json);
            return json;
        }
        static string Id(JsonNode n) => (n["id"] ?? n["vendorId"])!.GetValue<string>();
        async Task<string> Account(int code) => Id((await Get($"/v1/ledger-accounts?filter=code:eq:{code}"))["records"]![0]!);

        var expense = await Account(6100);
        var receivable = await Account(1200);
        await Get("/v1/ledger-accounts?limit=200");
        await Get("/v1/tax-codes");
        await Get("/v1/entities");
        await Get("/v1/users");

        var vendors = new List<string>();
        for (var i = 0; i < 2; i++)
            vendors.Add(Id(await Post("/v1/vendors", $$$"""{"name":"Seed Vendor {{{i}}}","email":"v{{{i}}}@example.com","defaultCompanyEntity":{"companyEntityId":"{{{tenant.EntityId}}}"}}""")));
        var customers = new List<string>();
        for (var i = 0; i < 2; i++)
            customers.Add(Id(await Post("/v1/customers", $$$"""{"name":"Seed Customer {{{i}}}","email":"c{{{i}}}@example.com","billingAddress":{"country":"DE","city":"Berlin"},"type":"BUSINESS"}""")));
        var product = Id(await Post("/v1/products", """{"name":"Seed Product","billingRecurrence":"MONTHLY","pricings":[{"currency":"USD","amount":1000}]}"""));
        await Post("/v1/products", """{"name":"Seed Product EUR","pricings":[{"currency":"EUR","amount":2500}]}""");

        var bank = Id(await Post("/v1/bank-accounts", $$$"""
            {"companyEntityId":"{{{tenant.EntityId}}}","name":"Seed Bank","bankProvider":"OTHER","currency":"USD","bankCountry":"US","ledgerAccount":{"code":120100}}
            """));
        await Post($"/v1/bank-accounts/{bank}/bank-transactions",
            """{"transactions":[{"date":"2026-01-02","amount":1000,"dcSign":"D","name":"Rent"},{"date":"2026-01-03","amount":5,"dcSign":"C"}]}""");

        for (var i = 0; i < 3; i++)
        {
            var bill = Id(await Post("/v1/invoice-payables", $$$"""
                {"vendorId":"{{{vendors[i % 2]}}}","currency":"USD","invoiceNumber":"SEED-{{{i}}}-{{{Guid.NewGuid():N}}}","issuedDate":"2026-02-01","dueDate":"2026-03-01",
                 "lineItems":[{"netAmount":1000,"description":"one"},{"netAmount":250,"taxAmount":50}]}
                """));
            if (i > 0) await Post($"/v1/invoice-payables/{bill}/post", "");
            if (i == 2) await Post($"/v1/invoice-payables/{bill}/mark-as-paid", $$$"""{"paymentOption":"PARTIAL","amount":100,"bankAccountId":"{{{bank}}}"}""");
        }
        for (var i = 0; i < 3; i++)
        {
            var invoice = Id(await Post("/v1/invoice-receivables", $$$"""
                {"customerId":"{{{customers[i % 2]}}}","invoiceDate":"2026-02-02","netTerms":14,"description":"Seed invoice {{{i}}}",
                 "lines":[{"productId":"{{{product}}}","quantity":1.5,"discount":{"type":"PERCENTAGE","value":10}},{"productId":"{{{product}}}","quantity":2}]}
                """));
            if (i > 0) await Post($"/v1/invoice-receivables/{invoice}/open", "");
            if (i == 2) await Post($"/v1/invoice-receivables/{invoice}/payments", """{"paymentDate":"2026-02-10","amountInInvoiceCurrency":500}""");
        }
        var lines = $$$"""
            [{"ledgerAccountId":"{{{expense}}}","netTransactionAmount":{"amount":1000,"dcSign":"D"},"taxAmount":{"amount":190,"dcSign":"D"},"description":"rent"},
             {"ledgerAccountId":"{{{receivable}}}","netTransactionAmount":{"amount":1190,"dcSign":"C"}}]
            """;
        await Post("/v1/journal-entries", $$$"""{"postingDate":"2026-02-02","shouldPost":true,"description":"Seed posted","lines":{{{lines}}}}""");
        await Post("/v1/journal-entries", $$$"""{"postingDate":"2026-02-03","description":"Seed draft","lines":{{{lines}}}}""");

        await Post("/v1/purchase-orders", $$$"""
            {"vendorId":"{{{vendors[0]}}}","description":"Seed PO","deliveryDate":"2026-04-01","purchaseOrderDate":"2026-03-01",
             "lines":[{"quantity":1.5,"unitPrice":333,"description":"chairs"},{"quantity":2,"unitPrice":100}]}
            """);
        var note = Id(await Post("/v1/credit-notes", $$$"""
            {"businessPartnerId":"{{{vendors[0]}}}","currency":"USD","documentDate":"2026-02-02","areLinesWithTax":false,"documentNumber":"CN-{{{Guid.NewGuid():N}}}",
             "lines":[{"netTransactionAmount":{"amount":300,"dcSign":"C"},"description":"refund"}]}
            """));
        await Post($"/v1/credit-notes/{note}/post", "");
        var credit = Id(await Post("/v1/customer-credits", $$$"""
            {"customerId":"{{{customers[0]}}}","documentDate":"2026-02-03","description":"Seed credit","lines":[{"productId":"{{{product}}}","quantity":1}]}
            """));
        await Post("/v1/customer-credits", $$$"""{"customerId":"{{{customers[1]}}}","lines":[{"productId":"{{{product}}}","quantity":2}]}""");
        await Post($"/v1/customer-credits/{credit}/post", "{}");
        var contract = Id(await Post("/v1/contracts", $$$"""
            {"customerId":"{{{customers[0]}}}","startDate":"2026-01-01","endDate":"2026-12-31","description":"Seed contract","netTerms":14,
             "lines":[{"productId":"{{{product}}}","billingRecurrence":"MONTHLY","billingStart":"2026-01-01","quantity":2}]}
            """));
        await Post($"/v1/contracts/{contract}/publish", "");
        var group = Id(await Post("/v1/custom-properties/groups",
            """{"internalName":"seed_cost_center","label":"Cost center","inputType":"SINGLE_SELECT","objectTypes":["VENDOR"],"context":"c"}"""));
        await Post($"/v1/custom-properties/groups/{group}/values", """{"internalName":"ops","label":"Operations"}""");
        await Post("/v1/user-comments", $$$"""{"resourceId":"{{{vendors[0]}}}","content":"Seed comment"}""");
    }
}
