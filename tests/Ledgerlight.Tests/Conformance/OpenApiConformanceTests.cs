using System.Text.Json.Nodes;
using Ledgerlight.Platform.OpenApi;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Ledgerlight.Tests.Conformance;

/// <summary>
/// Holds the server against Light's OpenAPI document: which operations it implements, and that
/// each implemented one answers with a body its schema accepts.
/// </summary>
public class OpenApiConformanceTests(ApiServer server, ITestOutputHelper output) : IClassFixture<ApiServer>
{
    static readonly string[] Methods = ["get", "post", "put", "patch", "delete", "options"];

    static List<(string Method, string Path, string OperationId)> SpecOperations()
    {
        var spec = JsonNode.Parse(File.ReadAllText(RepoPaths.LightSpec))!;
        return spec["paths"]!.AsObject()
            .SelectMany(p => Methods.Where(m => p.Value![m] is not null)
                .Select(m => (m.ToUpperInvariant(), p.Key, p.Value![m]!["operationId"]!.GetValue<string>())))
            .ToList();
    }

    List<(string Method, string Path, string OperationId)> Implemented()
    {
        var routes = PublishedSpec.Routes(server.Services.GetRequiredService<EndpointDataSource>());
        return SpecOperations().Where(o => routes.Contains((o.Method, o.Path))).ToList();
    }

    async Task<string> AccountId(int code) =>
        (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();

    async Task<object[]> BalancedLines() =>
    [
        new { ledgerAccountId = await AccountId(6100), netTransactionAmount = new { amount = 1000, dcSign = "D" }, taxAmount = new { amount = 190, dcSign = "D" }, description = "rent" },
        new { ledgerAccountId = await AccountId(1200), netTransactionAmount = new { amount = 1190, dcSign = "C" } },
    ];

    async Task<string> PostedEntryId() =>
        (await server.Admin.PostAsync("/v1/journal-entries", new { postingDate = "2026-02-02", shouldPost = true, lines = await BalancedLines() }))
        .AssertOk()["id"]!.GetValue<string>();

    /// <summary>One real call per implemented operation; each must be schema-valid (checked by ApiClient).</summary>
    async Task<string> CustomerId() =>
        (await server.Admin.PostAsync("/v1/customers", new
        {
            name = "Schema Customer", email = "c@example.com", billingAddress = new { country = "DE", city = "Berlin" },
            recipientEmails = new[] { "ap@example.com" }, type = "BUSINESS",
        })).AssertOk()["id"]!.GetValue<string>();

    async Task<string> ProductId() =>
        (await server.Admin.PostAsync("/v1/products", new
        {
            name = "Schema Product", billingRecurrence = "MONTHLY", pricings = new[] { new { currency = "USD", amount = 1000L } },
        })).AssertOk()["id"]!.GetValue<string>();

    /// <summary>A draft sales invoice with one line (100.00 USD, fractional quantity, a discount).</summary>
    async Task<JsonNode> DraftInvoice() =>
        (await server.Admin.PostAsync("/v1/invoice-receivables", new
        {
            customerId = await CustomerId(), invoiceDate = "2026-02-02", netTerms = 14, description = "Schema invoice",
            lines = new[] { new { productId = await ProductId(), quantity = 1.5m, discount = new { type = "PERCENTAGE", value = 10m } } },
        })).AssertOk();

    /// <summary>A CREATED contract with one monthly line (and, when asked, published: ACTIVE).</summary>
    async Task<JsonNode> SampleContract(bool publish = false)
    {
        var contract = (await server.Admin.PostAsync("/v1/contracts", new
        {
            customerId = await CustomerId(), startDate = "2026-01-01", endDate = "2026-12-31", description = "Schema contract", netTerms = 14,
            lines = new[] { new { productId = await ProductId(), billingRecurrence = "MONTHLY", billingStart = "2026-01-01", quantity = 2 } },
        })).AssertOk();
        if (publish) (await server.Admin.PostAsync($"/v1/contracts/{contract["id"]}/publish")).AssertOk();
        return contract;
    }

    async Task<string> OpenInvoiceId()
    {
        var id = (await DraftInvoice())["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/invoice-receivables/{id}/open")).AssertOk();
        return id;
    }

    /// <summary>A draft customer credit with one line (10.00 USD), for the customer given or a new one.</summary>
    async Task<JsonNode> DraftCredit(string? customerId = null) =>
        (await server.Admin.PostAsync("/v1/customer-credits", new
        {
            customerId = customerId ?? await CustomerId(), documentDate = "2026-02-03", description = "Schema credit",
            lines = new[] { new { productId = await ProductId(), quantity = 1 } },
        })).AssertOk();

    /// <summary>A posted credit and an open invoice of the same customer.</summary>
    async Task<(string Credit, string Invoice)> PostedCreditAndInvoice()
    {
        var invoice = await DraftInvoice();
        var invoiceId = invoice["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/invoice-receivables/{invoiceId}/open")).AssertOk();
        var credit = (await DraftCredit(invoice["customerId"]!.GetValue<string>()))["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/customer-credits/{credit}/post")).AssertOk();
        return (credit, invoiceId);
    }

    Dictionary<string, Func<Task<ApiResponse>>> Samples() => new()
    {
        ["startOAuthAuthorizationFlow"] = async () =>
            await server.Anonymous.GetAsync(OAuth.OAuthKit.AuthorizeUrl(await OAuth.OAuthKit.CreateClientAsync(server.Company))),
        ["getOAuthToken"] = async () =>
        {
            var client = await OAuth.OAuthKit.CreateClientAsync(server.Company);
            var user = await OAuth.OAuthKit.CreateUserAsync(server, server.Company);
            var token = await OAuth.OAuthKit.ExchangeAsync(server.BaseAddress, client, await OAuth.OAuthKit.CodeAsync(server.BaseAddress, client, user));
            return new ApiResponse((System.Net.HttpStatusCode)token.Code, token.Raw.Headers, token.Raw.Content.Headers, token.Json.ToJsonString());
        },
        ["createCustomerCredit"] = async () => await server.Admin.PostAsync("/v1/customer-credits", new
        {
            customerId = await CustomerId(), currency = "USD", areLinesWithTax = false, documentDate = "2026-02-03",
            lines = new[] { new { productId = await ProductId(), quantity = 1.5m } },
        }),
        ["getCustomerCredit"] = async () => await server.Admin.GetAsync($"/v1/customer-credits/{(await DraftCredit())["id"]}"),
        ["listCustomerCredits"] = async () =>
        {
            var (credit, invoice) = await PostedCreditAndInvoice();
            (await server.Admin.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/link", new { amount = 100 })).AssertOk();
            return await server.Admin.GetAsync("/v1/customer-credits?limit=5&include=INVOICE_RECEIVABLE");
        },
        ["updateCustomerCredit"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{(await DraftCredit())["id"]}", new { description = (string?)null }),
        ["createCustomerCreditLine"] = async () =>
            await server.Admin.PostAsync($"/v1/customer-credits/{(await DraftCredit())["id"]}/lines",
                new { productId = await ProductId(), grossTransactionAmount = new { amount = 500, dcSign = "D" } }),
        ["updateCustomerCreditLine"] = async () =>
        {
            var credit = await DraftCredit();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customer-credits/{credit["id"]}/lines/{credit["lines"]![0]!["id"]}", new { quantity = 2 });
        },
        ["deleteCustomerCreditLine"] = async () =>
        {
            var credit = await DraftCredit();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/customer-credits/{credit["id"]}/lines/{credit["lines"]![0]!["id"]}");
        },
        ["postCustomerCredit"] = async () => await server.Admin.PostAsync($"/v1/customer-credits/{(await DraftCredit())["id"]}/post", new { }),
        ["postAndSendCustomerCredit"] = async () => await server.Admin.PostAsync($"/v1/customer-credits/{(await DraftCredit())["id"]}/post-and-send-email",
            new { emailInfo = new { subject = "Credit", replyTo = "ar@example.com", recipients = new[] { "ap@example.com" } } }),
        ["archiveCustomerCredit"] = async () => await server.Admin.PostAsync($"/v1/customer-credits/{(await DraftCredit())["id"]}/archive"),
        ["unarchiveCustomerCredit"] = async () =>
        {
            var id = (await DraftCredit())["id"]!.GetValue<string>();
            (await server.Admin.PostAsync($"/v1/customer-credits/{id}/archive")).AssertOk();
            return await server.Admin.PostAsync($"/v1/customer-credits/{id}/unarchive");
        },
        ["submitCustomerCreditEInvoice"] = async () =>
        {
            var (credit, _) = await PostedCreditAndInvoice();
            return await server.Admin.PostAsync($"/v1/customer-credits/{credit}/submit-einvoice");
        },
        ["linkCustomerCreditToInvoice"] = async () =>
        {
            var (credit, invoice) = await PostedCreditAndInvoice();
            return await server.Admin.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/link", new { amount = 100 });
        },
        ["linkCustomerCredit"] = async () =>
        {
            var (credit, invoice) = await PostedCreditAndInvoice();
            return await server.Admin.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}");
        },
        ["unlinkCustomerCreditFromInvoice"] = async () =>
        {
            var (credit, invoice) = await PostedCreditAndInvoice();
            (await server.Admin.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}")).AssertOk();
            return await server.Admin.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}/unlink");
        },
        ["unlinkCustomerCredit"] = async () =>
        {
            var (credit, invoice) = await PostedCreditAndInvoice();
            (await server.Admin.PostAsync($"/v1/customer-credits/{credit}/invoice-receivables/{invoice}")).AssertOk();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/customer-credits/{credit}/invoice-receivables/{invoice}");
        },
        ["createInvoice"] = async () => await server.Admin.PostAsync("/v1/invoice-receivables", new
        {
            customerId = await CustomerId(), currency = "USD", paymentType = "BANK_TRANSFER", areLinesWithTax = false, poNumber = "PO-9",
            lines = new object[] { new { productId = await ProductId(), quantity = 2, discount = new { type = "AMOUNT", value = 100 } } },
        }),
        ["getInvoiceReceivable"] = async () => await server.Admin.GetAsync($"/v1/invoice-receivables/{(await DraftInvoice())["id"]}"),
        ["listInvoiceReceivables"] = async () => { await OpenInvoiceId(); return await server.Admin.GetAsync("/v1/invoice-receivables?limit=5"); },
        ["updateInvoiceReceivable"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-receivables/{(await DraftInvoice())["id"]}", new { reference = "R-1" }),
        ["createInvoiceLine"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-receivables/{(await DraftInvoice())["id"]}/lines", new { productId = await ProductId(), quantity = 0.25m }),
        ["updateInvoiceLine"] = async () =>
        {
            var invoice = await DraftInvoice();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-receivables/{invoice["id"]}/lines/{invoice["lines"]![0]!["id"]}", new { quantity = 3 });
        },
        ["deleteInvoiceLine"] = async () =>
        {
            var invoice = await DraftInvoice();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/invoice-receivables/{invoice["id"]}/lines/{invoice["lines"]![0]!["id"]}");
        },
        ["openInvoiceReceivable"] = async () => await server.Admin.PostAsync($"/v1/invoice-receivables/{(await DraftInvoice())["id"]}/open"),
        ["generateInvoiceReceivableDocument"] = async () => await server.Admin.PostAsync($"/v1/invoice-receivables/{await OpenInvoiceId()}/document"),
        ["sendInvoiceReceivableEmail"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-receivables/{await OpenInvoiceId()}/send-email", new { recipients = new[] { "ar@customer.example" } }),
        ["resetInvoiceReceivable"] = async () => await server.Admin.PostAsync($"/v1/invoice-receivables/{await OpenInvoiceId()}/reset"),
        ["archiveInvoiceReceivable"] = async () => await server.Admin.PostAsync($"/v1/invoice-receivables/{(await DraftInvoice())["id"]}/archive"),
        ["unarchiveInvoiceReceivable"] = async () =>
        {
            var id = (await DraftInvoice())["id"]!.GetValue<string>();
            (await server.Admin.PostAsync($"/v1/invoice-receivables/{id}/archive")).AssertOk();
            return await server.Admin.PostAsync($"/v1/invoice-receivables/{id}/unarchive");
        },
        ["recordInvoicePayment"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-receivables/{await OpenInvoiceId()}/payments", new { paymentDate = "2026-02-10", amountInInvoiceCurrency = 500 }),
        ["listInvoiceReceivablePayments"] = async () =>
        {
            var id = await OpenInvoiceId();
            (await server.Admin.PostAsync($"/v1/invoice-receivables/{id}/payments", new { paymentDate = "2026-02-10", amountInInvoiceCurrency = 500 })).AssertOk();
            return await server.Admin.GetAsync($"/v1/invoice-receivables/{id}/payments");
        },
        ["createContract"] = async () => await server.Admin.PostAsync("/v1/contracts", new
        {
            customerId = await CustomerId(), currency = "USD", paymentType = "BANK_TRANSFER", billingStart = "2026-01-01",
            lines = new object[] { new { productId = await ProductId(), billingRecurrence = "QUARTERLY", priceOverwrite = 2500 } },
        }),
        ["getContract"] = async () => await server.Admin.GetAsync($"/v1/contracts/{(await SampleContract())["id"]}"),
        ["listContracts"] = async () => { await SampleContract(publish: true); return await server.Admin.GetAsync("/v1/contracts?limit=5"); },
        ["updateContract"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/contracts/{(await SampleContract())["id"]}", new { description = "patched", estimatedAmount = (long?)null }),
        ["deleteContract"] = async () => await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/contracts/{(await SampleContract())["id"]}"),
        ["createContractLine"] = async () =>
            await server.Admin.PostAsync($"/v1/contracts/{(await SampleContract())["id"]}/lines", new { productId = await ProductId(), billingRecurrence = "YEARLY" }),
        ["updateContractLine"] = async () =>
        {
            var contract = await SampleContract();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/contracts/{contract["id"]}/lines/{contract["lines"]![0]!["id"]}", new { quantity = 3 });
        },
        ["deleteContractLine"] = async () =>
        {
            var contract = await SampleContract();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/contracts/{contract["id"]}/lines/{contract["lines"]![0]!["id"]}");
        },
        ["publishContract"] = async () => await server.Admin.PostAsync($"/v1/contracts/{(await SampleContract())["id"]}/publish"),
        ["renewContract"] = async () =>
            await server.Admin.PostAsync($"/v1/contracts/{(await SampleContract(publish: true))["id"]}/renew", new { nextEndDate = "2027-12-31" }),
        ["terminateContract"] = async () =>
            await server.Admin.PostAsync($"/v1/contracts/{(await SampleContract(publish: true))["id"]}/terminate", new { terminationReason = "schema" }),
        ["cancelContractTermination"] = async () =>
        {
            var id = (await SampleContract(publish: true))["id"]!.GetValue<string>();
            (await server.Admin.PostAsync($"/v1/contracts/{id}/terminate", new { terminationDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30) })).AssertOk();
            return await server.Admin.PostAsync($"/v1/contracts/{id}/cancel-termination");
        },
        ["resetContract"] = async () => await server.Admin.PostAsync($"/v1/contracts/{(await SampleContract(publish: true))["id"]}/reset"),
        ["generateContractDocumentUploadUrl"] = async () =>
            await server.Admin.PostAsync($"/v1/contracts/{(await SampleContract())["id"]}/generate-document-upload-url", new { filename = "contract.pdf" }),
        ["createProduct"] = async () => await server.Admin.PostAsync("/v1/products", new { name = "Schema P", pricingType = "PACKAGE" }),
        ["listProducts"] = async () => { await ProductId(); return await server.Admin.GetAsync("/v1/products?limit=5"); },
        ["getProductById"] = async () => await server.Admin.GetAsync($"/v1/products/{await ProductId()}"),
        ["updateProduct"] = async () => await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/products/{await ProductId()}", new { name = "Renamed" }),
        ["archiveProduct"] = async () => await server.Admin.PostAsync($"/v1/products/{await ProductId()}/archive"),
        ["createCustomer"] = async () => await server.Admin.PostAsync("/v1/customers", new { name = "Schema Create", shippingAddress = new { country = "FR" } }),
        ["listCustomers"] = async () => { await CustomerId(); return await server.Admin.GetAsync("/v1/customers?limit=5"); },
        ["getCustomerById"] = async () => await server.Admin.GetAsync($"/v1/customers/{await CustomerId()}"),
        ["updateCustomer"] = async () => await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/customers/{await CustomerId()}", new { description = "patched" }),
        ["archiveCustomer"] = async () => await server.Admin.PostAsync($"/v1/customers/{await CustomerId()}/archive"),
        ["activateCustomer"] = async () =>
        {
            var id = await CustomerId();
            await server.Admin.PostAsync($"/v1/customers/{id}/archive");
            return await server.Admin.PostAsync($"/v1/customers/{id}/activate");
        },
        ["createJournalEntry"] = async () => await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-02-01", documentDate = "2026-02-01", description = "Schema JE", businessPartnerName = "Partner",
            shouldPost = true, lines = await BalancedLines(),
        }),
        ["updateJournalEntry"] = async () =>
        {
            var id = (await server.Admin.PostAsync("/v1/journal-entries", new { postingDate = "2026-02-01", lines = await BalancedLines() }))
                .AssertOk()["id"]!.GetValue<string>();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/journal-entries/{id}", new { description = "patched", valuationDate = "2026-02-03" });
        },
        ["archiveJournalEntry"] = async () => await server.Admin.PostAsync($"/v1/journal-entries/{await PostedEntryId()}/archive"),
        ["listLedgerTransactionLines"] = async () =>
        {
            await PostedEntryId();
            return await server.Admin.GetAsync("/v1/ledger-transaction-lines?limit=5&includeMaxLineAmount=true&includeCustomProperties=true");
        },
        ["listAccountingDocuments"] = async () =>
        {
            await PostedEntryId();
            return await server.Admin.GetAsync("/v1/accounting-documents/accounting-documents?sort=postingDate:desc&limit=50");
        },
        ["getCurrentCompany"] = () => server.Admin.GetAsync("/v1/companies/current"),
        ["getCompanyEntities"] = () => server.Admin.GetAsync("/v1/entities?cursor=0"),
        ["listUsers"] = () => server.Admin.GetAsync("/v1/users?includeRoles=true&includeGroups=true&includeManagers=true"),
        ["createUser"] = () => server.Admin.PostAsync("/v1/users", new
        {
            email = $"schema-{Guid.NewGuid():N}@example.com", firstName = "Schema", lastName = "User", companyEntityId = server.Company.EntityId,
            phoneNumber = new { countryCode = "DE", localNumber = "301234567" }, country = "DE", city = "Berlin", roles = new[] { "CARDHOLDER" },
        }),
        ["updateUser"] = async () => await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/users/{await SampleUserAsync()}", new { city = "Hamburg" }),
        ["updateUserStatus"] = async () => await server.Admin.PutAsync($"/v1/users/{await SampleUserAsync()}/status", new { status = "ACTIVE" }),
        ["upsertUserReimbursementConfig"] = async () => await server.Admin.PutAsync($"/v1/users/{await SampleUserAsync()}/reimbursement-config",
            new { currency = "EUR", bankCountry = "DE", bankName = "Schema Bank", bankAccountNumber = "DE89370400440532013000" }),
        ["getUserReimbursementConfig"] = async () =>
        {
            var user = await SampleUserAsync();
            (await server.Admin.PutAsync($"/v1/users/{user}/reimbursement-config", new { currency = "USD" })).AssertOk();
            return await server.Admin.GetAsync($"/v1/users/{user}/reimbursement-config");
        },
        ["getLatestReimbursement"] = async () =>
        {
            // Reimbursements come with expenses; until then one is written directly, as that feature will.
            var user = Guid.Parse(await SampleUserAsync());
            await using (var cmd = server.Db.CreateCommand(
                "INSERT INTO reimbursements (company_id, id, user_id, expense_ids, status, created_at) VALUES ($1, $2, $3, $4, 'SUCCEEDED', now())"))
            {
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = server.Company.CompanyId });
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.NewGuid() });
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user });
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { Guid.NewGuid() } });
                await cmd.ExecuteNonQueryAsync();
            }
            return await server.Admin.GetAsync($"/v1/users/{user}/reimbursements/latest");
        },
        ["getLedgerAccounts"] = () => server.Admin.GetAsync("/v1/ledger-accounts?limit=200&includeCustomProperties=true"),
        ["listVendors"] = () => server.Admin.GetAsync("/v1/vendors?limit=5"),
        ["createVendor"] = () => server.Admin.PostAsync("/v1/vendors", new
        {
            name = "Schema Vendor", email = "s@example.com", phoneNumber = new { countryCode = "US", localNumber = "555" },
            defaultCompanyEntity = new { companyEntityId = server.Company.EntityId },
        }),
        ["getVendor"] = async () =>
        {
            var id = (await server.Admin.PostAsync("/v1/vendors", new { name = "Schema Get" })).AssertOk()["vendorId"]!.GetValue<string>();
            return await server.Admin.GetAsync($"/v1/vendors/{id}");
        },
        ["updateVendor"] = async () =>
        {
            var id = (await server.Admin.PostAsync("/v1/vendors", new { name = "Schema Put" })).AssertOk()["vendorId"]!.GetValue<string>();
            return await server.Admin.PutAsync($"/v1/vendors/{id}", new { name = "Schema Put 2", country = "DE" });
        },
        ["getRate"] = () => server.Admin.GetAsync("/v1/exchange/rates/USD/JPY?date=2026-03-07"),
        ["getRates"] = () => server.Admin.GetAsync("/v1/exchange/rates/GBP?date=2025-12-31"),
        ["getBankAccountsForCompany"] = async () =>
        {
            await SampleBankAccountAsync();
            return await server.Admin.GetAsync("/v1/bank-accounts");
        },
        ["createBankAccount"] = () => server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "Schema Bank", bankProvider = "DEUTSCHE_BANK", currency = "EUR",
            bankCountry = "DE", ledgerAccount = new { code = 190_001, label = "Schema Bank EUR" },
            iban = "DE89370400440532013000", bic = "DEUTDEFFXXX", bankCity = "Frankfurt", bankState = "Hessen",
        }),
        ["listBankTransactions"] = async () =>
            await server.Admin.GetAsync($"/v1/bank-accounts/{await SampleBankAccountAsync()}/bank-transactions?limit=5&sort=amount:desc"),
        ["createBankTransactions"] = async () =>
            await server.Admin.PostAsync($"/v1/bank-accounts/{await SampleBankAccountAsync()}/bank-transactions", new
            {
                transactions = new object[]
                {
                    new { date = "2024-01-02", amount = 1_000, dcSign = "D", name = "Rent", memo = "January", reference = "R-1", transactionId = "schema-2" },
                    new { date = "2024-01-03", amount = 5, dcSign = "C" },
                },
            }),
        ["getBankAccountBalance"] = async () =>
            await server.Admin.GetAsync($"/v1/bank-accounts/{await SampleBankAccountAsync()}/balance?asOf=2024-12-31"),
        ["upsertBankAccountBalance"] = async () =>
            await server.Admin.PutAsync($"/v1/bank-accounts/{await SampleBankAccountAsync()}/balance",
                new { balance = 25_000, balanceAt = "2024-01-01T00:00:00Z" }),
        ["getBankTransaction"] = async () =>
        {
            var account = await SampleBankAccountAsync();
            var line = (await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions?limit=1")).AssertOk()["records"]![0]!;
            return await server.Admin.GetAsync($"/v1/bank-accounts/{account}/bank-transactions/{line["id"]}");
        },
        ["createPurchaseOrder"] = async () => await server.Admin.PostAsync("/v1/purchase-orders", new
        {
            vendorId = await SampleVendorAsync(), description = "Schema PO", deliveryDate = "2026-04-01", purchaseOrderDate = "2026-03-01",
            lines = new[] { new { quantity = 1.5m, unitPrice = 333, description = "chairs" } },
        }),
        ["getPurchaseOrder"] = async () => await server.Admin.GetAsync($"/v1/purchase-orders/{await SamplePurchaseOrderAsync()}"),
        ["listPurchaseOrders"] = async () =>
        {
            await SamplePurchaseOrderAsync();
            return await server.Admin.GetAsync("/v1/purchase-orders?limit=5&sort=vendorName:asc&cursor=0");
        },
        ["updatePurchaseOrder"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/purchase-orders/{await SamplePurchaseOrderAsync()}", new { description = "patched", deliveryAddress = (string?)null }),
        ["locksPurchaseOrder"] = async () => await server.Admin.PostAsync($"/v1/purchase-orders/{await SamplePurchaseOrderAsync(fresh: true)}/lock"),
        ["closePurchaseOrder"] = async () =>
        {
            var id = await SamplePurchaseOrderAsync(fresh: true);
            (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lock")).AssertOk();
            return await server.Admin.PostAsync($"/v1/purchase-orders/{id}/close");
        },
        ["cancelPurchaseOrder"] = async () => await server.Admin.PostAsync($"/v1/purchase-orders/{await SamplePurchaseOrderAsync(fresh: true)}/cancel"),
        ["resetPurchaseOrder"] = async () =>
        {
            var id = await SamplePurchaseOrderAsync(fresh: true);
            (await server.Admin.PostAsync($"/v1/purchase-orders/{id}/lock")).AssertOk();
            return await server.Admin.PostAsync($"/v1/purchase-orders/{id}/reset");
        },
        ["createPurchaseOrderLine"] = async () =>
            await server.Admin.PostAsync($"/v1/purchase-orders/{await SamplePurchaseOrderAsync()}/lines", new { quantity = 2, unitPrice = 500, description = "desk" }),
        ["bulkCreatePurchaseOrderLines"] = async () =>
            await server.Admin.PostAsync($"/v1/purchase-orders/{await SamplePurchaseOrderAsync()}/lines/bulk",
                new[] { new { quantity = 1m, unitPrice = 10 }, new { quantity = 0.25m, unitPrice = 99 } }),
        ["batchUpdatePurchaseOrderLines"] = async () =>
        {
            var id = await SamplePurchaseOrderAsync();
            var line = (await server.Admin.GetAsync($"/v1/purchase-orders/{id}")).AssertOk()["lines"]![0]!["id"]!.GetValue<string>();
            return await server.Admin.PutAsync($"/v1/purchase-orders/{id}/lines/bulk", new[] { new { lineId = line, quantity = 3m } });
        },
        ["updatePurchaseOrderLine"] = async () =>
        {
            var id = await SamplePurchaseOrderAsync();
            var line = (await server.Admin.GetAsync($"/v1/purchase-orders/{id}")).AssertOk()["lines"]![0]!["id"]!.GetValue<string>();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/purchase-orders/{id}/lines/{line}", new { unitPrice = 400 });
        },
        ["deletePurchaseOrderLine"] = async () =>
        {
            var id = await SamplePurchaseOrderAsync(fresh: true);
            var line = (await server.Admin.GetAsync($"/v1/purchase-orders/{id}")).AssertOk()["lines"]![0]!["id"]!.GetValue<string>();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/purchase-orders/{id}/lines/{line}");
        },
        ["createAttachmentUploadUrl"] = () => server.Admin.PostAsync("/v1/attachments/upload-url",
            new { resourceId = Guid.NewGuid(), fileName = "schema.pdf", contentType = "application/pdf" }),
        ["createAttachment"] = async () => await SampleAttachmentAsync(),
        ["generateUploadUrl"] = async () =>
            await (await SampleEmployeeAsync()).Api.PostAsync("/v1/expenses/upload-url", new { filename = "receipt.txt", contentType = "text/plain" }),
        ["listExpenses"] = async () =>
        {
            var employee = await SampleEmployeeAsync();
            await SampleExpenseAsync();
            return await employee.Api.GetAsync("/v1/expenses?limit=5&sort=performedDate:desc");
        },
        ["getExpense"] = async () => await (await SampleEmployeeAsync()).Api.GetAsync($"/v1/expenses/{await SampleExpenseAsync()}"),
        ["updateExpense"] = async () => await (await SampleEmployeeAsync()).Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{await SampleExpenseAsync()}",
            new { originalCurrency = "EUR", performedDate = "2026-01-15" }),
        ["createExpenseLineItem"] = async () => await (await SampleEmployeeAsync()).Api.PostAsync($"/v1/expenses/{await SampleExpenseAsync()}/line-items",
            new { originalAmount = 1_000, description = "Taxi" }),
        ["updateExpenseLineItem"] = async () =>
        {
            var (api, id) = ((await SampleEmployeeAsync()).Api, await SampleExpenseAsync());
            var line = (await api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 500 })).AssertOk()["id"];
            return await api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}/line-items/{line}", new { billingAmount = 600, description = (string?)null });
        },
        ["deleteExpenseLineItem"] = async () =>
        {
            var (api, id) = ((await SampleEmployeeAsync()).Api, await SampleExpenseAsync());
            var line = (await api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 1 })).AssertOk()["id"];
            return await api.SendAsync(HttpMethod.Delete, $"/v1/expenses/{id}/line-items/{line}");
        },
        ["cancelExpense"] = async () => await (await SampleEmployeeAsync()).Api.PostAsync($"/v1/expenses/{await SampleExpenseAsync(fresh: true)}/cancel"),
        ["getAttachedDocument_1"] = async () =>
        {
            // A 302 to a signed URL; follow it as a client does. The sample receipt holds JSON so the body parses.
            var api = (await SampleEmployeeAsync()).Api;
            var redirect = await api.GetAsync($"/v1/expenses/{await SampleExpenseAsync()}/document");
            Assert.Equal(302, redirect.Code);
            return await api.GetAsync(redirect.Headers.Location!.ToString());
        },
        ["submitReimbursement"] = async () =>
        {
            var employee = await Spend.Expenses.ExpenseKit.EmployeeAsync(server, server.Company, "USD");
            var id = (await SampleExpenseAsync(fresh: true, employee))!;
            (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { performedDate = "2026-01-05" })).AssertOk();
            (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 700 })).AssertOk();
            return await employee.Api.PostAsync("/v1/expenses/submit");
        },
        ["getAttachments"] = async () =>
        {
            var attachment = await SampleAttachmentAsync();
            return await server.Admin.GetAsync($"/v1/attachments?resourceId={attachment.Json["resourceId"]}");
        },
        ["deleteAttachment"] = async () => await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/attachments/{(await SampleAttachmentAsync()).Json["id"]}"),
        ["getAttachmentDocument"] = async () =>
        {
            // A 302 to a signed URL; follow it as a client does. The sample file holds JSON so the body parses.
            var redirect = await server.Admin.GetAsync($"/v1/attachments/{(await SampleAttachmentAsync()).Json["id"]}/document");
            Assert.Equal(302, redirect.Code);
            return await server.Admin.GetAsync(redirect.Headers.Location!.ToString());
        },
        ["listPaginatedCustomPropertyGroups"] = async () =>
        {
            await SampleValueAsync();
            return await server.Admin.GetAsync("/v1/custom-properties/groups?includeValues=true&cursor=0");
        },
        ["getCustomPropertyGroupById"] = async () => await server.Admin.GetAsync($"/v1/custom-properties/groups/{(await SampleValueAsync()).Group}"),
        ["listPaginatedCustomPropertyValues"] = async () =>
            await server.Admin.GetAsync($"/v1/custom-properties/groups/{(await SampleValueAsync()).Group}/values?sort=label:asc"),
        ["createCustomPropertyValue"] = async () => await server.Admin.PostAsync(
            $"/v1/custom-properties/groups/{(await SampleValueAsync()).Group}/values", new { internalName = $"v{Guid.NewGuid():N}", label = "Created", context = "c" }),
        ["getCustomPropertyValueById"] = async () =>
        {
            var (group, value) = await SampleValueAsync();
            return await server.Admin.GetAsync($"/v1/custom-properties/groups/{group}/values/{value}");
        },
        ["updateCustomPropertyValue"] = async () =>
        {
            var (group, value) = await SampleValueAsync();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/custom-properties/groups/{group}/values/{value}", new { label = "Patched" });
        },
        ["deleteCustomPropertyValue"] = async () =>
        {
            var group = (await SampleValueAsync()).Group;
            var value = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = $"d{Guid.NewGuid():N}", label = "Doomed" }))
                .AssertOk()["id"]!.GetValue<string>();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/custom-properties/groups/{group}/values/{value}");
        },
        ["listUserComments"] = async () =>
        {
            var comment = (await server.Admin.PostAsync("/v1/user-comments", new { resourceId = Guid.NewGuid(), content = "listed" })).AssertOk();
            return await server.Admin.GetAsync($"/v1/user-comments?resourceId={comment["resourceId"]}&cursor=0");
        },
        ["createUserComment"] = () => server.Admin.PostAsync("/v1/user-comments", new { resourceId = Guid.NewGuid(), content = "Schema comment" }),
        ["updateUserComment"] = async () =>
        {
            var id = (await server.Admin.PostAsync("/v1/user-comments", new { resourceId = Guid.NewGuid(), content = "before" })).AssertOk()["id"];
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/user-comments/{id}", new { content = "after" });
        },
        ["deleteUserComment"] = async () =>
        {
            var id = (await server.Admin.PostAsync("/v1/user-comments", new { resourceId = Guid.NewGuid(), content = "doomed" })).AssertOk()["id"];
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/user-comments/{id}");
        },
        ["createInvoicePayableDetails"] = async () => await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            vendorId = await SampleVendorAsync(), currency = "USD", processingMode = "DATA_ONLY", invoiceNumber = $"S-{Guid.NewGuid():N}",
            issuedDate = "2026-02-01", dueDate = "2026-03-01", description = "Schema bill", lineItems = new[] { new { netAmount = 1000, description = "l" } },
        }),
        ["getInvoicePayableDetails"] = async () =>
            await server.Admin.GetAsync($"/v1/invoice-payables/{await SampleBillAsync(post: true)}?includeOutstandingBalance=true"),
        ["updateInvoicePayable"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{await SampleBillAsync()}", new { description = "patched", dueDate = (string?)null }),
        ["listInvoicePayables"] = async () => { await SampleBillAsync(); return await server.Admin.GetAsync("/v1/bff/invoice-payables?limit=5"); },
        ["createInvoicePayableLineItem"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync()}/line-items", new { netAmount = 10, taxAmount = 2 }),
        ["getInvoicePayableLineItem"] = async () =>
        {
            var bill = await SampleBillAsync();
            var line = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk()["lineItems"]![0]!["id"]!.GetValue<string>();
            return await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/line-items/{line}");
        },
        ["updateInvoicePayableLineItem"] = async () =>
        {
            var bill = await SampleBillAsync();
            var line = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk()["lineItems"]![0]!["id"]!.GetValue<string>();
            return await server.Admin.PutAsync($"/v1/invoice-payables/{bill}/line-items/{line}", new { netAmount = 30, description = "put" });
        },
        ["deleteInvoicePayableLineItem"] = async () =>
        {
            var bill = await SampleBillAsync();
            var line = (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/line-items", new { netAmount = 1 })).AssertOk()["id"]!.GetValue<string>();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/invoice-payables/{bill}/line-items/{line}");
        },
        ["submitInvoicePayableForApproval"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync()}/submit-for-approval", new { closePurchaseOrder = false }),
        ["approveInvoicePayable"] = async () => await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync()}/approve", new { note = "ok" }),
        ["declineInvoicePayable"] = async () =>
        {
            var bill = await SampleBillAsync();
            (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/submit-for-approval")).AssertOk();
            return await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/decline", new { note = "no" });
        },
        ["postInvoicePayable"] = async () => await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync()}/post"),
        ["markInvoicePayableAsPaid"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync(post: true)}/mark-as-paid",
                new { paymentOption = "PARTIAL", amount = 100, bankAccountId = await SampleBankAccountAsync(), comment = "first" }),
        ["listInvoicePayablePayments"] = async () =>
        {
            var bill = await SampleBillAsync(post: true);
            (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk();
            return await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments");
        },
        ["reverseInvoicePayableClearing"] = async () =>
        {
            var bill = await SampleBillAsync(post: true);
            (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk();
            var doc = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments")).AssertOk()[0]!["accountingDocumentId"]!.GetValue<string>();
            return await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/reverse-clearing",
                new { clearingAccountingDocumentId = doc, clearingType = "BP", shouldArchiveClearingDocument = true });
        },
        ["cancelInvoicePayable"] = async () => await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync()}/cancel", new { reason = "test" }),
        ["getLinkedCreditNotes"] = async () =>
        {
            var bill = await SampleBillAsync(post: true);
            (await server.Admin.PostAsync($"/v1/credit-notes/{await SampleCreditNoteAsync(post: true)}/invoice-payables/{bill}", new { amount = 100 })).AssertOk();
            return await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/credit-notes");
        },
        ["createCreditNote"] = async () => await server.Admin.PostAsync("/v1/credit-notes", new
        {
            businessPartnerId = await SampleVendorAsync(), currency = "USD", documentDate = "2026-02-02", areLinesWithTax = false,
            documentNumber = $"CN-{Guid.NewGuid():N}", lines = new[] { new { netTransactionAmount = new { amount = 300, dcSign = "C" }, description = "refund" } },
        }),
        ["listCreditNotes"] = async () => { await SampleCreditNoteAsync(); return await server.Admin.GetAsync("/v1/credit-notes?limit=5&sort=documentDate:desc"); },
        ["getCreditNote"] = async () => await server.Admin.GetAsync($"/v1/credit-notes/{await SampleCreditNoteAsync()}"),
        ["updateCreditNote"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{await SampleCreditNoteAsync()}", new { description = "patched" }),
        ["createCreditNoteLine"] = async () => await server.Admin.PostAsync($"/v1/credit-notes/{await SampleCreditNoteAsync()}/lines",
            new { netTransactionAmount = new { amount = 50, dcSign = "C" } }),
        ["updateCreditNoteLine"] = async () =>
        {
            var note = (await server.Admin.GetAsync($"/v1/credit-notes/{await SampleCreditNoteAsync()}")).AssertOk();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{note["id"]}/lines/{note["lines"]![0]!["id"]}",
                new { netTransactionAmount = new { amount = 70, dcSign = "C" } });
        },
        ["deleteCreditNoteLine"] = async () =>
        {
            var note = (await server.Admin.GetAsync($"/v1/credit-notes/{await SampleCreditNoteAsync()}")).AssertOk();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{note["id"]}/lines/{note["lines"]![0]!["id"]}");
        },
        ["createCreditNoteFromInvoicePayable"] = async () =>
            await server.Admin.PostAsync($"/v1/credit-notes/create-from-invoice-payable/{await SampleBillAsync()}"),
        ["postCreditNote"] = async () => await server.Admin.PostAsync($"/v1/credit-notes/{await SampleCreditNoteAsync()}/post"),
        ["archiveCreditNote"] = async () => await server.Admin.PostAsync($"/v1/credit-notes/{await SampleCreditNoteAsync(post: true)}/archive"),
        ["getLinkedInvoicePayables"] = async () =>
        {
            var note = await SampleCreditNoteAsync(post: true);
            (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{await SampleBillAsync()}", new { amount = 100 })).AssertOk();
            return await server.Admin.GetAsync($"/v1/credit-notes/{note}/invoice-payables");
        },
        ["linkCreditNoteToInvoicePayable"] = async () =>
            await server.Admin.PostAsync($"/v1/credit-notes/{await SampleCreditNoteAsync(post: true)}/invoice-payables/{await SampleBillAsync(post: true)}", new { amount = 100 }),
        ["updateLinkedInvoicePayable"] = async () =>
        {
            var (note, bill) = (await SampleCreditNoteAsync(post: true), await SampleBillAsync(post: true));
            (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 100 })).AssertOk();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 200 });
        },
        ["unlinkFromInvoicePayable"] = async () =>
        {
            var (note, bill) = (await SampleCreditNoteAsync(post: true), await SampleBillAsync(post: true));
            (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 100 })).AssertOk();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{note}/invoice-payables/{bill}");
        },
        ["getAttachedDocument"] = async () =>
        {
            var note = await SampleCreditNoteAsync();
            await Payables.CreditNotes.CreditNoteKit.AttachDocumentAsync(server, note, "{\"sample\":true}");
            var redirect = await server.Admin.GetAsync($"/v1/credit-notes/{note}/document");
            Assert.Equal(302, redirect.Code);
            return await server.Admin.GetAsync(redirect.Headers.Location!.IsAbsoluteUri ? redirect.Headers.Location.PathAndQuery : redirect.Headers.Location.ToString());
        },
        ["getInvoicePayableApprovals"] = async () =>
        {
            var bill = await SampleBillAsync();
            (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/approve")).AssertOk();
            return await server.Admin.GetAsync($"/v1/invoice-approval?invoicePayableId={bill}");
        },
        ["createInvoicePayableDocumentUploadUrl"] = async () =>
            await server.Admin.PostAsync($"/v1/invoice-payables/{await SampleBillAsync()}/document/upload-url", new { documentName = "bill.pdf", contentType = "application/pdf" }),
        ["getInvoicePayableDocument"] = async () =>
        {
            // A 302 to a signed URL; follow it as a client does. The sample file holds JSON so the body parses.
            var bill = await SampleBillAsync();
            var grant = (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/document/upload-url", new { contentType = "text/plain" })).AssertOk();
            await Documents.AttachmentTests.PutFileAsync(grant["uploadUrl"]!.GetValue<string>(), "{\"bill\":true}"u8.ToArray(), "text/plain");
            var redirect = await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/document");
            Assert.Equal(302, redirect.Code);
            return await server.Admin.GetAsync(redirect.Headers.Location!.ToString());
        },
        ["updateInvoicePayableCustomProperties"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{await SampleBillAsync()}/custom-properties", new { customProperties = Array.Empty<object>() }),
        ["listCardBalanceAccounts"] = async () => await server.Admin.GetAsync("/v1/card-balance-accounts?limit=5&sort=createdAt:desc&cursor=0"),
        ["getCardBalanceAccount"] = async () => await server.Admin.GetAsync($"/v1/card-balance-accounts/{await SampleCardAccountAsync()}"),
        ["getCardBalanceAccountTotalSpend"] = async () =>
            await server.Admin.GetAsync($"/v1/card-balance-accounts/{await SampleCardAccountAsync()}/total-spend?from=2026-01-01&to=2026-12-31"),
        ["generateCardBalanceAccountStatement"] = async () =>
            await server.Admin.GetAsync($"/v1/card-balance-accounts/{await SampleCardAccountAsync()}/statement?from=2020-01-01&to=2030-12-31"),
        ["createCard"] = async () => await server.Admin.PostAsync("/v1/cards", new
        {
            balanceAccountId = await SampleCardAccountAsync(), ownerId = await SampleUserAsync(), metadata = new { type = "VENDOR", vendorId = await SampleVendorAsync() },
            formFactor = "PHYSICAL", authentication = new { email = "cards@example.com", phoneNumber = new { countryCode = "DE", localNumber = "1701234567" } },
            limits = new[] { new { amount = 50_000L, currency = "USD", interval = "MONTHLY" } },
            deliveryContact = new
            {
                address = new { street = "Main St", houseNumberOrName = "1", city = "Berlin", postalCode = "10115", country = "DE" },
                name = new { firstName = "Sam", lastName = "Ple" },
            },
        }),
        ["listCards"] = async () => { await SampleCardAsync(); return await server.Admin.GetAsync("/v1/cards?limit=5&sort=createdAt:desc"); },
        ["getCard"] = async () => await server.Admin.GetAsync($"/v1/cards/{await SampleCardAsync()}"),
        ["freezeCard"] = async () => await server.Admin.PostAsync($"/v1/cards/{await SampleCardAsync()}/freeze"),
        ["unfreezeCard"] = async () => await server.Admin.PostAsync($"/v1/cards/{await SampleCardAsync()}/unfreeze"),
        ["getAttachmentDocumentOptions"] = async () => await server.Admin.SendAsync(HttpMethod.Options, $"/v1/attachments/{Guid.NewGuid()}/document"),
        ["getCardTransactionReceiptOptions"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Options, $"/v1/card-transactions/{await SampleCardTransactionAsync()}/receipt"),
        ["getPublicKey"] = async () => await server.Admin.GetAsync($"/v1/card-customers/public-key?companyEntityId={server.Company.EntityId}"),
        ["listCardTransactions"] = async () =>
        {
            await SampleCardTransactionAsync();
            return await server.Admin.GetAsync("/v1/card-transactions?limit=5&sort=performedAt:desc&cursor=0&filter=status:in:CAPTURED|POSTED");
        },
        ["getCardTransaction"] = async () => await server.Admin.GetAsync($"/v1/card-transactions/{await SampleCardTransactionAsync()}"),
        ["updateCardTransaction"] = async () =>
            await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/card-transactions/{await SampleCardTransactionAsync()}", new { description = "Team lunch" }),
        ["updateCardTransactionLine"] = async () =>
        {
            var id = await SampleCardTransactionAsync();
            var line = (await server.Admin.GetAsync($"/v1/card-transactions/{id}")).AssertOk()["lines"]![0]!["id"]!.GetValue<string>();
            var tax = (await server.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray()[0]!["id"]!.GetValue<string>();
            return await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/card-transactions/{id}/lines/{line}",
                new { accountId = await AccountId(6300), taxCodeId = tax, description = "Meals", costCenterId = (string?)null });
        },
        ["batchUpdateCardTransactions"] = async () => await server.Admin.SendAsync(HttpMethod.Patch, "/v1/card-transactions/batch-update",
            new[] { new { cardTransactionId = await SampleCardTransactionAsync(), description = "Batch", postingDate = "2026-02-02" } }),
        ["generateUploadUrlForCardTransaction"] = async () => await server.Admin.PostAsync(
            $"/v1/card-transactions/{await SampleCardTransactionAsync()}/receipt-upload-url", new { filename = "receipt.pdf", contentType = "application/pdf" }),
        ["getAttachedCardTransactionReceiptDocument"] = async () =>
        {
            // A 302 to a signed URL; follow it as a client does. The sample file holds JSON so the body parses.
            var id = await SampleCardTransactionAsync();
            var grant = (await server.Admin.PostAsync($"/v1/card-transactions/{id}/receipt-upload-url", new { contentType = "text/plain" })).AssertOk();
            await Documents.AttachmentTests.PutFileAsync(grant["uploadUrl"]!.GetValue<string>(), "{\"receipt\":true}"u8.ToArray(), "text/plain");
            var redirect = await server.Admin.GetAsync($"/v1/card-transactions/{id}/receipt");
            Assert.Equal(302, redirect.Code);
            return await server.Admin.GetAsync(redirect.Headers.Location!.ToString());
        },
        ["removeReceipt"] = async () =>
        {
            var id = await SampleCardTransactionAsync();
            (await server.Admin.PostAsync($"/v1/card-transactions/{id}/receipt-upload-url", new { contentType = "application/pdf" })).AssertOk();
            return await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/card-transactions/{id}/receipt");
        },
        ["postCardTransaction"] = async () => await server.Admin.PostAsync($"/v1/card-transactions/{await SampleCardTransactionAsync()}/post"),
        ["resetCardTransaction"] = async () =>
        {
            var id = await SampleCardTransactionAsync();
            (await server.Admin.PostAsync($"/v1/card-transactions/{id}/post")).AssertOk();
            return await server.Admin.PostAsync($"/v1/card-transactions/{id}/reset");
        },
    };

    /// <summary>A fresh captured payment of 1.00 on the sample card, for the card transaction samples.</summary>
    async Task<string> SampleCardTransactionAsync()
    {
        var auth = await Spend.SpendKit.AuthorizeAsync(server, server.Company, await SampleCardAsync(), 100);
        return (await Spend.SpendKit.SettleAsync(server, server.Company, "CAPTURE", auth["id"]!.GetValue<string>()))["id"]!.GetValue<string>();
    }

    string? _sampleCardAccount, _sampleCard;

    /// <summary>The company's primary card balance account, funded once and with one authorization on its card.</summary>
    async Task<string> SampleCardAccountAsync()
    {
        if (_sampleCardAccount is not null) return _sampleCardAccount;
        var account = (await server.Admin.GetAsync("/v1/card-balance-accounts")).AssertOk()["records"]![0]!["id"]!.GetValue<string>();
        (await server.Admin.PostAsync($"/v1/card-balance-accounts/{account}/fundings", new { bankAccountId = await SampleBankAccountAsync(), amount = 10_000 })).AssertOk();
        _sampleCardAccount = account;
        var card = await SampleCardAsync();
        await Spend.SpendKit.AuthorizeAsync(server, server.Company, card, 1_000);
        return account;
    }

    async Task<string> SampleCardAsync() => _sampleCard ??=
        (await Spend.SpendKit.CardAsync(server.Company, await SampleCardAccountAsync(), await SampleUserAsync(),
            [new { amount = 5_000, interval = "WEEKLY" }]))["id"]!.GetValue<string>();

    string? _sampleVendor, _samplePurchaseOrder;

    /// <summary>A fresh draft bill with one line (posted when asked), for the Invoice Payables samples.</summary>
    async Task<string> SampleCreditNoteAsync(bool post = false)
    {
        var id = (await server.Admin.PostAsync("/v1/credit-notes", new
        {
            businessPartnerId = await SampleVendorAsync(), currency = "USD", documentDate = "2026-02-02",
            lines = new[] { new { netTransactionAmount = new { amount = 300, dcSign = "C" } } },
        })).AssertOk()["id"]!.GetValue<string>();
        if (post) (await server.Admin.PostAsync($"/v1/credit-notes/{id}/post")).AssertOk();
        return id;
    }

    async Task<string> SampleBillAsync(bool post = false)
    {
        var id = (await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            vendorId = await SampleVendorAsync(), invoiceNumber = $"S-{Guid.NewGuid():N}", issuedDate = "2026-02-01",
            lineItems = new[] { new { netAmount = 1000 } },
        })).AssertOk()["id"]!.GetValue<string>();
        if (post) (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertOk();
        return id;
    }


    async Task<string> SampleVendorAsync() => _sampleVendor ??=
        (await server.Admin.PostAsync("/v1/vendors", new { name = "Schema PO Vendor", email = "po@example.com" })).AssertOk()["vendorId"]!.GetValue<string>();

    /// <summary>A draft purchase order with a line; shared unless <paramref name="fresh"/> (state-changing samples).</summary>
    async Task<string> SamplePurchaseOrderAsync(bool fresh = false)
    {
        if (!fresh && _samplePurchaseOrder is not null) return _samplePurchaseOrder;
        var id = (await server.Admin.PostAsync("/v1/purchase-orders", new
        {
            vendorId = await SampleVendorAsync(), lines = new[] { new { quantity = 2m, unitPrice = 1_000 } },
        })).AssertOk()["id"]!.GetValue<string>();
        if (!fresh) _samplePurchaseOrder = id;
        return id;
    }

    (string Group, string Value)? _sampleValue;

    /// <summary>A SINGLE_SELECT group for vendors with one value, shared by the custom property samples.</summary>
    async Task<(string Group, string Value)> SampleValueAsync()
    {
        if (_sampleValue is { } done) return done;
        var group = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = "schema_cost_center", label = "Cost center", inputType = "SINGLE_SELECT", objectTypes = new[] { "VENDOR" }, context = "c",
        })).AssertOk()["id"]!.GetValue<string>();
        var value = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "ops", label = "Operations" }))
            .AssertOk()["id"]!.GetValue<string>();
        return (_sampleValue = (group, value)).Value;
    }

    /// <summary>Uploads a small text file through a signed URL and attaches it to a fresh resource id.</summary>
    async Task<ApiResponse> SampleAttachmentAsync()
    {
        var resourceId = Guid.NewGuid();
        var url = (await server.Admin.PostAsync("/v1/attachments/upload-url", new { resourceId, contentType = "text/plain" })).AssertOk();
        var put = await Documents.AttachmentTests.PutFileAsync(url["uploadUrl"]!.GetValue<string>(), "{\"sample\":true}"u8.ToArray(), "text/plain");
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        return await server.Admin.PostAsync("/v1/attachments",
            new { resourceId, documentKey = url["key"]!.GetValue<string>(), fileName = "schema.txt", contentType = "text/plain" });
    }

    Spend.Expenses.Employee? _sampleEmployee;
    string? _sampleExpense;

    /// <summary>A user of the sample company with an API key bound to them (expenses belong to the user behind the key).</summary>
    async Task<Spend.Expenses.Employee> SampleEmployeeAsync() =>
        _sampleEmployee ??= await Spend.Expenses.ExpenseKit.EmployeeAsync(server, server.Company, "USD");

    /// <summary>An expense made by uploading a receipt through its signed URL (a small JSON text file, so its download parses).</summary>
    async Task<string> SampleExpenseAsync(bool fresh = false, Spend.Expenses.Employee? employee = null)
    {
        if (!fresh && employee is null && _sampleExpense is not null) return _sampleExpense;
        var api = (employee ?? await SampleEmployeeAsync()).Api;
        var url = await Spend.Expenses.ExpenseKit.UploadAsync(api, "{\"receipt\":true}"u8.ToArray(), "text/plain");
        var id = url["metadata"]!["expenseId"]!.GetValue<string>();
        if (!fresh && employee is null) _sampleExpense = id;
        return id;
    }

    async Task<string> SampleUserAsync() =>
        (await server.Admin.PostAsync("/v1/users", new { email = $"sample-{Guid.NewGuid():N}@example.com", firstName = "Sample" }))
        .AssertOk()["id"]!.GetValue<string>();

    string? _sampleBankAccount;

    /// <summary>One bank account with an opening balance and a line, shared by the Banking samples.</summary>
    async Task<string> SampleBankAccountAsync()
    {
        if (_sampleBankAccount is not null) return _sampleBankAccount;
        var account = (await server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "Schema Sample", bankProvider = "OTHER", currency = "USD",
            bankCountry = "US", ledgerAccount = new { code = 190_000 },
        })).AssertOk()["id"]!.GetValue<string>();
        (await server.Admin.PutAsync($"/v1/bank-accounts/{account}/balance", new { balance = 1_000 })).AssertOk();
        (await server.Admin.PostAsync($"/v1/bank-accounts/{account}/bank-transactions",
            new { transactions = new[] { new { date = "2024-01-01", amount = 250, dcSign = "C", transactionId = "schema-1" } } })).AssertOk();
        return _sampleBankAccount = account;
    }

    [Fact]
    public async Task Every_implemented_operation_answers_with_a_schema_valid_body()
    {
        var implemented = Implemented();
        var samples = Samples();
        var missing = implemented.Where(o => !samples.ContainsKey(o.OperationId)).Select(o => o.OperationId).ToList();
        Assert.True(missing.Count == 0, $"implemented operations without a conformance sample: {string.Join(", ", missing)}");

        foreach (var op in implemented)
        {
            var response = await samples[op.OperationId]();
            Assert.True(response.Code == 200, $"{op.OperationId}: {response.Code} {response.Body}");
            // Light's document gives the authorize operation no schema: it answers the sign-in page (HTML), not JSON.
            if (response.Header("Content-Type")?.StartsWith("text/html") == true)
            {
                Assert.Contains("<form", response.Body);
                continue;
            }
            var check = await SchemaValidator.ValidateAsync(op.Method, ConcretePath(op.Path), response.Json);
            Assert.True(check.Ok, $"{op.OperationId}: {string.Join("; ", check.Errors)}");
        }
    }

    static string ConcretePath(string template) => System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", Guid.Empty.ToString());

    [Fact]
    public void Coverage_of_lights_operations_is_reported()
    {
        var all = SpecOperations();
        var implemented = Implemented();
        output.WriteLine($"Light API coverage: {implemented.Count}/{all.Count} operations implemented");
        output.WriteLine("Implemented: " + string.Join(", ", implemented.Select(o => o.OperationId)));
        output.WriteLine("Not yet: " + string.Join(", ", all.Except(implemented).Select(o => o.OperationId)));
        Console.WriteLine($"Light API coverage: {implemented.Count}/{all.Count} operations implemented");
        Assert.Equal(183, all.Count); // 181 plus the two download paths' OPTIONS (CORS preflight) operations
        Assert.True(implemented.Count >= 8, $"only {implemented.Count} operations implemented");
    }

    [Fact]
    public async Task Published_document_lists_exactly_the_implemented_operations()
    {
        var published = (await server.Anonymous.GetAsync("/openapi.json")).Json;
        var operations = published["paths"]!.AsObject()
            .SelectMany(p => Methods.Where(m => p.Value![m] is not null).Select(m => (Method: m.ToUpperInvariant(), Path: p.Key, Op: p.Value![m]!)))
            .ToList();
        var listed = operations.Where(o => o.Op["x-ledgerlight-extension"] is null).Select(o => (o.Method, o.Path)).ToHashSet();
        var extensions = operations.Where(o => o.Op["x-ledgerlight-extension"] is not null).ToList();
        Assert.Contains(extensions, o => o.Path == "/v1/reports/trial-balance");
        Assert.All(extensions, o => Assert.Equal("Ledgerlight extensions", o.Op["tags"]![0]!.GetValue<string>()));
        var implemented = Implemented().Select(o => (o.Method, o.Path)).ToHashSet();
        Assert.Equal(implemented.OrderBy(x => x.ToString()), listed.OrderBy(x => x.ToString()));
        Assert.NotNull(published["components"]!["schemas"]!["ExternalVendorV1Model"]);
    }

    [Fact]
    public async Task Docs_page_is_served()
    {
        var docs = await server.Anonymous.GetAsync("/docs/index.html");
        Assert.Equal(200, docs.Code);
        Assert.Contains("swagger", docs.Body, StringComparison.OrdinalIgnoreCase);
    }
}
