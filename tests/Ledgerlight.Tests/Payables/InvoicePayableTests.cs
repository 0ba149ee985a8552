using System.Text.Json.Nodes;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Payables;

/// <summary>Helpers shared by the bill tests.</summary>
public static class BillKit
{
    public static async Task<string> Vendor(ApiClient client, string name) =>
        (await client.PostAsync("/v1/vendors", new { name })).AssertOk()["vendorId"]!.GetValue<string>();

    public static async Task<JsonNode> Bill(ApiClient client, object body) =>
        (await client.PostAsync("/v1/invoice-payables", body)).AssertOk();

    /// <summary>(accountCode, dcSign, transactionAmount) of every ledger line of one accounting document.</summary>
    public static async Task<List<(int Code, string Dc, long Amount)>> Lines(ApiClient client, string documentId) =>
        (await client.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{documentId}&limit=200")).AssertOk()["records"]!.AsArray()
        .Select(l => (l!["accountCode"]!.GetValue<int>(), l["amounts"]!["dcSign"]!.GetValue<string>(), l["amounts"]!["transactionAmount"]!.GetValue<long>()))
        .OrderByDescending(l => l.Item2).ThenBy(l => l.Item1).ThenBy(l => l.Item3).ToList();

    public static string State(JsonNode bill) => bill["state"]!.GetValue<string>();
    public static string Id(JsonNode bill) => bill["id"]!.GetValue<string>();
}

public class InvoicePayableTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly LedgerTestKit _kit = new(server.Admin);
    static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd");

    async Task<Dictionary<int, long>> Balances(params int[] codes)
    {
        var result = new Dictionary<int, long>();
        foreach (var code in codes) result[code] = await _kit.Balance(code, Today);
        return result;
    }

    [Fact]
    public async Task Seed_example_create_lines_approve_pay_and_reverse_moves_the_ledger_exactly()
    {
        var vendor = await BillKit.Vendor(server.Admin, "Seed Supplies");
        var before = await Balances(6200, 2000, 1200);

        var bill = await BillKit.Bill(server.Admin, new { vendorId = vendor, amount = 100000, currency = "USD" });
        Assert.Equal("IN_DRAFT", BillKit.State(bill));
        Assert.Equal(100000, bill["amount"]!.GetValue<long>());
        Assert.Equal(server.Company.EntityId.ToString(), bill["companyEntityId"]!.GetValue<string>());
        var id = BillKit.Id(bill);

        var line = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/line-items", new { netAmount = 100000, description = "Licences" })).AssertOk();
        Assert.Equal(100000, line["amount"]!.GetValue<long>());
        Assert.Equal(0, line["taxAmount"]!.GetValue<long>());
        Assert.Equal(await _kit.Account(6200), line["accountId"]!.GetValue<string>()); // the chart's EXPENSE account
        Assert.Empty(await BillKit.Lines(server.Admin, id)); // nothing in the ledger before approval

        var approved = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/approve", new { note = "ok" })).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(approved));
        Assert.Equal(100000, approved["outstandingBalance"]!.GetValue<long>());
        Assert.Matches(@"^AP-\d{4}-\d{6}$", approved["documentNumber"]!.GetValue<string>());
        Assert.Equal([(6200, "D", 100000L), (2000, "C", 100000L)], await BillKit.Lines(server.Admin, id));
        var apLine = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{id},accountCode:eq:2000")).AssertOk()["records"]![0]!;
        Assert.Equal(vendor, apLine["businessPartnerId"]!.GetValue<string>());
        Assert.Equal("AP", apLine["documentType"]!.GetValue<string>());

        var paid = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk();
        Assert.Equal("PAID", BillKit.State(paid));
        Assert.Equal(0, paid["outstandingBalance"]!.GetValue<long>());
        var payments = (await server.Admin.GetAsync($"/v1/invoice-payables/{id}/payments")).AssertOk().AsArray();
        var payment = Assert.Single(payments)!;
        Assert.Equal("BP", payment["payment"]!["type"]!.GetValue<string>());
        var bp = payment["accountingDocumentId"]!.GetValue<string>();
        Assert.Equal([(2000, "D", 100000L), (1200, "C", 100000L)], await BillKit.Lines(server.Admin, bp));
        var afterPay = await Balances(6200, 2000, 1200);
        Assert.Equal(before[6200] + 100000, afterPay[6200]);
        Assert.Equal(before[2000], afterPay[2000]);
        Assert.Equal(before[1200] - 100000, afterPay[1200]);

        var reopened = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/reverse-clearing",
            new { clearingAccountingDocumentId = bp, clearingType = "BP" })).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(reopened));
        Assert.Equal(100000, reopened["outstandingBalance"]!.GetValue<long>());
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{id}/payments")).AssertOk().AsArray());
        var afterReverse = await Balances(6200, 2000, 1200);
        Assert.Equal(before[1200], afterReverse[1200]);
        Assert.Equal(before[2000] - 100000, afterReverse[2000]);

        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/reverse-clearing",
            new { clearingAccountingDocumentId = bp, clearingType = "BP" })).AssertError(409, "CONFLICT");
    }

    [Fact]
    public async Task Tax_inclusive_lines_derive_tax_from_the_code_and_post_input_tax()
    {
        var codes = (await server.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray();
        var standard = codes.Single(c => c!["code"]!.GetValue<string>() == "STANDARD")!["id"]!.GetValue<string>();
        var rent = await _kit.Account(6100);
        var bill = await BillKit.Bill(server.Admin, new
        {
            vendorId = await BillKit.Vendor(server.Admin, "Tax Landlord"), lineItemsIncludeTax = true, invoiceNumber = "T-1", issuedDate = "2026-04-01",
            lineItems = new object[]
            {
                new { amount = 12000, taxCodeId = standard, accountId = rent },
                new { amount = 1001, taxCodeId = standard, accountId = rent },
            },
        });
        var lines = bill["lineItems"]!.AsArray();
        Assert.Equal((10000L, 2000L), (lines[0]!["netAmount"]!.GetValue<long>(), lines[0]!["taxAmount"]!.GetValue<long>()));
        Assert.Equal((834L, 167L), (lines[1]!["netAmount"]!.GetValue<long>(), lines[1]!["taxAmount"]!.GetValue<long>())); // rounded per line
        Assert.Equal(13001, bill["amount"]!.GetValue<long>());

        var posted = (await server.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(bill)}/post")).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(posted));
        Assert.Equal([(1600, "D", 167L), (1600, "D", 2000L), (6100, "D", 834L), (6100, "D", 10000L), (2000, "C", 13001L)],
            await BillKit.Lines(server.Admin, BillKit.Id(bill)));
    }

    [Fact]
    public async Task A_vendors_month_to_date_spend_counts_its_bills_posted_this_month_and_drops_a_cancelled_one()
    {
        var vendor = await BillKit.Vendor(server.Admin, "Month Spend Co");
        async Task<long> Spend() => (await server.Admin.GetAsync($"/v1/vendors/{vendor}")).AssertOk()["lastMtdSpendInGroupCurrency"]!.GetValue<long>();
        async Task<string> PostedBill(string issued, long net) => BillKit.Id((await server.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(
            await BillKit.Bill(server.Admin, new { vendorId = vendor, currency = "USD", issuedDate = issued, lineItems = new[] { new { netAmount = net } } }))}/post")).AssertOk());

        var today = DateTime.UtcNow;
        var kept = await PostedBill(today.ToString("yyyy-MM-dd"), 1_200);
        var cancelled = await PostedBill(today.ToString("yyyy-MM-dd"), 300);
        await PostedBill(new DateTime(today.Year, today.Month, 1).AddDays(-1).ToString("yyyy-MM-dd"), 5_000); // last month: not this month's spend
        Assert.Equal(1_500, await Spend());
        var listed = (await server.Admin.GetAsync($"/v1/vendors?filter=spendLastMtd:gt:1499,id:eq:{vendor}")).AssertOk()["records"]!.AsArray();
        Assert.Equal(1_500, Assert.Single(listed)!["lastMtdSpendInGroupCurrency"]!.GetValue<long>());

        (await server.Admin.PostAsync($"/v1/invoice-payables/{cancelled}/cancel", new { reason = "duplicate" })).AssertOk();
        Assert.Equal(1_200, await Spend());
        Assert.Equal("UNPAID", BillKit.State((await server.Admin.GetAsync($"/v1/invoice-payables/{kept}")).AssertOk()));
    }

    [Fact]
    public async Task A_new_bill_pays_from_the_vendors_default_bank_account_when_it_fits_the_bill()
    {
        var bank = (await server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "Payables USD", bankProvider = "OTHER", currency = "USD", bankCountry = "US",
            ledgerAccount = new { code = 120_200 },
        })).AssertOk()["id"]!.GetValue<string>();
        var vendor = (await server.Admin.PostAsync("/v1/vendors", new
        {
            name = "Paid From Payables", defaultCompanyEntity = new { companyEntityId = server.Company.EntityId, senderBankAccountId = bank },
        })).AssertOk()["vendorId"]!.GetValue<string>();

        var usd = await BillKit.Bill(server.Admin, new { vendorId = vendor, currency = "USD", lineItems = new[] { new { netAmount = 700 } } });
        Assert.Equal(bank, usd["senderBankAccountId"]!.GetValue<string>());
        // A USD bank account could not pay a EUR bill, so it is no default for one.
        var eur = await BillKit.Bill(server.Admin, new { vendorId = vendor, currency = "EUR", lineItems = new[] { new { netAmount = 700 } } });
        Assert.Null(eur["senderBankAccountId"]);

        Assert.Equal("UNPAID", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(usd)}/post")).AssertOk()));
        var paid = (await server.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(usd)}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk();
        Assert.Equal("PAID", BillKit.State(paid));
        Assert.Equal(bank, (await server.Admin.GetAsync($"/v1/invoice-payables/{BillKit.Id(usd)}/payments")).AssertOk()[0]!["bankAccountId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Illegal_transitions_are_409_naming_the_state_and_overpayment_is_422_writing_nothing()
    {
        var bill = await BillKit.Bill(server.Admin, new
        {
            vendorId = await BillKit.Vendor(server.Admin, "State Co"), lineItems = new[] { new { netAmount = 5000 } },
        });
        var id = BillKit.Id(bill);
        var early = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "FULL" })).AssertError(409, "CONFLICT");
        Assert.Contains("IN_DRAFT", early["message"]!.GetValue<string>());
        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/decline", new { note = "no" })).AssertError(409, "CONFLICT");

        Assert.Equal("UNPAID", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertOk()));
        var again = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertError(409, "CONFLICT");
        Assert.Contains("UNPAID", again["message"]!.GetValue<string>());
        var edit = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/line-items", new { netAmount = 1 })).AssertError(409, "CONFLICT");
        Assert.Contains("UNPAID", edit["message"]!.GetValue<string>());

        var over = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "PARTIAL", amount = 5001 }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("amount", over["errors"]![0]!["path"]![0]!.GetValue<string>());
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{id}/payments")).AssertOk().AsArray());
        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "PARTIAL" })).AssertError(400, "BAD_REQUEST");

        var part = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "PARTIAL", amount = 2000 })).AssertOk();
        Assert.Equal(("PARTIALLY_PAID", 3000L), (BillKit.State(part), part["outstandingBalance"]!.GetValue<long>()));
        // FULL clears what is outstanding "regardless of amount": a placeholder 0 is not refused.
        var rest = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "FULL", amount = 0 })).AssertOk();
        Assert.Equal(("PAID", 0L), (BillKit.State(rest), rest["outstandingBalance"]!.GetValue<long>()));
        var payments = (await server.Admin.GetAsync($"/v1/invoice-payables/{id}/payments")).AssertOk().AsArray();
        Assert.Equal([2000L, 3000L], payments.Select(p => p!["amount"]!.GetValue<long>()).ToList());
        var cancel = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/cancel", new { reason = "late" })).AssertError(409, "CONFLICT");
        Assert.Contains("PAID", cancel["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_posted_bill_reverses_it_and_a_draft_simply_ends()
    {
        var before = await _kit.Balance(2000, Today);
        var bill = await BillKit.Bill(server.Admin, new { vendorId = await BillKit.Vendor(server.Admin, "Cancel Co"), lineItems = new[] { new { netAmount = 700 } } });
        var id = BillKit.Id(bill);
        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertOk();
        Assert.Equal(before - 700, await _kit.Balance(2000, Today));
        var cancelled = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/cancel", new { reason = "wrong vendor" })).AssertOk();
        Assert.Equal(("CANCELLED", "wrong vendor"), (BillKit.State(cancelled), cancelled["cancellationReason"]!.GetValue<string>()));
        Assert.NotNull(cancelled["canceledAt"]);
        Assert.Equal(before, await _kit.Balance(2000, Today));
        Assert.Contains("CANCELLED", (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/cancel")).AssertError(409, "CONFLICT")["message"]!.GetValue<string>());

        var draft = await BillKit.Bill(server.Admin, new { amount = 5 });
        Assert.Equal("CANCELLED", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(draft)}/cancel")).AssertOk()));
    }

    [Fact]
    public async Task Second_bill_with_same_vendor_and_number_is_flagged_duplicated_until_renumbered()
    {
        var vendor = await BillKit.Vendor(server.Admin, "Dup Co");
        var first = await BillKit.Bill(server.Admin, new { vendorId = vendor, invoiceNumber = "INV-7", amount = 100 });
        Assert.Equal("IN_DRAFT", BillKit.State(first));
        var second = await BillKit.Bill(server.Admin, new { vendorId = vendor, invoiceNumber = "inv-7 ", amount = 100, lineItems = new[] { new { netAmount = 100 } } });
        Assert.Equal(("DUPLICATED", "DUPLICATE_INVOICE"), (BillKit.State(second), second["failureReason"]!.GetValue<string>()));
        Assert.Contains(BillKit.Id(first), second["failureContext"]!["message"]!.GetValue<string>());
        var post = (await server.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(second)}/post")).AssertError(409, "CONFLICT");
        Assert.Contains("DUPLICATED", post["message"]!.GetValue<string>());

        var renumbered = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{BillKit.Id(second)}", new { invoiceNumber = "INV-8" })).AssertOk();
        Assert.Equal("IN_DRAFT", BillKit.State(renumbered));
        Assert.Null(renumbered["failureReason"]);
    }

    [Fact]
    public async Task Patch_clears_nulls_keeps_omitted_and_line_crud_keeps_amount_equal_to_lines()
    {
        var bill = await BillKit.Bill(server.Admin, new { invoiceNumber = "P-1", description = "desc", amount = 999, dueDate = "2026-05-01" });
        var id = BillKit.Id(bill);
        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{id}", new { description = (string?)null, issuedDate = "2026-04-02" })).AssertOk();
        Assert.Null(patched["description"]);
        Assert.Equal(("P-1", "2026-05-01", "2026-04-02"), (patched["invoiceNumber"]!.GetValue<string>(), patched["dueDate"]!.GetValue<string>(),
            patched["issuedDate"]!.GetValue<string>()));
        Assert.Equal(999, patched["amount"]!.GetValue<long>());

        var a = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/line-items", new { netAmount = 300 })).AssertOk()["id"]!.GetValue<string>();
        var b = (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/line-items", new { netAmount = 200, taxAmount = 10 })).AssertOk()["id"]!.GetValue<string>();
        Assert.Equal(510, (await server.Admin.GetAsync($"/v1/invoice-payables/{id}")).AssertOk()["amount"]!.GetValue<long>());
        var replaced = (await server.Admin.PutAsync($"/v1/invoice-payables/{id}/line-items/{b}", new { netAmount = 50, description = "x" })).AssertOk();
        Assert.Equal((50L, 0L, "x"), (replaced["amount"]!.GetValue<long>(), replaced["taxAmount"]!.GetValue<long>(), replaced["description"]!.GetValue<string>()));
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/invoice-payables/{id}/line-items/{a}")).AssertOk();
        (await server.Admin.GetAsync($"/v1/invoice-payables/{id}/line-items/{a}")).AssertError(404, "NOT_FOUND");
        var fetched = (await server.Admin.GetAsync($"/v1/invoice-payables/{id}")).AssertOk();
        Assert.Equal(50, fetched["amount"]!.GetValue<long>());
        Assert.Single(fetched["lineItems"]!.AsArray());
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{id}", new { amount = 51 })).AssertError(422, "UNPROCESSABLE_CONTENT");
    }

    [Fact]
    public async Task Bad_input_is_400_with_paths_and_writes_nothing()
    {
        var countBefore = (await server.Admin.GetAsync("/v1/bff/invoice-payables?limit=1")).AssertOk()["total"]!.GetValue<long>();
        var unknownVendor = (await server.Admin.PostAsync("/v1/invoice-payables", new { vendorId = Guid.NewGuid(), amount = 1 })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("vendorId", unknownVendor["errors"]![0]!["path"]![0]!.GetValue<string>());
        var badLine = (await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            currency = "XXY", lineItems = new object[] { new { netAmount = 10 }, new { netAmount = 5, accountId = Guid.NewGuid() } },
        })).AssertError(400, "BAD_REQUEST");
        var paths = badLine["errors"]!.AsArray().Select(e => string.Join(".", e!["path"]!.AsArray().Select(p => p!.ToString()))).ToList();
        // The body's shape is checked first, before any id is looked up: the currency, not yet the unknown account.
        Assert.Equal(["currency"], paths);
        var badReference = (await server.Admin.PostAsync("/v1/invoice-payables", new
        {
            currency = "USD", lineItems = new object[] { new { netAmount = 10 }, new { netAmount = 5, accountId = Guid.NewGuid() } },
        })).AssertError(400, "BAD_REQUEST");
        Assert.Equal("lineItems.1.accountId", string.Join(".", badReference["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString())));
        var otherTenantVendor = await BillKit.Vendor((await server.CreateTenantAsync("Other Vendor Co", "USD")).Admin, "Foreign");
        (await server.Admin.PostAsync("/v1/invoice-payables", new { vendorId = otherTenantVendor })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/invoice-payables/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync("/v1/invoice-payables", new { amount = "100" })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(countBefore, (await server.Admin.GetAsync("/v1/bff/invoice-payables?limit=1")).AssertOk()["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Tenancy_roles_and_lists()
    {
        var vendor = await BillKit.Vendor(server.Admin, "List Co");
        var bill = await BillKit.Bill(server.Admin, new { vendorId = vendor, invoiceNumber = "L-1", amount = 42 });
        var id = BillKit.Id(bill);
        var other = await server.CreateTenantAsync("Other Bills Co", "EUR");
        (await other.Admin.GetAsync($"/v1/invoice-payables/{id}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertError(404, "NOT_FOUND");
        (await server.Viewer.PostAsync("/v1/invoice-payables", new { amount = 1 })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.GetAsync($"/v1/invoice-payables/{id}")).AssertOk();

        var listed = (await server.Admin.GetAsync($"/v1/bff/invoice-payables?filter=vendorId:eq:{vendor}")).AssertOk()["records"]!.AsArray();
        var record = Assert.Single(listed)!;
        Assert.Equal(("List Co", 42L), (record["vendor"]!["vendorName"]!.GetValue<string>(), record["amount"]!.GetValue<long>()));
        var alias = (await server.Admin.GetAsync($"/v1/invoice-payables?filter=vendorId:eq:{vendor}&sort=amount:desc&cursor=0")).AssertOk();
        Assert.Single(alias["records"]!.AsArray());
        (await server.Admin.GetAsync("/v1/bff/invoice-payables?sort=nope:asc")).AssertError(400, "BAD_REQUEST");
        Assert.Empty((await other.Admin.GetAsync("/v1/bff/invoice-payables")).AssertOk()["records"]!.AsArray());
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{id}/credit-notes")).AssertOk().AsArray());
    }
}

/// <summary>Approval rules change company settings, so they get their own server (and company).</summary>
public class InvoiceApprovalTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<(ApiClient Client, Guid KeyId)> Key(string role, string name)
    {
        var key = await new ApiKeyStore(server.Db, TimeProvider.System).CreateAsync(server.Company.CompanyId, role, name);
        return (new ApiClient(server.BaseAddress, key.Key), key.Info.Id);
    }

    [Fact]
    public async Task Threshold_requires_approval_only_approvers_approve_and_approval_posts()
    {
        var clerk = (await Key("AP_CLERK", "clerk")).Client;
        var (approver, approverId) = await Key("APPROVER", "approver");
        (await clerk.PutAsync("/v1/invoice-approval/rules", new { amountThreshold = 50000 })).AssertError(403, "FORBIDDEN");
        Assert.Equal(50000, (await server.Admin.PutAsync("/v1/invoice-approval/rules", new { amountThreshold = 50000 })).AssertOk()["amountThreshold"]!.GetValue<long>());

        var vendor = await BillKit.Vendor(clerk, "Threshold Co");
        var small = await BillKit.Bill(clerk, new { vendorId = vendor, lineItems = new[] { new { netAmount = 49999 } } });
        Assert.Equal("UNPAID", BillKit.State((await clerk.PostAsync($"/v1/invoice-payables/{BillKit.Id(small)}/post")).AssertOk()));

        var big = await BillKit.Bill(clerk, new { vendorId = vendor, lineItems = new[] { new { netAmount = 50000 } } });
        var id = BillKit.Id(big);
        var refused = (await clerk.PostAsync($"/v1/invoice-payables/{id}/post")).AssertError(409, "CONFLICT");
        Assert.Contains("IN_DRAFT", refused["message"]!.GetValue<string>());
        Assert.Empty(await BillKit.Lines(server.Admin, id));
        Assert.Equal("APPROVAL_PENDING", BillKit.State((await clerk.PostAsync($"/v1/invoice-payables/{id}/submit-for-approval", new { })).AssertOk()));
        (await clerk.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertError(403, "FORBIDDEN");
        (await approver.PostAsync($"/v1/invoice-payables/{id}/mark-as-paid", new { paymentOption = "FULL" })).AssertError(403, "FORBIDDEN");

        var approved = (await approver.PostAsync($"/v1/invoice-payables/{id}/approve", new { note = "fine" })).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(approved));
        Assert.Equal([(6200, "D", 50000L), (2000, "C", 50000L)], await BillKit.Lines(server.Admin, id));
        var again = (await approver.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertError(409, "CONFLICT");
        Assert.Contains("UNPAID", again["message"]!.GetValue<string>());

        var approvals = (await server.Viewer.GetAsync($"/v1/invoice-approval?invoicePayableId={id}")).AssertOk().AsArray();
        var approval = Assert.Single(approvals)!;
        Assert.Equal(("APPROVED", 50000L), (approval["status"]!.GetValue<string>(), approval["invoiceAmount"]!.GetValue<long>()));
        var step = Assert.Single(approval["userApprovals"]!.AsArray())!;
        Assert.Equal((approverId.ToString(), "APPROVED", "fine"), (step["userId"]!.GetValue<string>(), step["status"]!.GetValue<string>(), step["note"]!.GetValue<string>()));
        (await server.Admin.GetAsync("/v1/invoice-approval?invoicePayableId=nope")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Threshold_is_compared_in_the_company_currency_at_the_bills_rate_and_an_approver_cannot_post()
    {
        var clerk = (await Key("AP_CLERK", "fx clerk")).Client;
        var (approver, _) = await Key("APPROVER", "fx approver");
        (await server.Admin.PutAsync("/v1/invoice-approval/rules", new { amountThreshold = 100000 })).AssertOk(); // USD 1,000.00
        var vendor = await BillKit.Vendor(clerk, "London Supplies");

        // GBP 999.99 is about USD 1,340 at the ECB rate of its issue date: it needs approval.
        var pounds = BillKit.Id(await BillKit.Bill(clerk, new
        {
            vendorId = vendor, currency = "GBP", issuedDate = "2026-03-05", lineItems = new[] { new { netAmount = 99999 } },
        }));
        var refused = (await clerk.PostAsync($"/v1/invoice-payables/{pounds}/post")).AssertError(409, "CONFLICT");
        Assert.Contains("USD", refused["message"]!.GetValue<string>());
        Assert.Empty(await BillKit.Lines(server.Admin, pounds));
        Assert.Equal("IN_DRAFT", BillKit.State((await clerk.GetAsync($"/v1/invoice-payables/{pounds}")).AssertOk()));
        // An approver may approve it (submitting the draft first), which posts it.
        Assert.Equal("UNPAID", BillKit.State((await approver.PostAsync($"/v1/invoice-payables/{pounds}/approve")).AssertOk()));

        // The rate is the one the posting uses: with a group-rate override of 1, GBP 999.99 is USD 999.99.
        var atPar = BillKit.Id(await BillKit.Bill(clerk, new
        {
            vendorId = vendor, currency = "GBP", issuedDate = "2026-03-05", groupCurrencyFxRateOverride = 1.0, localCurrencyFxRateOverride = 1.0,
            lineItems = new[] { new { netAmount = 99999 } },
        }));
        // An APPROVER may not post it, neither by post nor by "approving" a draft that needs no approval.
        (await approver.PostAsync($"/v1/invoice-payables/{atPar}/post")).AssertError(403, "FORBIDDEN");
        (await approver.PostAsync($"/v1/invoice-payables/{atPar}/approve")).AssertError(403, "FORBIDDEN");
        Assert.Equal("IN_DRAFT", BillKit.State((await clerk.GetAsync($"/v1/invoice-payables/{atPar}")).AssertOk()));
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-approval?invoicePayableId={atPar}")).AssertOk().AsArray());
        Assert.Equal("UNPAID", BillKit.State((await clerk.PostAsync($"/v1/invoice-payables/{atPar}/post")).AssertOk()));
    }

    [Fact]
    public async Task Vendor_approvers_approve_in_priority_order_once_each_and_can_decline()
    {
        var (first, firstId) = await Key("APPROVER", "first");
        var (second, secondId) = await Key("APPROVER", "second");
        var (outsider, _) = await Key("APPROVER", "outsider");
        var vendor = await BillKit.Vendor(server.Admin, "Approved Vendor");
        (await server.Admin.PutAsync($"/v1/vendors/{vendor}/approvers", new { approvers = new[] { new { userId = Guid.NewGuid(), priority = 1 } } }))
            .AssertError(400, "BAD_REQUEST");
        var updated = (await server.Admin.PutAsync($"/v1/vendors/{vendor}/approvers", new
        {
            approvers = new[] { new { userId = firstId, priority = 1 }, new { userId = secondId, priority = 2 } },
        })).AssertOk();
        Assert.Equal([firstId.ToString(), secondId.ToString()], updated["approvers"]!.AsArray().Select(a => a!["userId"]!.GetValue<string>()));
        Assert.Equal(2, (await server.Admin.GetAsync($"/v1/vendors/{vendor}")).AssertOk()["approvers"]!.AsArray().Count);
        var listed = (await server.Admin.GetAsync($"/v1/vendors?filter=id:eq:{vendor}")).AssertOk()["records"]![0]!;
        Assert.Equal([firstId.ToString(), secondId.ToString()], listed["approvers"]!.AsArray().Select(a => a!["userId"]!.GetValue<string>()));
        // Replacing the approvers replaces what the vendor shows; an empty list leaves none.
        var brief = await BillKit.Vendor(server.Admin, "Briefly Approved Vendor");
        (await server.Admin.PutAsync($"/v1/vendors/{brief}/approvers", new { approvers = new[] { new { userId = secondId, priority = 1 } } })).AssertOk();
        Assert.Equal(secondId.ToString(), (await server.Admin.GetAsync($"/v1/vendors/{brief}")).AssertOk()["approvers"]![0]!["userId"]!.GetValue<string>());
        (await server.Admin.PutAsync($"/v1/vendors/{brief}/approvers", new { approvers = Array.Empty<object>() })).AssertOk();
        Assert.Empty((await server.Admin.GetAsync($"/v1/vendors/{brief}")).AssertOk()["approvers"]!.AsArray());

        var bill = await BillKit.Bill(server.Admin, new { vendorId = vendor, lineItems = new[] { new { netAmount = 10 } } });
        var id = BillKit.Id(bill);
        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/post")).AssertError(409, "CONFLICT"); // the vendor has approvers
        (await server.Admin.PostAsync($"/v1/invoice-payables/{id}/submit-for-approval")).AssertOk();
        // The list says whose decision the bill waits for, and sorts by that approver's name.
        async Task<string?> NextApprover() => (await server.Admin.GetAsync($"/v1/bff/invoice-payables?filter=id:eq:{id}&sort=nextApproverName:asc"))
            .AssertOk()["records"]![0]!["nextApprover"]?["userId"]?.GetValue<string>();
        Assert.Equal(firstId.ToString(), await NextApprover());
        (await outsider.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertError(403, "FORBIDDEN");
        (await second.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertError(409, "CONFLICT"); // priority 1 first
        Assert.Equal("APPROVAL_PENDING", BillKit.State((await first.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertOk()));
        Assert.Equal(secondId.ToString(), await NextApprover());
        var twice = (await first.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertError(409, "CONFLICT");
        Assert.Contains("twice", twice["message"]!.GetValue<string>());
        Assert.Empty(await BillKit.Lines(server.Admin, id));
        Assert.Equal("UNPAID", BillKit.State((await second.PostAsync($"/v1/invoice-payables/{id}/approve")).AssertOk()));
        Assert.Equal(2, (await BillKit.Lines(server.Admin, id)).Count);

        var other = BillKit.Id(await BillKit.Bill(server.Admin, new { vendorId = vendor, lineItems = new[] { new { netAmount = 20 } } }));
        (await server.Admin.PostAsync($"/v1/invoice-payables/{other}/submit-for-approval")).AssertOk();
        var declined = (await first.PostAsync($"/v1/invoice-payables/{other}/decline", new { note = "not ours" })).AssertOk();
        Assert.Equal(("DECLINED", "not ours"), (BillKit.State(declined), declined["approvalNote"]!.GetValue<string>()));
        var approval = (await server.Admin.GetAsync($"/v1/invoice-approval?invoicePayableId={other}")).AssertOk().AsArray().Single()!;
        Assert.Equal("DECLINED", approval["status"]!.GetValue<string>());
        // A declined bill may be corrected and submitted again.
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/invoice-payables/{other}", new { description = "fixed" })).AssertOk();
        Assert.Equal("APPROVAL_PENDING", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{other}/submit-for-approval")).AssertOk()));
    }
}
