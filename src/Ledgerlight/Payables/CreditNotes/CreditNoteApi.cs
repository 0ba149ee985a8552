using Ledgerlight.Documents;
using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.CreditNotes;

public static class CreditNoteApi
{
    /// <summary>Sorts and filters as listed in listCreditNotes' parameter descriptions.</summary>
    public static readonly ListSpec<CreditNoteRow> Spec = ListFields.SpecFrom<CreditNoteRow>("c", CreditNoteRow.From, CreditNoteRow.Columns, c => c.Id,
        [
            (new("amount", "c.amount", FieldType.Integer, Nullable: true), c => c.Amount),
            (ListFields.VendorName("businessPartnerName"), c => c.VendorName),
            (ListFields.Status("c"), c => c.Status),
            (new("documentDate", "c.document_date", FieldType.Date, Nullable: true), c => c.DocumentDate),
            (ListFields.CreatedAt("c"), c => c.CreatedAt),
        ],
        [
            new("businessPartnerId", "c.vendor_id", FieldType.Uuid, Nullable: true),
            ListFields.Status("c"),
            ListFields.EntityId("c"),
            new("documentDate", "c.document_date", FieldType.Date, Nullable: true),
            // Credit notes here always adjust vendor invoices (Light's accounting document type for bills).
            new("toBeAdjustedAccDocType", "'INVOICE_PAYABLE'", FieldType.Enum),
            ListFields.UpdatedAt("c"),
        ],
        ("createdAt", SortDirection.Desc));

    static Guid NoteId(string raw) => Ids.Parse(raw, "creditNoteId");
    static Guid BillId(string raw) => Ids.Parse(raw, "invoicePayableId");
    static ApiException NotFound => ApiException.NotFound("Credit note");
    static ApiException LinkNotFound => ApiException.NotFound("Credit note link");

    /// <param name="notes">The group at /v1/credit-notes.</param>
    /// <param name="note">The group at /v1/credit-notes/{creditNoteId}.</param>
    public static void MapCreditNoteApi(this IEndpointRouteBuilder notes, IEndpointRouteBuilder note)
    {
        var read = Permissions.Read("credit-notes");
        var write = Permissions.Write("credit-notes");

        notes.MapPage<CreditNoteRow, CreditNoteModel>("", Spec, async (c, rows) =>
            {
                await using var conn = await c.Db.OpenConnectionAsync();
                var models = (await c.Service<CreditNoteStore>().ModelsAsync(conn, c.CompanyId, rows)).ToDictionary(m => m.Id);
                return rows.Select(r => models[r.Id]).ToList();
            })
            .WithName("listCreditNotes").RequirePermission(read);

        notes.MapPost("", async (HttpContext ctx, CreditNoteStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(), await RequestBody.ReadAsync<CreateCreditNoteRequest>(ctx))))
            .WithName("createCreditNote").RequirePermission(write);

        notes.MapPost("/create-from-invoice-payable/{invoicePayableId}", async (string invoicePayableId, HttpContext ctx, CreditNoteStore store) =>
                ApiResults.Ok(await store.CreateFromBillAsync(ctx.Principal(), BillId(invoicePayableId)) ?? throw ApiException.NotFound("Invoice payable")))
            .WithName("createCreditNoteFromInvoicePayable").RequirePermission(write);

        note.MapGet("", async (string creditNoteId, HttpContext ctx, CreditNoteStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, NoteId(creditNoteId)) ?? throw NotFound))
            .WithName("getCreditNote").RequirePermission(read);

        note.MapPatch("", async (string creditNoteId, HttpContext ctx, CreditNoteStore store) =>
            {
                var id = NoteId(creditNoteId);
                var (request, root) = await RequestBody.ReadWithRootAsync<UpdateCreditNoteRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, root) ?? throw NotFound);
            })
            .WithName("updateCreditNote").RequirePermission(write);

        note.MapPost("/lines", async (string creditNoteId, HttpContext ctx, CreditNoteLineStore store) =>
            {
                var id = NoteId(creditNoteId);
                var request = await RequestBody.ReadAsync<CreditNoteLineRequest>(ctx);
                return ApiResults.Ok(await store.AddAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("createCreditNoteLine").RequirePermission(write);

        note.MapPatch("/lines/{lineId}", async (string creditNoteId, string lineId, HttpContext ctx, CreditNoteLineStore store) =>
            {
                var id = NoteId(creditNoteId);
                var line = Ids.Parse(lineId, "lineId");
                var (request, root) = await RequestBody.ReadWithRootAsync<CreditNoteLineRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, line, request, root) ?? throw ApiException.NotFound("Credit note line"));
            })
            .WithName("updateCreditNoteLine").RequirePermission(write);

        note.MapDelete("/lines/{lineId}", async (string creditNoteId, string lineId, HttpContext ctx, CreditNoteLineStore store) =>
                ApiResults.Ok(await store.DeleteAsync(ctx.Principal(), NoteId(creditNoteId), Ids.Parse(lineId, "lineId"))
                              ?? throw ApiException.NotFound("Credit note line")))
            .WithName("deleteCreditNoteLine").RequirePermission(write);

        MapLedgerAndLinks(note);

    }

    /// <summary>A credit note into and out of the ledger, its document, and its links to bills.</summary>
    static void MapLedgerAndLinks(IEndpointRouteBuilder note)
    {
        var read = Permissions.Read("credit-notes");
        var write = Permissions.Write("credit-notes");

        note.MapPost("/post", async (string creditNoteId, HttpContext ctx, CreditNotePostingStore store) =>
                ApiResults.Ok(await store.PostAsync(ctx.Principal(), NoteId(creditNoteId)) ?? throw NotFound))
            .WithName("postCreditNote").RequirePermission(write);

        note.MapPost("/archive", async (string creditNoteId, HttpContext ctx, CreditNotePostingStore store) =>
                ApiResults.Ok(await store.ArchiveAsync(ctx.Principal(), NoteId(creditNoteId)) ?? throw NotFound))
            .WithName("archiveCreditNote").RequirePermission(write);

        note.MapGet("/document", async (string creditNoteId, HttpContext ctx, CreditNoteStore store, SignedUrls urls) =>
            {
                var (key, exists) = await store.DocumentAsync(ctx.Principal().CompanyId, NoteId(creditNoteId));
                if (!exists) throw NotFound;
                if (key is null) throw ApiException.NotFound("Credit note document");
                return Results.Redirect(urls.ForDownload(key).Url);
            })
            .WithName("getAttachedDocument").RequirePermission(read);

        note.MapGet("/invoice-payables", async (string creditNoteId, HttpContext ctx, CreditNoteLinkStore store) =>
                ApiResults.Ok(await store.ListLinksAsync(ctx.Principal().CompanyId, NoteId(creditNoteId), null) ?? throw NotFound))
            .WithName("getLinkedInvoicePayables").RequirePermission(read);

        note.MapPost("/invoice-payables/{invoicePayableId}",
                async (string creditNoteId, string invoicePayableId, HttpContext ctx, CreditNoteLinkStore store) =>
                {
                    var id = NoteId(creditNoteId);
                    var billId = BillId(invoicePayableId);
                    var request = await RequestBody.ReadAsync<LinkRequest>(ctx);
                    return ApiResults.Ok(await store.LinkAsync(ctx.Principal(), id, billId, request.Amount)
                                         ?? throw ApiException.NotFound("Credit note or invoice payable"));
                })
            .WithName("linkCreditNoteToInvoicePayable").RequirePermission(write);

        note.MapPatch("/invoice-payables/{invoicePayableId}",
                async (string creditNoteId, string invoicePayableId, HttpContext ctx, CreditNoteLinkStore store) =>
                {
                    var id = NoteId(creditNoteId);
                    var billId = BillId(invoicePayableId);
                    var request = await RequestBody.ReadAsync<LinkRequest>(ctx);
                    return ApiResults.Ok(await store.UpdateLinkAsync(ctx.Principal(), id, billId, request.Amount) ?? throw LinkNotFound);
                })
            .WithName("updateLinkedInvoicePayable").RequirePermission(write);

        note.MapDelete("/invoice-payables/{invoicePayableId}",
                async (string creditNoteId, string invoicePayableId, HttpContext ctx, CreditNoteLinkStore store) =>
                    ApiResults.Ok(await store.UnlinkAsync(ctx.Principal(), NoteId(creditNoteId), BillId(invoicePayableId)) ?? throw LinkNotFound))
            .WithName("unlinkFromInvoicePayable").RequirePermission(write);
    }
}
