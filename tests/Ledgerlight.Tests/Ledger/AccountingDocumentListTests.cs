using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Payables;
using Ledgerlight.Tests.Payables.CreditNotes;
using Ledgerlight.Tests.Spend.CardTransactions;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

/// <summary>
/// listAccountingDocuments' type-specific sorts and filters (ap*, ar*, ct*, cc*, cn*), answered from the document each posting came
/// from, over one tenant with one document of each kind.
/// </summary>
public class AccountingDocumentListTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    const string Path = "/v1/accounting-documents/accounting-documents";
    CardTransactionKit _kit = null!;
    ApiClient Api => _kit.Tenant.Admin;
    string _vendor = "", _bill = "", _note = "", _customer = "", _invoice = "", _credit = "", _cardTransaction = "", _entry = "";

    static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    public async Task InitializeAsync()
    {
        // The kit's tenant has a funded card: its funding is a CC document of 100,000.
        _kit = await CardTransactionKit.CreateAsync(server);
        _vendor = await BillKit.Vendor(Api, "Documents Vendor");
        _bill = BillKit.Id(await BillKit.Bill(Api, new
        {
            vendorId = _vendor, currency = "USD", invoiceNumber = "B-DOCS-1", dueDate = "2026-04-15", lineItems = new[] { new { netAmount = 4_000 } },
        }));
        Assert.Equal("UNPAID", BillKit.State((await Api.PostAsync($"/v1/invoice-payables/{_bill}/post")).AssertOk()));
        _note = await CreditNoteKit.PostedNote(Api, _vendor, 500);

        _customer = Id((await Api.PostAsync("/v1/customers", new { name = "Documents Customer", email = "ar@customer.example" })).AssertOk());
        var product = Id((await Api.PostAsync("/v1/products", new { name = "Widget", pricings = new[] { new { currency = "USD", amount = 10_000 } } })).AssertOk());
        _invoice = Id((await Api.PostAsync("/v1/invoice-receivables", new
        {
            customerId = _customer, invoiceDate = "2026-03-02", netTerms = 30, areLinesWithTax = false, lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk());
        (await Api.PostAsync($"/v1/invoice-receivables/{_invoice}/open")).AssertOk();
        _credit = Id((await Api.PostAsync("/v1/customer-credits", new
        {
            customerId = _customer, documentDate = "2026-03-10", areLinesWithTax = false, lines = new[] { new { productId = product, quantity = 1 } },
        })).AssertOk());
        (await Api.PostAsync($"/v1/customer-credits/{_credit}/post")).AssertOk();

        _cardTransaction = await _kit.CapturedAsync(2_500, "2026-02-10T10:00:00Z");
        (await _kit.PostAsync(_cardTransaction)).AssertOk();
        _entry = Id(await new LedgerTestKit(Api).Post("2026-03-05", LedgerTestKit.Line(await _kit.AccountIdAsync(6200), 300, "D"),
            LedgerTestKit.Line(await _kit.AccountIdAsync(1200), 300, "C")));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    async Task<List<string>> Ids(string query) =>
        (await Api.GetAsync($"{Path}?limit=200&{query}")).AssertOk()["records"]!.AsArray().Select(d => Id(d!)).ToList();

    async Task<long> Total() => (await Api.GetAsync(Path)).AssertOk()["total"]!.GetValue<long>();

    [Fact]
    public async Task Filters_on_the_source_document_find_it_and_only_it()
    {
        var account = (await _kit.GetAsync(_cardTransaction))["cardBalanceAccountId"]?.GetValue<string>() ?? _kit.Account;
        var invoiceState = (await Api.GetAsync($"/v1/invoice-receivables/{_invoice}")).AssertOk()["state"]!.GetValue<string>();
        var cardStatus = (await _kit.GetAsync(_cardTransaction))["status"]!.GetValue<string>();

        Assert.Equal([_bill], await Ids($"filter=apVendorId:eq:{_vendor}"));
        Assert.Equal([_bill], await Ids("filter=apDueDate:eq:2026-04-15"));
        Assert.Equal([_bill], await Ids("filter=apState:in:UNPAID|PAID"));
        Assert.Equal([_invoice], await Ids($"filter=arCustomerId:eq:{_customer}"));
        Assert.Equal([_invoice], await Ids("filter=arDueDate:gte:2026-04-01,arDueDate:lt:2026-04-02"));
        Assert.Equal([_invoice], await Ids("filter=arOpenedAt:gte:2000-01-01T00:00:00Z"));
        Assert.Equal([_invoice], await Ids($"filter=arState:eq:{invoiceState}"));
        Assert.Empty(await Ids($"filter=arContractId:eq:{Guid.NewGuid()}"));
        Assert.Empty(await Ids($"filter=arInvoiceTemplateId:eq:{Guid.NewGuid()}"));
        Assert.Empty(await Ids($"filter=arPayeeBankAccountId:eq:{Guid.NewGuid()}"));
        Assert.Equal([_cardTransaction], await Ids($"filter=ctCardId:eq:{_kit.Card}"));
        Assert.Equal([_cardTransaction], await Ids($"filter=ctCardBalanceAccountId:eq:{account}"));
        Assert.Equal([_cardTransaction], await Ids($"filter=ctStatus:eq:{cardStatus}"));
        Assert.Equal([_cardTransaction], await Ids("filter=ctPerformedAt:lt:2026-02-11T00:00:00Z"));
        Assert.Equal([_note], await Ids("filter=cnToBeAdjustedAccDocType:eq:AP"));
        Assert.Equal([_credit], await Ids("filter=cnToBeAdjustedAccDocType:eq:AR"));

        // ne keeps every document without the value (the other types), as for a null.
        var all = await Total();
        var others = await Ids($"filter=apVendorId:ne:{_vendor}");
        Assert.Equal(all - 1, others.Count);
        Assert.DoesNotContain(_bill, others);
        Assert.Contains(_entry, others);
    }

    [Fact]
    public async Task Fields_of_features_Ledgerlight_does_not_have_are_accepted_and_match_no_value()
    {
        var all = await Total();
        foreach (var field in new[] { "intercompanyDocumentId", "intercompanyJournalEntryId", "ycAccountingYearId" })
        {
            Assert.Empty(await Ids($"filter={field}:eq:{Guid.NewGuid()}"));
            Assert.Empty(await Ids($"filter={field}:in:{Guid.NewGuid()}|{Guid.NewGuid()}"));
            Assert.Equal(all, (await Ids($"filter={field}:ne:{Guid.NewGuid()}")).Count);
            Assert.Equal(all, (await Ids($"filter={field}:not_in:{Guid.NewGuid()}")).Count);
        }
        (await Api.GetAsync($"{Path}?filter=intercompanyDocumentId:eq:not-a-uuid")).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Sorts_by_source_fields_put_the_documents_that_have_them_first_and_cursors_walk_them()
    {
        Assert.Equal(_invoice, (await Ids("sort=arDueDate:asc"))[0]);
        Assert.Equal(_invoice, (await Ids("sort=arOpenedAt:asc"))[0]);
        Assert.Equal(_cardTransaction, (await Ids("sort=ctPerformedAt:asc"))[0]);
        Assert.Equal(_cardTransaction, (await Ids("sort=ctStatus:asc"))[0]);
        Assert.Equal(_cardTransaction, (await Ids("sort=ctAmount:asc"))[0]);
        var funding = (await Api.GetAsync($"{Path}?sort=ccAmount:asc&limit=1")).AssertOk()["records"]![0]!;
        Assert.Equal(("CC", 100_000L), (funding["documentType"]!.GetValue<string>(), funding["totalTransactionAmount"]!["amount"]!.GetValue<long>()));

        var all = await Total();
        foreach (var sort in new[] { "ctAmount:desc,arDueDate:asc", "ccAmount:asc", "arOpenedAt:desc" })
        {
            var seen = new List<string>();
            var cursor = "0";
            while (true)
            {
                var page = (await Api.GetAsync($"{Path}?cursor={cursor}&limit=2&sort={sort}")).AssertOk();
                seen.AddRange(page["records"]!.AsArray().Select(d => Id(d!)));
                if (page["nextCursor"]?.GetValue<string>() is not { } next) break;
                cursor = next;
            }
            Assert.Equal(all, seen.Count);
            Assert.Equal(all, seen.Distinct().Count());
        }
    }
}
