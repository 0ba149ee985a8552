using System.Text.Json.Nodes;
using Ledgerlight.Receivables.Contracts;
using Ledgerlight.Storage.Jobs;
using Ledgerlight.Tests.Cli;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Receivables.Contracts;

public class ContractTests(ApiServer server) : IClassFixture<ApiServer>
{
    static string Id(JsonNode node) => node["id"]!.GetValue<string>();
    static string Str(JsonNode node, string field) => node[field]!.GetValue<string>();

    static async Task<string> Customer(ApiClient api) =>
        Id((await api.PostAsync("/v1/customers", new { name = "Contract Customer", email = "billing@customer.example" })).AssertOk());

    static async Task<string> Product(ApiClient api, long price = 10_000, string currency = "USD") =>
        Id((await api.PostAsync("/v1/products", new { name = $"Subscription {price}", pricings = new[] { new { currency, amount = price } } })).AssertOk());

    /// <summary>A published (ACTIVE) contract with one line of the given recurrence.</summary>
    static async Task<(string Contract, string Line)> ActiveContract(ApiClient api, string recurrence, string billingStart = "2026-01-15",
        string? endDate = null)
    {
        var contract = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), startDate = billingStart, endDate, description = "Support plan", areLinesWithTax = false,
            lines = new[] { new { productId = await Product(api), billingRecurrence = recurrence, billingStart, quantity = 1 } },
        })).AssertOk();
        Assert.Equal("CREATED", Str(contract, "state"));
        Assert.Equal("ACTIVE", Str((await api.PostAsync($"/v1/contracts/{Id(contract)}/publish")).AssertOk(), "state"));
        return (Id(contract), Id(contract["lines"]![0]!));
    }

    static async Task<int> Bill(ApiClient api, string date) =>
        (await api.PostAsync("/v1/contracts/billing-runs", new { date })).AssertOk()["invoicesCreated"]!.GetValue<int>();

    static async Task<JsonArray> Invoices(ApiClient api, string contractId) =>
        (await api.GetAsync($"/v1/invoice-receivables?filter=contractId:eq:{contractId}&limit=200")).AssertOk()["records"]!.AsArray();

    [Fact]
    public async Task Monthly_line_from_jan_15_billed_through_december_yields_12_draft_invoices_exactly_once()
    {
        var api = (await server.CreateTenantAsync("Monthly Billing Co", "USD")).Admin;
        var (contract, _) = await ActiveContract(api, "MONTHLY");

        Assert.Equal(12, await Bill(api, "2026-12-31"));
        var invoices = await Invoices(api, contract);
        Assert.Equal(12, invoices.Count);
        Assert.All(invoices, i => Assert.Equal("DRAFT", Str(i!, "state")));
        Assert.All(invoices, i => Assert.Equal(10_000, i!["amount"]!.GetValue<long>()));
        Assert.Equal(Enumerable.Range(1, 12).Select(m => $"2026-{m:00}-15").ToArray(),
            invoices.Select(i => Str(i!, "invoiceDate")).Order().ToArray());
        var one = (await api.GetAsync($"/v1/invoice-receivables/{Id(invoices[0]!)}")).AssertOk();
        Assert.Equal(contract, Str(one, "contractId"));
        var line = one["lines"]![0]!;
        Assert.Equal(DateOnly.Parse(Str(line, "billingStart")).AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd"), Str(line, "billingEnd"));

        Assert.Equal(0, await Bill(api, "2026-12-31"));
        Assert.Equal(0, await Bill(api, "2026-06-30"));
        Assert.Equal(12, (await Invoices(api, contract)).Count);
        Assert.Equal(1, await Bill(api, "2027-01-15"));
    }

    [Theory]
    [InlineData("QUARTERLY", 4)]
    [InlineData("HALF_YEARLY", 2)]
    [InlineData("YEARLY", 1)]
    [InlineData("ONE_TIME", 1)]
    public async Task Recurrences_bill_the_right_number_of_periods(string recurrence, int expected)
    {
        var api = (await server.CreateTenantAsync($"{recurrence} Co", "USD")).Admin;
        var (contract, _) = await ActiveContract(api, recurrence);
        Assert.Equal(expected, await Bill(api, "2026-12-31"));
        Assert.Equal(expected, (await Invoices(api, contract)).Count);
        Assert.Equal(0, await Bill(api, "2026-12-31"));
    }

    [Fact]
    public async Task Terminated_contracts_stop_billing_after_their_end_and_created_ones_never_bill()
    {
        var api = (await server.CreateTenantAsync("Termination Co", "USD")).Admin;
        var (contract, _) = await ActiveContract(api, "MONTHLY");
        var terminated = (await api.PostAsync($"/v1/contracts/{contract}/terminate", new { terminationDate = "2026-06-30", terminationReason = "churn" })).AssertOk();
        Assert.Equal("2026-06-30", Str(terminated, "endDate"));
        Assert.Equal(6, await Bill(api, "2026-12-31"));
        Assert.Equal("TERMINATED", Str((await api.GetAsync($"/v1/contracts/{contract}")).AssertOk(), "state"));

        // a contract ending by its end date bills up to it
        var (ending, _) = await ActiveContract(api, "MONTHLY", endDate: "2026-03-31");
        Assert.Equal(3, (await api.PostAsync("/v1/contracts/billing-runs", new { date = "2026-12-31" })).AssertOk()["invoicesCreated"]!.GetValue<int>());
        Assert.Equal(3, (await Invoices(api, ending)).Count);

        // CREATED (unpublished) contracts are not billed
        var draft = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), lines = new[] { new { productId = await Product(api), billingRecurrence = "MONTHLY", billingStart = "2026-01-01" } },
        })).AssertOk();
        Assert.Equal(0, await Bill(api, "2026-12-31"));
        Assert.Empty(await Invoices(api, Id(draft)));
    }

    [Fact]
    public async Task Concurrent_billing_runs_create_each_period_exactly_once()
    {
        var tenant = await server.CreateTenantAsync("Concurrent Billing Co", "USD");
        var api = tenant.Admin;
        var contracts = new List<string>();
        for (var i = 0; i < 3; i++) contracts.Add((await ActiveContract(api, "MONTHLY")).Contract);

        // two server instances share one database: the same (line, period) key decides, whichever run gets there first
        var billing = (ContractBilling)server.Services.GetService(typeof(ContractBilling))!;
        var runs = await Task.WhenAll(
            Task.Run(() => Bill(api, "2026-12-31")),
            Task.Run(() => Bill(api, "2026-12-31")),
            Task.Run(async () => (await billing.RunAsync(new DateOnly(2026, 12, 31), tenant.CompanyId)).InvoicesCreated));
        Assert.Equal(36, runs.Sum());
        foreach (var contract in contracts) Assert.Equal(12, (await Invoices(api, contract)).Count);
    }

    [Fact]
    public async Task A_run_waits_on_a_period_another_instance_is_billing_and_then_skips_it()
    {
        var tenant = await server.CreateTenantAsync("Interleaved Billing Co", "USD");
        var (contract, line) = await ActiveContract(tenant.Admin, "ONE_TIME");
        var billing = (ContractBilling)server.Services.GetService(typeof(ContractBilling))!;

        // "Instance A" has claimed the period but not committed yet.
        await using var conn = await server.Db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand("""
            INSERT INTO contract_billings (company_id, contract_line_id, period_start, period_end, contract_id, invoice_id, billed_at)
            VALUES ($1, $2, DATE '2026-01-15', DATE '2026-01-15', $3, gen_random_uuid(), now())
            """, conn, tx))
        {
            cmd.Parameters.Add(new() { Value = tenant.CompanyId });
            cmd.Parameters.Add(new() { Value = Guid.Parse(line) });
            cmd.Parameters.Add(new() { Value = Guid.Parse(contract) });
            await cmd.ExecuteNonQueryAsync();
        }
        var b = billing.RunAsync(new DateOnly(2026, 12, 31), tenant.CompanyId);
        await Task.Delay(500);
        Assert.False(b.IsCompleted); // blocked on A's uncommitted key
        await tx.CommitAsync();
        Assert.Equal(0, (await b).InvoicesCreated);

        // and a later run finds the committed key too
        var rerun = await billing.RunAsync(new DateOnly(2026, 12, 31), tenant.CompanyId);
        Assert.Equal(0, rerun.InvoicesCreated);
    }

    [Fact]
    public async Task Line_discounts_apply_within_their_dates()
    {
        var api = (await server.CreateTenantAsync("Discount Co", "USD")).Admin;
        var contract = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), areLinesWithTax = false,
            lines = new[] { new { productId = await Product(api), billingRecurrence = "MONTHLY", billingStart = "2026-01-01",
                discount = new { type = "PERCENTAGE", value = 10, startDate = "2026-02-01", endDate = "2026-02-28" } } },
        })).AssertOk();
        Assert.Equal("PERCENTAGE", Str(contract["lines"]![0]!["discount"]!, "type"));
        (await api.PostAsync($"/v1/contracts/{Id(contract)}/publish")).AssertOk();
        Assert.Equal(3, await Bill(api, "2026-03-31"));
        Assert.Equal(new long[] { 9_000, 10_000, 10_000 },
            (await Invoices(api, Id(contract))).Select(i => i!["amount"]!.GetValue<long>()).Order().ToArray());

        var bad = (await api.PostAsync($"/v1/contracts/{Id(contract)}/lines", new { productId = await Product(api), discount = new { type = "PERCENTAGE", value = 120 } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal(new[] { "discount", "value" }, bad["errors"]![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Transitions_are_409_naming_the_state()
    {
        var api = (await server.CreateTenantAsync("Transitions Co", "USD")).Admin;
        var created = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), startDate = "2026-01-01", endDate = "2026-12-31",
            lines = new[] { new { productId = await Product(api), billingRecurrence = "YEARLY" } },
        })).AssertOk();
        var id = Id(created);
        Assert.Contains("CREATED", (await api.PostAsync($"/v1/contracts/{id}/terminate", new { })).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("CREATED", (await api.PostAsync($"/v1/contracts/{id}/renew", new { nextEndDate = "2027-12-31" })).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("CREATED", (await api.PostAsync($"/v1/contracts/{id}/reset")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("CREATED", (await api.PostAsync($"/v1/contracts/{id}/cancel-termination")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());

        var active = (await api.PostAsync($"/v1/contracts/{id}/publish")).AssertOk();
        Assert.Equal("ACTIVE", Str(active, "state"));
        Assert.NotNull(active["activatedAt"]);
        Assert.Contains("ACTIVE", (await api.PostAsync($"/v1/contracts/{id}/publish")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("ACTIVE", (await api.SendAsync(HttpMethod.Delete, $"/v1/contracts/{id}")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());

        var early = (await api.PostAsync($"/v1/contracts/{id}/renew", new { nextEndDate = "2026-06-30" })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("nextEndDate", early["errors"]![0]!["path"]![0]!.GetValue<string>());
        var renewed = (await api.PostAsync($"/v1/contracts/{id}/renew", new { nextEndDate = "2027-12-31", nextRenewalDate = "2027-11-30" })).AssertOk();
        Assert.Equal("2027-12-31", Str(renewed, "endDate"));
        Assert.Equal("2027-11-30", Str(renewed, "renewalDate"));

        var future = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd");
        var pending = (await api.PostAsync($"/v1/contracts/{id}/terminate", new { terminationDate = future, terminationReason = "moving" })).AssertOk();
        Assert.Equal("PENDING_TERMINATION", Str(pending, "state"));
        Assert.Equal("moving", Str(pending, "terminationReason"));
        Assert.Contains("PENDING_TERMINATION", (await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{id}", new { description = "x" })).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        var back = (await api.PostAsync($"/v1/contracts/{id}/cancel-termination")).AssertOk();
        Assert.Equal("ACTIVE", Str(back, "state"));
        Assert.Equal("2027-12-31", Str(back, "endDate"));
        Assert.Null(back["terminationReason"]);

        Assert.Equal("CREATED", Str((await api.PostAsync($"/v1/contracts/{id}/reset")).AssertOk(), "state"));
        (await api.SendAsync(HttpMethod.Delete, $"/v1/contracts/{id}")).AssertOk();
        (await api.GetAsync($"/v1/contracts/{id}")).AssertError(404, "NOT_FOUND");

        var (ended, _) = await ActiveContract(api, "MONTHLY");
        (await api.PostAsync($"/v1/contracts/{ended}/terminate")).AssertOk();
        var product = await Product(api);
        Assert.Contains("TERMINATED", (await api.PostAsync($"/v1/contracts/{ended}/lines", new { productId = product })).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
        Assert.Contains("TERMINATED", (await api.PostAsync($"/v1/contracts/{ended}/terminate")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_clears_nulls_keeps_omitted_and_lines_take_the_product_price_in_the_contract_currency()
    {
        var api = (await server.CreateTenantAsync("Patch Co", "USD")).Admin;
        var usdOnly = await Product(api, 5_000, "USD");
        var contract = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), currency = "EUR", description = "keep me", estimatedAmount = 1_000, netTerms = 14,
        })).AssertOk();
        var id = Id(contract);
        Assert.Equal("EUR", Str(contract, "currency"));
        Assert.Equal(14, contract["netTerms"]!.GetValue<int>());

        var patched = (await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{id}", new { estimatedAmount = (long?)null, renewalDate = "2027-01-01" })).AssertOk();
        Assert.Null(patched["estimatedAmount"]);
        Assert.Equal("keep me", Str(patched, "description"));
        Assert.Equal("2027-01-01", Str(patched, "renewalDate"));
        var cleared = (await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{id}", new { customerId = (string?)null })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("customerId", cleared["errors"]![0]!["path"]![0]!.GetValue<string>());

        // no EUR price: 422 on the product, unless the price is overwritten
        var noPrice = (await api.PostAsync($"/v1/contracts/{id}/lines", new { productId = usdOnly })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("productId", noPrice["errors"]![0]!["path"]![0]!.GetValue<string>());
        var line = (await api.PostAsync($"/v1/contracts/{id}/lines", new { productId = usdOnly, priceOverwrite = 7_000, quantity = 2, billingRecurrence = "QUARTERLY", billingStart = "2026-01-01" })).AssertOk();
        Assert.Equal("QUARTERLY", Str(line, "billingRecurrence"));
        Assert.Equal(id, Str(line, "contractId"));
        var changed = (await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{id}/lines/{Id(line)}", new { quantity = 3, productNameOverwrite = "Gold plan" })).AssertOk();
        Assert.Equal(3, changed["quantity"]!.GetValue<decimal>());
        Assert.Equal(7_000, changed["priceOverwrite"]!.GetValue<long>());
        var unpriced = (await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{id}/lines/{Id(line)}", new { priceOverwrite = (long?)null })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("productId", unpriced["errors"]![0]!["path"]![0]!.GetValue<string>());

        (await api.PostAsync($"/v1/contracts/{id}/publish")).AssertOk();
        Assert.Equal(1, await Bill(api, "2026-03-31"));
        var invoice = (await Invoices(api, id))[0]!;
        Assert.Equal("EUR", Str(invoice, "currency"));
        Assert.Equal(21_000, invoice["amount"]!.GetValue<long>());

        var second = (await api.PostAsync($"/v1/contracts/{id}/lines", new { productId = usdOnly, priceOverwrite = 1 })).AssertOk();
        (await api.SendAsync(HttpMethod.Delete, $"/v1/contracts/{id}/lines/{Id(second)}")).AssertOk();
        (await api.SendAsync(HttpMethod.Delete, $"/v1/contracts/{id}/lines/{Id(second)}")).AssertError(404, "NOT_FOUND");
        Assert.Single((await api.GetAsync($"/v1/contracts/{id}")).AssertOk()["lines"]!.AsArray());
    }

    [Fact]
    public async Task Validation_errors_carry_paths_and_the_customer_must_be_invoiceable()
    {
        var api = (await server.CreateTenantAsync("Validation Co", "USD")).Admin;
        var missing = (await api.PostAsync("/v1/contracts", new { description = "no customer" })).AssertError(400, "BAD_REQUEST");
        Assert.Contains(missing["errors"]!.AsArray(), e => e!["path"]![0]!.GetValue<string>() == "customerId");
        var badLine = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), lines = new[] { new { productId = await Product(api), billingRecurrence = "WEEKLY" } },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(new object[] { "lines", 0, "billingRecurrence" },
            badLine["errors"]![0]!["path"]!.AsArray().Select(p => p!.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (object)p.GetValue<int>() : p.GetValue<string>()).ToArray());
        var unknown = (await api.PostAsync("/v1/contracts", new { customerId = Guid.NewGuid() })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("customerId", unknown["errors"]![0]!["path"]![0]!.GetValue<string>());
        (await api.GetAsync("/v1/contracts/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        (await api.PostAsync("/v1/contracts/billing-runs", new { })).AssertError(400, "BAD_REQUEST");

        var empty = (await api.PostAsync("/v1/contracts", new { customerId = await Customer(api) })).AssertOk();
        var unpublishable = (await api.PostAsync($"/v1/contracts/{Id(empty)}/publish")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("lines", unpublishable["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_companies_get_404_and_viewers_get_403()
    {
        var owner = (await server.CreateTenantAsync("Owner Co", "USD")).Admin;
        var (contract, line) = await ActiveContract(owner, "MONTHLY");
        var other = await server.CreateTenantAsync("Other Co", "USD");
        (await other.Admin.GetAsync($"/v1/contracts/{contract}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.SendAsync(HttpMethod.Patch, $"/v1/contracts/{contract}", new { description = "mine" })).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/contracts/{contract}/terminate")).AssertError(404, "NOT_FOUND");
        (await other.Admin.SendAsync(HttpMethod.Delete, $"/v1/contracts/{contract}/lines/{line}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/contracts/{contract}/generate-document-upload-url", new { filename = "c.pdf" })).AssertError(404, "NOT_FOUND");
        Assert.Empty((await other.Admin.GetAsync("/v1/contracts")).AssertOk()["records"]!.AsArray());
        // another company's billing run does not touch this company's contracts
        Assert.Equal(0, await Bill(other.Admin, "2026-12-31"));
        Assert.Empty(await Invoices(owner, contract));

        (await other.Viewer.PostAsync("/v1/contracts", new { customerId = Guid.NewGuid() })).AssertError(403, "FORBIDDEN");
        (await other.Viewer.PostAsync("/v1/contracts/billing-runs", new { date = "2026-12-31" })).AssertError(403, "FORBIDDEN");
        (await other.Viewer.GetAsync("/v1/contracts")).AssertOk();
    }

    [Fact]
    public async Task List_filters_and_sorts_and_the_document_upload_url_is_signed()
    {
        var api = (await server.CreateTenantAsync("List Co", "USD")).Admin;
        var (active, _) = await ActiveContract(api, "MONTHLY");
        var created = Id((await api.PostAsync("/v1/contracts", new { customerId = await Customer(api), description = "Alpha first" })).AssertOk());
        var onlyActive = (await api.GetAsync("/v1/contracts?filter=state:eq:ACTIVE")).AssertOk()["records"]!.AsArray();
        Assert.Equal(active, Id(Assert.Single(onlyActive)!));
        Assert.Null(onlyActive[0]!["lines"]);
        var sorted = (await api.GetAsync("/v1/contracts?sort=description:asc&limit=1&cursor=0")).AssertOk();
        Assert.Equal(created, Id(sorted["records"]![0]!));
        Assert.True(sorted["hasMore"]!.GetValue<bool>());
        (await api.GetAsync("/v1/contracts?filter=amount:gt:5")).AssertError(400, "BAD_REQUEST");

        var upload = (await api.PostAsync($"/v1/contracts/{created}/generate-document-upload-url", new { filename = "signed.pdf" })).AssertOk();
        Assert.Contains("/files/", Str(upload, "uploadUrl"));
        Assert.Contains("contracts", Str(upload, "key"));
        Assert.Equal("application/pdf", Str(upload["metadata"]!, "contentType"));
        Assert.Equal("filename", (await api.PostAsync($"/v1/contracts/{created}/generate-document-upload-url", new { filename = "x.exe" }))
            .AssertError(400, "BAD_REQUEST")["errors"]![0]!["path"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task List_sorts_by_every_field_listContracts_names_joined_names_included_and_pages_by_cursor()
    {
        var api = (await server.CreateTenantAsync("Sorted Contracts Co", "USD")).Admin;
        var customers = new Dictionary<string, string>();
        async Task<string> Contract(string customerName, long estimatedAmount, string renewalDate)
        {
            customers[customerName] = Id((await api.PostAsync("/v1/customers", new { name = customerName })).AssertOk());
            return Id((await api.PostAsync("/v1/contracts", new { customerId = customers[customerName], estimatedAmount, renewalDate })).AssertOk());
        }
        var zed = await Contract("Zed Corp", 100, "2027-03-01");
        var abe = await Contract("Abe Ltd", 300, "2027-01-01");
        var mid = await Contract("Mid Inc", 200, "2027-02-01");
        async Task<string[]> Sorted(string sort) =>
            (await api.GetAsync($"/v1/contracts?sort={sort}")).AssertOk()["records"]!.AsArray().Select(r => Id(r!)).ToArray();

        Assert.Equal([abe, mid, zed], await Sorted("customerName:asc"));
        Assert.Equal([zed, mid, abe], await Sorted("customerName:desc"));
        Assert.Equal([zed, mid, abe], await Sorted("estimatedAmount:asc"));
        Assert.Equal([abe, mid, zed], await Sorted("renewalDate:asc"));
        // PostgreSQL orders uuids by their bytes, which is the order of their lower-case hex text.
        var byCustomerId = new[] { (zed, customers["Zed Corp"]), (abe, customers["Abe Ltd"]), (mid, customers["Mid Inc"]) }
            .OrderBy(c => c.Item2, StringComparer.Ordinal).Select(c => c.Item1).ToArray();
        Assert.Equal(byCustomerId, await Sorted("customerId:asc"));

        // A keyset cursor carries a joined name as it does a column.
        var first = (await api.GetAsync("/v1/contracts?sort=customerName:asc&limit=2&cursor=0")).AssertOk();
        Assert.Equal([abe, mid], first["records"]!.AsArray().Select(r => Id(r!)));
        var next = (await api.GetAsync($"/v1/contracts?sort=customerName:asc&limit=2&cursor={Uri.EscapeDataString(first["nextCursor"]!.GetValue<string>())}"))
            .AssertOk();
        Assert.Equal([zed], next["records"]!.AsArray().Select(r => Id(r!)));

        // Every field the operation's description names sorts (one entity here, so the entity's id and name tie and the id decides).
        foreach (var field in new[] { "activatedAt", "companyEntityId", "companyEntityName", "createdAt", "customerId", "customerName", "description",
                     "endDate", "estimatedAmount", "renewalDate", "startDate", "state", "terminatedAt" })
        {
            Assert.Equal(3, (await Sorted($"{field}:asc")).Length);
            Assert.Equal(3, (await Sorted(field == "createdAt" ? "createdAt:desc" : $"{field}:desc,createdAt:asc")).Length);
        }
        (await api.GetAsync("/v1/contracts?sort=amount:desc")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Lines_refuse_an_archived_product_as_invoices_do_at_the_lines_productId()
    {
        var api = (await server.CreateTenantAsync("Archived Product Contracts Co", "USD")).Admin;
        var customer = await Customer(api);
        var active = await Product(api);
        var retired = await Product(api, 7_000);
        (await api.PostAsync($"/v1/products/{retired}/archive")).AssertOk();
        static string Path(JsonNode error) => string.Join(".", error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));

        // On create (with the line's index), on a line added, on a line changed to it; with or without a price of the line's own.
        var created = (await api.PostAsync("/v1/contracts", new
        {
            customerId = customer, lines = new object[] { new { productId = active }, new { productId = retired, priceOverwrite = 5_000 } },
        })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("lines.1.productId", Path(created));
        Assert.Contains("ARCHIVED", created["message"]!.GetValue<string>());
        Assert.Empty((await api.GetAsync("/v1/contracts")).AssertOk()["records"]!.AsArray());
        var contract = Id((await api.PostAsync("/v1/contracts", new { customerId = customer, lines = new[] { new { productId = active } } })).AssertOk());
        Assert.Equal("productId", Path((await api.PostAsync($"/v1/contracts/{contract}/lines", new { productId = retired })).AssertError(422, "UNPROCESSABLE_CONTENT")));
        var line = Id((await api.GetAsync($"/v1/contracts/{contract}")).AssertOk()["lines"]![0]!);
        Assert.Equal("productId", Path((await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{contract}/lines/{line}", new { productId = retired }))
            .AssertError(422, "UNPROCESSABLE_CONTENT")));
        var lines = (await api.GetAsync($"/v1/contracts/{contract}")).AssertOk()["lines"]!.AsArray();
        Assert.Equal(active, Str(Assert.Single(lines)!, "productId"));
    }

    [Fact]
    public async Task A_line_without_a_recurrence_takes_its_products_billing_recurrence()
    {
        var api = (await server.CreateTenantAsync("Recurrence Default Co", "USD")).Admin;
        async Task<string> ProductBilled(string? billingRecurrence) => Id((await api.PostAsync("/v1/products", new
        {
            name = $"Plan {billingRecurrence ?? "default"}", billingRecurrence, pricings = new[] { new { currency = "USD", amount = 1_000 } },
        })).AssertOk());
        var quarterly = await ProductBilled("QUARTERLY");
        var yearly = await ProductBilled("YEARLY");
        var contract = (await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), lines = new object[] { new { productId = quarterly }, new { productId = yearly, billingRecurrence = "MONTHLY" } },
        })).AssertOk();
        var created = contract["lines"]!.AsArray();
        Assert.Equal("QUARTERLY", Str(created.Single(l => Str(l!, "productId") == quarterly)!, "billingRecurrence"));
        Assert.Equal("MONTHLY", Str(created.Single(l => Str(l!, "productId") == yearly)!, "billingRecurrence")); // the line's own wins
        Assert.Equal("YEARLY", Str((await api.PostAsync($"/v1/contracts/{Id(contract)}/lines", new { productId = yearly })).AssertOk(), "billingRecurrence"));
        // A product created without one is ONE_TIME (the products endpoint's default), and so is its line.
        Assert.Equal("ONE_TIME", Str((await api.PostAsync($"/v1/contracts/{Id(contract)}/lines", new { productId = await ProductBilled(null) })).AssertOk(),
            "billingRecurrence"));
    }

    [Theory]
    [InlineData("QUARTERLY", "QUARTERLY")]
    [InlineData("ONE_TIME", "ONE_TIME")]
    [InlineData("WEEKLY", "MONTHLY")]
    [InlineData("", "MONTHLY")]
    [InlineData(null, "MONTHLY")]
    public void The_default_recurrence_is_the_products_when_a_contract_line_takes_it(string? product, string expected) =>
        Assert.Equal(expected, Recurrence.DefaultFor(product));

    [Fact]
    public async Task The_billing_job_and_the_cli_run_the_same_billing()
    {
        var tenant = await server.CreateTenantAsync("Job Billing Co", "USD");
        var api = tenant.Admin;
        var (contract, _) = await ActiveContract(api, "MONTHLY");
        await using (var conn = await server.Db.OpenConnectionAsync())
            await JobQueue.EnqueueAsync(conn, null, tenant.CompanyId, ContractBillingJobHandler.JobKind, new { date = "2026-03-31" });
        for (var i = 0; i < 100 && (await Invoices(api, contract)).Count < 3; i++) await Task.Delay(200);
        Assert.Equal(3, (await Invoices(api, contract)).Count);

        var cli = await CliRunner.RunAsync("contracts", "bill", "--date", "2026-05-31", "--company", tenant.CompanyId.ToString(),
            "--database", server.ConnectionString);
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.Contains("2 invoices created", cli.Stdout);
        Assert.Equal(5, (await Invoices(api, contract)).Count);
        var bad = await CliRunner.RunAsync("contracts", "bill", "--date", "31.05.2026", "--database", server.ConnectionString);
        Assert.Equal(2, bad.ExitCode);
    }

    /// <summary>An ACTIVE contract from 2024-01-01 with one MONTHLY line per product price given.</summary>
    static async Task<string> OldContract(ApiClient api, params long[] prices)
    {
        var lines = new List<object>();
        foreach (var price in prices)
            lines.Add(new { productId = await Product(api, price), billingRecurrence = "MONTHLY", billingStart = "2024-01-01", quantity = 1 });
        var contract = Id((await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), startDate = "2024-01-01", description = "Old plan", areLinesWithTax = false, lines,
        })).AssertOk());
        (await api.PostAsync($"/v1/contracts/{contract}/publish")).AssertOk();
        return contract;
    }

    [Fact]
    public async Task An_old_contract_is_caught_up_over_several_bounded_runs_exactly_once_per_line_and_period()
    {
        var api = (await server.CreateTenantAsync("Catch-up Co", "USD")).Admin;
        var contract = await OldContract(api, 10_000, 20_000); // 27 monthly periods per line are due by 2026-03-31

        var first = (await api.PostAsync("/v1/contracts/billing-runs", new { date = "2026-03-31" })).AssertOk();
        Assert.Equal(2 * ContractBilling.MaxPeriodsPerLine, first["invoicesCreated"]!.GetValue<int>());
        Assert.Equal((6, true), (first["periodsRemaining"]!.GetValue<int>(), first["moreRemaining"]!.GetValue<bool>()));
        var second = (await api.PostAsync("/v1/contracts/billing-runs", new { date = "2026-03-31" })).AssertOk();
        Assert.Equal((6, 0, false), (second["invoicesCreated"]!.GetValue<int>(), second["periodsRemaining"]!.GetValue<int>(),
            second["moreRemaining"]!.GetValue<bool>()));
        Assert.Equal(0, await Bill(api, "2026-03-31"));

        var invoices = await Invoices(api, contract);
        Assert.Equal(54, invoices.Count);
        // Exactly once per (line, period): each of the 27 period starts once at each line's price.
        var keys = invoices.Select(i => (Str(i!, "invoiceDate"), i!["amount"]!.GetValue<long>())).ToList();
        Assert.Equal(54, keys.Distinct().Count());
        Assert.Equal(27, keys.Select(k => k.Item1).Distinct().Count());
        Assert.Equal("2024-01-01", keys.Min(k => k.Item1));
        Assert.Equal("2026-03-01", keys.Max(k => k.Item1));
    }

    [Fact]
    public async Task Contract_and_billing_run_dates_outside_1900_to_2199_are_refused_with_their_path()
    {
        var api = (await server.CreateTenantAsync("Date Bounds Co", "USD")).Admin;
        static string Path(JsonNode error) => string.Join(".", error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));
        Assert.Equal("startDate", Path((await api.PostAsync("/v1/contracts", new { customerId = await Customer(api), startDate = "0001-01-01" }))
            .AssertError(400, "BAD_REQUEST")));
        Assert.Equal("lines.0.billingStart", Path((await api.PostAsync("/v1/contracts", new
        {
            customerId = await Customer(api), lines = new[] { new { productId = await Product(api), billingRecurrence = "MONTHLY", billingStart = "1899-12-31" } },
        })).AssertError(400, "BAD_REQUEST")));
        Assert.Empty((await api.GetAsync("/v1/contracts")).AssertOk()["records"]!.AsArray());
        Assert.Equal("date", Path((await api.PostAsync("/v1/contracts/billing-runs", new { date = "9999-12-31" })).AssertError(400, "BAD_REQUEST")));
        Assert.Equal("date", Path((await api.PostAsync("/v1/contracts/billing-runs", new { date = "2200-01-01" })).AssertError(400, "BAD_REQUEST")));

        var (contract, line) = await ActiveContract(api, "MONTHLY");
        Assert.Equal("endDate", Path((await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{contract}", new { endDate = "9999-12-31" }))
            .AssertError(400, "BAD_REQUEST")));
        Assert.Equal("billingEnd", Path((await api.SendAsync(HttpMethod.Patch, $"/v1/contracts/{contract}/lines/{line}", new { billingEnd = "2500-01-01" }))
            .AssertError(400, "BAD_REQUEST")));
        Assert.Equal("terminationDate", Path((await api.PostAsync($"/v1/contracts/{contract}/terminate", new { terminationDate = "9999-01-01" }))
            .AssertError(400, "BAD_REQUEST")));
        Assert.Equal("ACTIVE", Str((await api.GetAsync($"/v1/contracts/{contract}")).AssertOk(), "state"));
        Assert.Equal(1, await Bill(api, "2026-01-31"));
    }

    [Fact]
    public async Task The_billing_job_requeues_itself_until_the_backlog_is_billed()
    {
        var tenant = await server.CreateTenantAsync("Job Catch-up Co", "USD");
        var contract = await OldContract(tenant.Admin, 10_000); // 27 periods: a run of 24, then a catch-up run of 3
        await using (var conn = await server.Db.OpenConnectionAsync())
            await JobQueue.EnqueueAsync(conn, null, tenant.CompanyId, ContractBillingJobHandler.JobKind, new { date = "2026-03-31" });
        for (var i = 0; i < 150 && (await Invoices(tenant.Admin, contract)).Count < 27; i++) await Task.Delay(200);
        Assert.Equal(27, (await Invoices(tenant.Admin, contract)).Count);

        await using var check = await server.Db.OpenConnectionAsync();
        var runs = (await Dapper.SqlMapper.QueryAsync<(string State, string Payload)>(check,
            "SELECT state, payload::text FROM jobs WHERE company_id = @companyId AND kind = @kind ORDER BY created_at",
            new { companyId = tenant.CompanyId, kind = ContractBillingJobHandler.JobKind })).ToList();
        for (var i = 0; i < 50 && runs.Any(r => r.State != "DONE"); i++)
        {
            await Task.Delay(200);
            runs = (await Dapper.SqlMapper.QueryAsync<(string State, string Payload)>(check,
                "SELECT state, payload::text FROM jobs WHERE company_id = @companyId AND kind = @kind ORDER BY created_at",
                new { companyId = tenant.CompanyId, kind = ContractBillingJobHandler.JobKind })).ToList();
        }
        Assert.Equal(2, runs.Count); // the first run left 3 periods and queued exactly one catch-up run, which finished the backlog
        Assert.All(runs, r => Assert.Equal("DONE", r.State));
        Assert.Contains("\"catchUp\": true", runs[1].Payload);
    }

    [Fact]
    public void Periods_keep_the_day_of_month_and_stop_at_the_end()
    {
        var periods = Recurrence.Periods("MONTHLY", new DateOnly(2026, 1, 31), new DateOnly(2026, 4, 30), null).ToList();
        Assert.Equal(new[] { "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30" }, periods.Select(p => p.Start.ToString("yyyy-MM-dd")));
        Assert.Equal(new DateOnly(2026, 2, 27), periods[0].End);
        Assert.Empty(Recurrence.Periods("YEARLY", new DateOnly(2026, 5, 1), new DateOnly(2026, 4, 30), null));
        var ending = Recurrence.Periods("QUARTERLY", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), new DateOnly(2026, 5, 15)).ToList();
        Assert.Equal(2, ending.Count);
        Assert.Equal(new DateOnly(2026, 5, 15), ending[1].End);
        Assert.Single(Recurrence.Periods("ONE_TIME", new DateOnly(2026, 1, 1), new DateOnly(2030, 1, 1), null));
    }
}
