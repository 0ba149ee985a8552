using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Ledgerlight.Tests.Platform;

/// <summary>
/// Ids inside request bodies are checked like path ids: company A's bodies that name company B's records (vendor, customer,
/// product, tax code, ledger account, bank account, purchase order, entity) are refused with the field's path, and nothing
/// is stored.
/// </summary>
public class CrossCompanyReferenceTests(ApiServer server, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    static string Id(JsonNode node, string field = "id") => node[field]!.GetValue<string>();

    sealed record Theirs(string Entity, string Vendor, string Customer, string Product, string TaxCode, string Account, string Bank,
        string PurchaseOrder, string Key);

    static async Task<Theirs> CreateRecordsIn(Tenant b)
    {
        var api = b.Admin;
        var vendor = Id((await api.PostAsync("/v1/vendors", new { name = "B Vendor" })).AssertOk(), "vendorId");
        var customer = Id((await api.PostAsync("/v1/customers", new { name = "B Customer", email = "b@customer.example" })).AssertOk());
        var product = Id((await api.PostAsync("/v1/products", new { name = "B Product", pricings = new[] { new { currency = "USD", amount = 1_000 } } })).AssertOk());
        var taxCode = Id((await api.PostAsync("/v1/tax-codes", new { code = "B20", label = "B 20%", ratePercent = 20m })).AssertOk());
        var account = Id((await api.PostAsync("/v1/ledger-accounts", new { code = 6251, label = "B hosting", type = "GENERAL_AND_ADMINISTRATIVE_EXPENSE" })).AssertOk());
        var bank = Id((await api.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = b.EntityId, name = "B Bank", bankProvider = "OTHER", currency = "USD", bankCountry = "US", ledgerAccount = new { code = 120_900 },
        })).AssertOk());
        var order = Id((await api.PostAsync("/v1/purchase-orders", new { vendorId = vendor })).AssertOk());
        var key = (await api.GetAsync("/v1/users")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();
        return new Theirs(b.EntityId.ToString(), vendor, customer, product, taxCode, account, bank, order, key);
    }

    [Fact]
    public async Task Another_companys_ids_inside_request_bodies_are_refused_with_their_path_and_nothing_is_stored()
    {
        var b = await CreateRecordsIn(await server.CreateTenantAsync("Company B", "USD"));
        var a = server.Admin;
        var entity = server.Company.EntityId;
        var vendor = Id((await a.PostAsync("/v1/vendors", new { name = "A Vendor" })).AssertOk(), "vendorId");
        var customer = Id((await a.PostAsync("/v1/customers", new { name = "A Customer", email = "a@customer.example" })).AssertOk());
        var product = Id((await a.PostAsync("/v1/products", new { name = "A Product", pricings = new[] { new { currency = "USD", amount = 1_000 } } })).AssertOk());
        var bill = Id((await a.PostAsync("/v1/invoice-payables", new { vendorId = vendor, invoiceNumber = "A-1" })).AssertOk());
        var postedBill = Id((await a.PostAsync("/v1/invoice-payables", new { vendorId = vendor, invoiceNumber = "A-2", lineItems = new[] { new { netAmount = 100 } } })).AssertOk());
        (await a.PostAsync($"/v1/invoice-payables/{postedBill}/post")).AssertOk();
        var order = Id((await a.PostAsync("/v1/purchase-orders", new { vendorId = vendor })).AssertOk());
        var note = Id((await a.PostAsync("/v1/credit-notes", new { businessPartnerId = vendor })).AssertOk());
        var contract = Id((await a.PostAsync("/v1/contracts", new { customerId = customer })).AssertOk());
        var invoice = Id((await a.PostAsync("/v1/invoice-receivables", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());
        var openInvoice = Id((await a.PostAsync("/v1/invoice-receivables", new { customerId = customer, lines = new[] { new { productId = product } } })).AssertOk());
        (await a.PostAsync($"/v1/invoice-receivables/{openInvoice}/open")).AssertOk();
        var credit = Id((await a.PostAsync("/v1/customer-credits", new { customerId = customer })).AssertOk());
        var entry = Id((await a.PostAsync("/v1/journal-entries", new { postingDate = "2026-03-16", description = "draft" })).AssertOk());
        var journalLine = (string account) => new { ledgerAccountId = account, netTransactionAmount = new { amount = 100, dcSign = "D" } };
        var expense = (await a.GetAsync("/v1/ledger-accounts?filter=code:eq:6200")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();

        var probes = new List<(string Method, string Path, object Body, string Field)>
        {
            ("POST", "/v1/vendors", new { name = "X", defaultCompanyEntity = new { companyEntityId = entity, taxCodeId = b.TaxCode } }, "defaultCompanyEntity.taxCodeId"),
            ("POST", "/v1/vendors", new { name = "X", defaultCompanyEntity = new { companyEntityId = entity, senderBankAccountId = b.Bank } }, "defaultCompanyEntity.senderBankAccountId"),
            ("POST", "/v1/vendors", new { name = "X", defaultCompanyEntity = new { companyEntityId = entity, accountId = b.Account } }, "defaultCompanyEntity.accountId"),
            ("POST", "/v1/vendors", new { name = "X", defaultCompanyEntity = new { companyEntityId = b.Entity } }, "defaultCompanyEntity.companyEntityId"),
            ("PUT", $"/v1/vendors/{vendor}", new { name = "A Vendor", defaultCompanyEntity = new { companyEntityId = entity, taxCodeId = b.TaxCode } }, "defaultCompanyEntity.taxCodeId"),
            ("PUT", $"/v1/vendors/{vendor}", new { name = "A Vendor", defaultCompanyEntity = new { companyEntityId = entity, senderBankAccountId = b.Bank } }, "defaultCompanyEntity.senderBankAccountId"),
            ("PUT", $"/v1/vendors/{vendor}/approvers", new { approvers = new[] { new { userId = b.Key, priority = 1 } } }, "approvers.0.userId"),

            ("POST", "/v1/invoice-payables", new { vendorId = b.Vendor }, "vendorId"),
            ("POST", "/v1/invoice-payables", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/invoice-payables", new { senderBankAccountId = b.Bank }, "senderBankAccountId"),
            ("POST", "/v1/invoice-payables", new { lineItems = new[] { new { netAmount = 1, taxCodeId = b.TaxCode } } }, "lineItems.0.taxCodeId"),
            ("POST", "/v1/invoice-payables", new { lineItems = new[] { new { netAmount = 1, accountId = b.Account } } }, "lineItems.0.accountId"),
            ("PATCH", $"/v1/invoice-payables/{bill}", new { vendorId = b.Vendor }, "vendorId"),
            ("PATCH", $"/v1/invoice-payables/{bill}", new { senderBankAccountId = b.Bank }, "senderBankAccountId"),
            ("PATCH", $"/v1/invoice-payables/{bill}", new { purchaseOrderId = b.PurchaseOrder }, "purchaseOrderId"),
            ("PATCH", $"/v1/invoice-payables/{bill}", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", $"/v1/invoice-payables/{bill}/line-items", new { netAmount = 1, taxCodeId = b.TaxCode }, "taxCodeId"),
            ("POST", $"/v1/invoice-payables/{bill}/line-items", new { netAmount = 1, accountId = b.Account }, "accountId"),
            ("POST", $"/v1/invoice-payables/{postedBill}/mark-as-paid", new { paymentOption = "FULL", bankAccountId = b.Bank }, "bankAccountId"),

            ("POST", "/v1/purchase-orders", new { vendorId = b.Vendor }, "vendorId"),
            ("POST", "/v1/purchase-orders", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/purchase-orders", new { ownerId = b.Key }, "ownerId"),
            ("POST", "/v1/purchase-orders", new { lines = new[] { new { quantity = 1, unitPrice = 1, accountId = b.Account } } }, "lines.0.accountId"),
            ("POST", "/v1/purchase-orders", new { lines = new[] { new { quantity = 1, unitPrice = 1, taxCodeId = b.TaxCode } } }, "lines.0.taxCodeId"),
            ("PATCH", $"/v1/purchase-orders/{order}", new { vendorId = b.Vendor }, "vendorId"),
            ("PATCH", $"/v1/purchase-orders/{order}", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", $"/v1/purchase-orders/{order}/lines", new { quantity = 1, unitPrice = 1, accountId = b.Account }, "accountId"),

            ("POST", "/v1/credit-notes", new { businessPartnerId = b.Vendor }, "businessPartnerId"),
            ("POST", "/v1/credit-notes", new { businessPartnerId = vendor, companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/credit-notes", new { businessPartnerId = vendor, lines = new[] { new { netTransactionAmount = new { amount = 1, dcSign = "C" }, ledgerTaxId = b.TaxCode } } }, "lines.0.ledgerTaxId"),
            ("POST", "/v1/credit-notes", new { businessPartnerId = vendor, lines = new[] { new { netTransactionAmount = new { amount = 1, dcSign = "C" }, ledgerAccountId = b.Account } } }, "lines.0.ledgerAccountId"),
            ("PATCH", $"/v1/credit-notes/{note}", new { businessPartnerId = b.Vendor }, "businessPartnerId"),
            ("PATCH", $"/v1/credit-notes/{note}", new { companyEntityId = b.Entity }, "companyEntityId"),

            ("POST", "/v1/products", new { name = "X", defaultTaxId = b.TaxCode }, "defaultTaxId"),
            ("POST", "/v1/products", new { name = "X", defaultLedgerAccountId = b.Account }, "defaultLedgerAccountId"),
            ("PATCH", $"/v1/products/{product}", new { defaultTaxId = b.TaxCode }, "defaultTaxId"),

            ("POST", "/v1/contracts", new { customerId = b.Customer }, "customerId"),
            ("POST", "/v1/contracts", new { customerId = customer, companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/contracts", new { customerId = customer, payeeBankAccountId = b.Bank }, "payeeBankAccountId"),
            ("POST", "/v1/contracts", new { customerId = customer, lines = new[] { new { productId = b.Product, billingRecurrence = "MONTHLY" } } }, "lines.0.productId"),
            ("POST", "/v1/contracts", new { customerId = customer, lines = new[] { new { productId = product, billingRecurrence = "MONTHLY", taxCodeId = b.TaxCode } } }, "lines.0.taxCodeId"),
            ("POST", "/v1/contracts", new { customerId = customer, lines = new[] { new { productId = product, billingRecurrence = "MONTHLY", accountId = b.Account } } }, "lines.0.accountId"),
            ("PATCH", $"/v1/contracts/{contract}", new { customerId = b.Customer }, "customerId"),
            ("PATCH", $"/v1/contracts/{contract}", new { payeeBankAccountId = b.Bank }, "payeeBankAccountId"),
            ("PATCH", $"/v1/contracts/{contract}", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", $"/v1/contracts/{contract}/lines", new { productId = b.Product, billingRecurrence = "MONTHLY" }, "productId"),

            ("POST", "/v1/invoice-receivables", new { customerId = b.Customer }, "customerId"),
            ("POST", "/v1/invoice-receivables", new { customerId = customer, companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/invoice-receivables", new { customerId = customer, payeeBankAccountId = b.Bank }, "payeeBankAccountId"),
            ("POST", "/v1/invoice-receivables", new { customerId = customer, lines = new[] { new { productId = b.Product } } }, "lines.0.productId"),
            ("POST", "/v1/invoice-receivables", new { customerId = customer, lines = new[] { new { productId = product, taxCodeId = b.TaxCode } } }, "lines.0.taxCodeId"),
            ("POST", "/v1/invoice-receivables", new { customerId = customer, lines = new[] { new { productId = product, accountId = b.Account } } }, "lines.0.accountId"),
            ("PATCH", $"/v1/invoice-receivables/{invoice}", new { customerId = b.Customer }, "customerId"),
            ("PATCH", $"/v1/invoice-receivables/{invoice}", new { payeeBankAccountId = b.Bank }, "payeeBankAccountId"),
            ("PATCH", $"/v1/invoice-receivables/{invoice}", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", $"/v1/invoice-receivables/{invoice}/lines", new { productId = b.Product }, "productId"),
            ("POST", $"/v1/invoice-receivables/{openInvoice}/payments", new { paymentDate = "2026-03-20", bankAccountId = b.Bank, amountInInvoiceCurrency = 1 }, "bankAccountId"),

            ("POST", "/v1/customer-credits", new { customerId = b.Customer }, "customerId"),
            ("POST", "/v1/customer-credits", new { customerId = customer, companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = b.Product } } }, "lines.0.productId"),
            ("POST", "/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product, ledgerTaxId = b.TaxCode } } }, "lines.0.ledgerTaxId"),
            ("POST", "/v1/customer-credits", new { customerId = customer, lines = new[] { new { productId = product, ledgerAccountId = b.Account } } }, "lines.0.ledgerAccountId"),
            ("PATCH", $"/v1/customer-credits/{credit}", new { customerId = b.Customer }, "customerId"),
            ("PATCH", $"/v1/customer-credits/{credit}", new { companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", $"/v1/customer-credits/{credit}/lines", new { productId = b.Product }, "productId"),

            ("POST", "/v1/journal-entries", new { postingDate = "2026-03-16", businessPartnerId = b.Vendor }, "businessPartnerId"),
            ("POST", "/v1/journal-entries", new { postingDate = "2026-03-16", businessPartnerId = b.Customer }, "businessPartnerId"),
            ("POST", "/v1/journal-entries", new { postingDate = "2026-03-16", companyEntityId = b.Entity }, "companyEntityId"),
            ("POST", "/v1/journal-entries", new { postingDate = "2026-03-16", lines = new[] { journalLine(b.Account) } }, "lines.0.ledgerAccountId"),
            ("POST", "/v1/journal-entries", new { postingDate = "2026-03-16", lines = new[] { new { ledgerAccountId = expense, netTransactionAmount = new { amount = 100, dcSign = "D" }, ledgerTaxId = b.TaxCode } } }, "lines.0.ledgerTaxId"),
            ("POST", "/v1/journal-entries", new { postingDate = "2026-03-16", lines = new[] { new { ledgerAccountId = expense, netTransactionAmount = new { amount = 100, dcSign = "D" }, targetCompanyEntityId = b.Entity } } }, "lines.0.targetCompanyEntityId"),
            ("PATCH", $"/v1/journal-entries/{entry}", new { businessPartnerId = b.Vendor }, "businessPartnerId"),
            ("PATCH", $"/v1/journal-entries/{entry}", new { companyEntityId = b.Entity }, "companyEntityId"),

            ("POST", "/v1/tax-codes", new { code = "X1", label = "x", ratePercent = 1m, inputAccountId = b.Account }, "inputAccountId"),
            ("POST", "/v1/tax-codes", new { code = "X2", label = "x", ratePercent = 1m, outputAccountId = b.Account }, "outputAccountId"),
            ("POST", "/v1/bank-accounts", new { companyEntityId = b.Entity, name = "X", bankProvider = "OTHER", currency = "USD", bankCountry = "US", ledgerAccount = new { code = 120_901 } }, "companyEntityId"),
            ("POST", "/v1/ledger-accounts", new { code = 6252, label = "X", type = "GENERAL_AND_ADMINISTRATIVE_EXPENSE", companyEntityIds = new[] { b.Entity } }, "companyEntityIds.0"),
        };

        async Task<string> Totals()
        {
            var totals = new List<string>();
            foreach (var list in new[] { "vendors", "invoice-payables", "purchase-orders", "credit-notes", "products", "contracts", "invoice-receivables",
                         "customer-credits", "bank-accounts", "ledger-accounts" })
            {
                var page = (await a.GetAsync($"/v1/{list}?limit=200")).AssertOk();
                totals.Add($"{list}={(page is JsonArray all ? all.Count : page["records"]!.AsArray().Count)}");
            }
            totals.Add($"taxCodes={(await a.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Count}");
            totals.Add($"ledgerLines={(await a.GetAsync("/v1/ledger-transaction-lines?limit=1")).AssertOk()["total"]}");
            totals.Add($"vendor={(await a.GetAsync($"/v1/vendors/{vendor}")).AssertOk().ToJsonString()}");
            totals.Add($"entry={(await a.GetAsync($"/v1/journal-entries/{entry}")).AssertOk()["businessPartnerId"]}");
            return string.Join("\n", totals);
        }
        var before = await Totals();

        var problems = new List<string>();
        foreach (var (method, path, body, field) in probes)
        {
            var response = await a.SendAsync(new HttpMethod(method), path, body);
            var status = response.Code;
            var json = string.IsNullOrEmpty(response.Body) ? null : JsonNode.Parse(response.Body);
            var paths = status >= 400 && json?["errors"] is JsonArray errors
                ? errors.Select(e => string.Join(".", e!["path"]!.AsArray().Select(p => p!.ToString()))).ToList()
                : [];
            if (status is not (400 or 404 or 422) || !paths.Contains(field))
                problems.Add($"{method} {path} {field}: {status} [{string.Join(", ", paths)}] {json?["message"]}");
        }
        foreach (var p in problems) output.WriteLine(p);
        Assert.Empty(problems);
        Assert.Equal(before, await Totals()); // nothing stored, nothing changed
    }
}
