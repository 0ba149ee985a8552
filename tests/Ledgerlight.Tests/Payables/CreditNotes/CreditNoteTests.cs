using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Xunit;

namespace Ledgerlight.Tests.Payables.CreditNotes;

public class CreditNoteTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly LedgerTestKit _kit = new(server.Admin);

    async Task<string> StandardTaxCode() =>
        (await server.Admin.GetAsync("/v1/tax-codes")).AssertOk().AsArray().Single(c => c!["code"]!.GetValue<string>() == "STANDARD")!["id"]!.GetValue<string>();

    [Fact]
    public async Task Draft_lines_with_tax_post_as_AP_debit_against_expense_and_input_tax_then_lock()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Tax Vendor");
        var rent = await _kit.Account(6100);
        var note = await CreditNoteKit.Note(server.Admin, new
        {
            businessPartnerId = vendor, currency = "USD", documentDate = "2026-03-01", areLinesWithTax = true,
            lines = new[] { new { grossTransactionAmount = new { amount = 12000, dcSign = "C" }, ledgerTaxId = await StandardTaxCode(), ledgerAccountId = rent } },
        });
        var id = note["id"]!.GetValue<string>();
        Assert.Equal("DRAFT", note["status"]!.GetValue<string>());
        Assert.Equal(12000, note["amount"]!.GetValue<long>());
        Assert.Equal("2026-03-01", note["postingDate"]!.GetValue<string>());
        Assert.Equal((10000L, 2000L), (note["lines"]![0]!["netTransactionAmount"]!["amount"]!.GetValue<long>(), note["lines"]![0]!["taxTransactionAmount"]!["amount"]!.GetValue<long>()));

        // Line CRUD on the draft: a second line rounded on its own, then patched and deleted.
        var line = (await server.Admin.PostAsync($"/v1/credit-notes/{id}/lines",
            new { grossTransactionAmount = new { amount = 1001, dcSign = "C" }, ledgerTaxId = await StandardTaxCode(), ledgerAccountId = rent })).AssertOk();
        Assert.Equal((834L, 167L), (line["netTransactionAmount"]!["amount"]!.GetValue<long>(), line["taxTransactionAmount"]!["amount"]!.GetValue<long>()));
        var lineId = line["id"]!.GetValue<string>();
        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{id}/lines/{lineId}", new { description = "kept amounts" })).AssertOk();
        Assert.Equal(1001, patched["grossTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal(13001, (await server.Admin.GetAsync($"/v1/credit-notes/{id}")).AssertOk()["amount"]!.GetValue<long>());
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{id}/lines/{lineId}")).AssertOk();

        // PATCH: null clears, omitted keeps.
        var header = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{id}", new { description = "Refund" })).AssertOk();
        Assert.Equal("Refund", header["description"]!.GetValue<string>());
        header = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{id}", new { description = (string?)null })).AssertOk();
        Assert.Null(header["description"]);
        Assert.Equal(12000, header["amount"]!.GetValue<long>());
        Assert.Empty(await BillKit.Lines(server.Admin, id));

        var posted = (await server.Admin.PostAsync($"/v1/credit-notes/{id}/post")).AssertOk();
        Assert.Equal("POSTED", posted["status"]!.GetValue<string>());
        Assert.Equal([(2000, "D", 12000L), (1600, "C", 2000L), (6100, "C", 10000L)], await BillKit.Lines(server.Admin, id));
        var ap = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{id},accountCode:eq:2000")).AssertOk()["records"]![0]!;
        Assert.Equal(vendor, ap["businessPartnerId"]!.GetValue<string>());
        Assert.Equal("CN", ap["documentType"]!.GetValue<string>());

        var conflict = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{id}", new { description = "late" })).AssertError(409, "CONFLICT");
        Assert.Contains("POSTED", conflict["message"]!.GetValue<string>());
        (await server.Admin.PostAsync($"/v1/credit-notes/{id}/lines", new { netTransactionAmount = new { amount = 1 } })).AssertError(409, "CONFLICT");
        (await server.Admin.PostAsync($"/v1/credit-notes/{id}/post")).AssertError(409, "CONFLICT");

        // Archiving a posted note reverses it: the ledger nets to zero for the document.
        Assert.Equal("ARCHIVED", (await server.Admin.PostAsync($"/v1/credit-notes/{id}/archive")).AssertOk()["status"]!.GetValue<string>());
        var lines = await BillKit.Lines(server.Admin, id);
        Assert.Equal(6, lines.Count);
        Assert.Equal(lines.Where(l => l.Dc == "D").Sum(l => l.Amount), lines.Where(l => l.Dc == "C").Sum(l => l.Amount));
        Assert.Equal(0, lines.Where(l => l.Code == 2000).Sum(l => l.Dc == "D" ? l.Amount : -l.Amount));
    }

    [Fact]
    public async Task Linking_to_a_posted_bill_clears_it_and_unlinking_restores_it()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Link Vendor");
        var bill = await CreditNoteKit.Bill(server.Admin, vendor, 10000, post: true);
        var note = await CreditNoteKit.PostedNote(server.Admin, vendor, 3000);

        // Over-application on either side: 422 and nothing written.
        var over = (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 3001 })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal("amount", over["errors"]![0]!["path"]![0]!.GetValue<string>());
        Assert.Empty((await server.Admin.GetAsync($"/v1/credit-notes/{note}/invoice-payables")).AssertOk().AsArray());
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments")).AssertOk().AsArray());
        Assert.Equal("POSTED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());

        var link = (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 2000 })).AssertOk();
        Assert.Equal(2000, link["amount"]!.GetValue<long>());
        Assert.Equal(bill, link["invoicePayable"]!["id"]!.GetValue<string>());
        var afterLink = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk();
        Assert.Equal("PARTIALLY_PAID", BillKit.State(afterLink));
        Assert.Equal(8000, afterLink["outstandingBalance"]!.GetValue<long>());
        var payment = Assert.Single((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments")).AssertOk().AsArray())!;
        Assert.Equal("CN", payment["payment"]!["type"]!.GetValue<string>());
        var clearing = payment["accountingDocumentId"]!.GetValue<string>();
        Assert.Equal([(2000, "D", 2000L), (2000, "C", 2000L)], await BillKit.Lines(server.Admin, clearing));
        Assert.Equal("PARTIALLY_CLEARED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());
        var linked = Assert.Single((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/credit-notes")).AssertOk().AsArray())!;
        Assert.Equal(note, linked["creditNote"]!["id"]!.GetValue<string>());

        // A second note cannot take more than is open on the bill either.
        var big = await CreditNoteKit.PostedNote(server.Admin, vendor, 9000);
        (await server.Admin.PostAsync($"/v1/credit-notes/{big}/invoice-payables/{bill}", new { amount = 8001 })).AssertError(422, "UNPROCESSABLE_CONTENT");

        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/archive")).AssertError(409, "CONFLICT");
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 3001 })).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal(3000, (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 3000 })).AssertOk()["amount"]!.GetValue<long>());
        Assert.Equal(7000, (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk()["outstandingBalance"]!.GetValue<long>());
        Assert.Equal("CLEARED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());
        Assert.Equal(4, (await BillKit.Lines(server.Admin, clearing)).Count); // the first clearing and its reversal

        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{note}/invoice-payables/{bill}")).AssertOk();
        var restored = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(restored));
        Assert.Equal(10000, restored["outstandingBalance"]!.GetValue<long>());
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments")).AssertOk().AsArray());
        Assert.Equal("POSTED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{note}/invoice-payables/{bill}")).AssertError(404, "NOT_FOUND");
        Assert.Equal("ARCHIVED", (await server.Admin.PostAsync($"/v1/credit-notes/{note}/archive")).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_posted_bill_cleared_by_credit_notes_alone_is_completed_and_with_a_bank_payment_paid()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Complete Vendor");
        var bill = await CreditNoteKit.Bill(server.Admin, vendor, 1000, post: true);
        var first = await CreditNoteKit.PostedNote(server.Admin, vendor, 600);
        var second = await CreditNoteKit.PostedNote(server.Admin, vendor, 400);
        (await server.Admin.PostAsync($"/v1/credit-notes/{first}/invoice-payables/{bill}", new { amount = 600 })).AssertOk();
        Assert.Equal("PARTIALLY_PAID", BillKit.State((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk()));
        (await server.Admin.PostAsync($"/v1/credit-notes/{second}/invoice-payables/{bill}", new { amount = 400 })).AssertOk();
        var cleared = (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}?includeOutstandingBalance=true")).AssertOk();
        Assert.Equal(("COMPLETED", 0L), (BillKit.State(cleared), cleared["outstandingBalance"]!.GetValue<long>()));
        // Undoing one note reopens it; with a bank payment for the rest it ends PAID.
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{second}/invoice-payables/{bill}")).AssertOk();
        Assert.Equal("PARTIALLY_PAID", BillKit.State((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}")).AssertOk()));
        Assert.Equal("PAID", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk()));

        // Bank payment first, then a credit note for the rest: PAID (a bank payment is among the clearings).
        var mixed = await CreditNoteKit.Bill(server.Admin, vendor, 1000, post: true);
        (await server.Admin.PostAsync($"/v1/invoice-payables/{mixed}/mark-as-paid", new { paymentOption = "PARTIAL", amount = 700 })).AssertOk();
        var rest = await CreditNoteKit.PostedNote(server.Admin, vendor, 300);
        (await server.Admin.PostAsync($"/v1/credit-notes/{rest}/invoice-payables/{mixed}", new { amount = 300 })).AssertOk();
        Assert.Equal("PAID", BillKit.State((await server.Admin.GetAsync($"/v1/invoice-payables/{mixed}")).AssertOk()));
        // Reversing the bank payment leaves the note's 300 applied: PARTIALLY_PAID, and clearing the rest by note is COMPLETED.
        var bp = (await server.Admin.GetAsync($"/v1/invoice-payables/{mixed}/payments")).AssertOk().AsArray()
            .Single(p => p!["payment"]!["type"]!.GetValue<string>() == "BP")!["accountingDocumentId"]!.GetValue<string>();
        Assert.Equal("PARTIALLY_PAID", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{mixed}/reverse-clearing",
            new { clearingAccountingDocumentId = bp, clearingType = "BP" })).AssertOk()));
        var last = await CreditNoteKit.PostedNote(server.Admin, vendor, 700);
        (await server.Admin.PostAsync($"/v1/credit-notes/{last}/invoice-payables/{mixed}", new { amount = 700 })).AssertOk();
        Assert.Equal("COMPLETED", BillKit.State((await server.Admin.GetAsync($"/v1/invoice-payables/{mixed}")).AssertOk()));
    }

    [Fact]
    public async Task Reversing_a_credit_note_clearing_with_shouldArchiveClearingDocument_archives_the_note_too()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Archive Vendor");
        var bill = await CreditNoteKit.Bill(server.Admin, vendor, 500, post: true);
        var note = await CreditNoteKit.PostedNote(server.Admin, vendor, 500);
        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 500 })).AssertOk();
        var clearing = Assert.Single((await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/payments")).AssertOk().AsArray())!["accountingDocumentId"]!.GetValue<string>();
        var noteEntry = await BillKit.Lines(server.Admin, note);

        var reopened = (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/reverse-clearing",
            new { clearingAccountingDocumentId = clearing, clearingType = "CN", shouldArchiveClearingDocument = true })).AssertOk();
        Assert.Equal(("UNPAID", 500L), (BillKit.State(reopened), reopened["outstandingBalance"]!.GetValue<long>()));
        // The note is archived with its entry reversed (never deleted), so it cannot be applied to another bill.
        Assert.Equal("ARCHIVED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());
        Assert.Equal(noteEntry.Count * 2, (await BillKit.Lines(server.Admin, note)).Count);
        var other = await CreditNoteKit.Bill(server.Admin, vendor, 500, post: true);
        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{other}", new { amount = 500 })).AssertError(409, "CONFLICT");
    }

    [Fact]
    public async Task Posting_a_bill_applies_its_linked_credit_notes()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Post Vendor");
        var full = await CreditNoteKit.Bill(server.Admin, vendor, 1000, post: false);
        var note = await CreditNoteKit.PostedNote(server.Admin, vendor, 1000);
        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{full}", new { amount = 1000 })).AssertOk();
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{full}/payments")).AssertOk().AsArray()); // waits for the bill's post
        var posted = (await server.Admin.PostAsync($"/v1/invoice-payables/{full}/post")).AssertOk();
        Assert.Equal("COMPLETED", BillKit.State(posted));
        Assert.Equal(0, posted["outstandingBalance"]!.GetValue<long>());
        var clearing = Assert.Single((await server.Admin.GetAsync($"/v1/invoice-payables/{full}/payments")).AssertOk().AsArray())!["accountingDocumentId"]!.GetValue<string>();
        Assert.Equal([(2000, "D", 1000L), (2000, "C", 1000L)], await BillKit.Lines(server.Admin, clearing));
        Assert.Equal("CLEARED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());

        // Reversing the CN clearing from the bill's side reopens the bill and ends the link.
        var reopened = (await server.Admin.PostAsync($"/v1/invoice-payables/{full}/reverse-clearing",
            new { clearingAccountingDocumentId = clearing, clearingType = "CN" })).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(reopened));
        Assert.Equal(1000, reopened["outstandingBalance"]!.GetValue<long>());
        Assert.Equal(4, (await BillKit.Lines(server.Admin, clearing)).Count);
        Assert.Empty((await server.Admin.GetAsync($"/v1/invoice-payables/{full}/credit-notes")).AssertOk().AsArray());
        Assert.Equal("POSTED", (await server.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertOk()["status"]!.GetValue<string>());

        var partial = await CreditNoteKit.Bill(server.Admin, vendor, 1000, post: false);
        var small = await CreditNoteKit.PostedNote(server.Admin, vendor, 400);
        (await server.Admin.PostAsync($"/v1/credit-notes/{small}/invoice-payables/{partial}", new { amount = 400 })).AssertOk();
        var unpaid = (await server.Admin.PostAsync($"/v1/invoice-payables/{partial}/post")).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(unpaid));
        Assert.Equal(600, unpaid["outstandingBalance"]!.GetValue<long>());
        Assert.Equal("PAID", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{partial}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk()));

        // A bill with linked credit notes cannot be cancelled until they are unlinked.
        var draft = await CreditNoteKit.Bill(server.Admin, vendor, 1000, post: false);
        var third = await CreditNoteKit.PostedNote(server.Admin, vendor, 100);
        (await server.Admin.PostAsync($"/v1/credit-notes/{third}/invoice-payables/{draft}", new { amount = 100 })).AssertOk();
        (await server.Admin.PostAsync($"/v1/invoice-payables/{draft}/cancel", new { reason = "x" })).AssertError(409, "CONFLICT");
        (await server.Admin.SendAsync(HttpMethod.Delete, $"/v1/credit-notes/{third}/invoice-payables/{draft}")).AssertOk();
        Assert.Equal("CANCELLED", BillKit.State((await server.Admin.PostAsync($"/v1/invoice-payables/{draft}/cancel", new { reason = "x" })).AssertOk()));
    }

    [Fact]
    public async Task Document_number_is_a_natural_idempotency_key_per_vendor()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Idem Vendor");
        var other = await BillKit.Vendor(server.Admin, "CN Idem Other");
        var first = await CreditNoteKit.Note(server.Admin, new { businessPartnerId = vendor, currency = "USD", documentNumber = "VCN-1", amount = 500 });
        var again = await CreditNoteKit.Note(server.Admin, new { businessPartnerId = vendor, currency = "USD", documentNumber = "VCN-1", amount = 999 });
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal(500, again["amount"]!.GetValue<long>());
        var elsewhere = await CreditNoteKit.Note(server.Admin, new { businessPartnerId = other, currency = "USD", documentNumber = "VCN-1" });
        Assert.NotEqual(first["id"]!.GetValue<string>(), elsewhere["id"]!.GetValue<string>());
        var list = (await server.Admin.GetAsync($"/v1/credit-notes?filter=businessPartnerId:eq:{vendor}&cursor=0")).AssertOk();
        Assert.Single(list["records"]!.AsArray());
    }

    [Fact]
    public async Task Create_from_bill_copies_vendor_currency_and_lines()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Copy Vendor");
        var bill = await CreditNoteKit.Bill(server.Admin, vendor, 2500, post: false);
        var note = (await server.Admin.PostAsync($"/v1/credit-notes/create-from-invoice-payable/{bill}")).AssertOk();
        Assert.Equal(vendor, note["businessPartnerId"]!.GetValue<string>());
        Assert.Equal("USD", note["currency"]!.GetValue<string>());
        Assert.Equal(2500, note["amount"]!.GetValue<long>());
        Assert.Equal(2500, Assert.Single(note["lines"]!.AsArray())!["netTransactionAmount"]!["amount"]!.GetValue<long>());
        (await server.Admin.PostAsync($"/v1/credit-notes/create-from-invoice-payable/{Guid.NewGuid()}")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Errors_tenancy_permissions_and_documents()
    {
        var vendor = await BillKit.Vendor(server.Admin, "CN Error Vendor");
        var bad = (await server.Admin.PostAsync("/v1/credit-notes", new { businessPartnerId = vendor, lines = new[] { new { description = "no amount" } } }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal(["lines", "0", "netTransactionAmount", "amount"], bad["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));
        (await server.Admin.PostAsync("/v1/credit-notes", new { businessPartnerId = Guid.NewGuid() })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/credit-notes/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync($"/v1/credit-notes/{(await CreditNoteKit.Note(server.Admin, new { businessPartnerId = vendor }))["id"]}/post"))
            .AssertError(422, "UNPROCESSABLE_CONTENT");

        var note = await CreditNoteKit.PostedNote(server.Admin, vendor, 100);
        (await server.Viewer.GetAsync($"/v1/credit-notes/{note}")).AssertOk();
        (await server.Viewer.PostAsync("/v1/credit-notes", new { businessPartnerId = vendor })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PostAsync($"/v1/credit-notes/{note}/archive")).AssertError(403, "FORBIDDEN");

        var other = await server.CreateTenantAsync("Other CN Co", "USD");
        (await other.Admin.GetAsync($"/v1/credit-notes/{note}")).AssertError(404, "NOT_FOUND");
        (await other.Admin.PostAsync($"/v1/credit-notes/{note}/archive")).AssertError(404, "NOT_FOUND");
        Assert.Empty((await other.Admin.GetAsync("/v1/credit-notes")).AssertOk()["records"]!.AsArray());

        // A note of another vendor cannot clear this vendor's bill.
        var bill = await CreditNoteKit.Bill(server.Admin, await BillKit.Vendor(server.Admin, "CN Error Other Vendor"), 500, post: true);
        (await server.Admin.PostAsync($"/v1/credit-notes/{note}/invoice-payables/{bill}", new { amount = 50 })).AssertError(422, "UNPROCESSABLE_CONTENT");

        (await server.Admin.GetAsync($"/v1/credit-notes/{note}/document")).AssertError(404, "NOT_FOUND");
        await CreditNoteKit.AttachDocumentAsync(server, note, "credit note");
        var redirect = await server.Viewer.GetAsync($"/v1/credit-notes/{note}/document");
        Assert.Equal(302, redirect.Code);
    }
}
