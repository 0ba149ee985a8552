using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.PayableDocuments;
using Ledgerlight.Organization.Users.Reimbursements;
using Ledgerlight.Payables.Vendors;
using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Payables.InvoicePayables;

public static class BillApi
{
    static readonly QueryField Amount = new("amount", "b.amount", FieldType.Integer, Nullable: true);
    static readonly QueryField CanceledAt = new("canceledAt", "b.canceled_at", FieldType.Timestamp, Nullable: true);
    static readonly QueryField Description = new("description", "b.description", FieldType.Text, Nullable: true);
    static readonly QueryField DueDate = new("dueDate", "b.due_date", FieldType.Date, Nullable: true);
    static readonly QueryField IssuedDate = new("issuedDate", "b.issued_date", FieldType.Date, Nullable: true);
    static readonly QueryField PaymentAt = new("paymentAt", "b.payment_at", FieldType.Timestamp, Nullable: true);
    static readonly QueryField CreatedAt = ListFields.CreatedAt("b");
    static readonly QueryField State = ListFields.State("b");
    static readonly QueryField VendorName = ListFields.VendorName();

    static Func<FilterOperator, string, string> CreatorBy(string column) => (op, p) =>
        FilterSql.Apply(op, $"b.created_by IN (SELECT x.id FROM users x WHERE x.company_id = b.company_id AND {FilterSql.Compare(op, "x." + column, p)})");

    /// <summary>Sorts and filters as listed in listInvoicePayables' parameter descriptions.</summary>
    public static readonly ListSpec<BillRow> Spec = ListFields.SpecFrom<BillRow>("b", BillRow.From, BillRow.Columns, b => b.Id,
        [
            (Amount, b => b.Amount),
            (CanceledAt, b => b.CanceledAt),
            (new("companyEntityName", "e.name", FieldType.Text), b => b.CompanyEntityName),
            (Description, b => b.Description),
            (DueDate, b => b.DueDate),
            (new("fromAccountName", "ba.name", FieldType.Text, Nullable: true), b => b.SenderBankAccountName),
            (CreatedAt, b => b.CreatedAt),
            (new("invoiceNumber", "b.invoice_number", FieldType.Text, Nullable: true), b => b.InvoiceNumber),
            (IssuedDate, b => b.IssuedDate),
            (new("ocrCompletedAt", "b.ocr_completed_at", FieldType.Timestamp, Nullable: true), b => b.OcrCompletedAt),
            (PaymentAt, b => b.PaymentAt),
            (new("senderEmail", "b.sender_email", FieldType.Text, Nullable: true), b => b.SenderEmail),
            (State, b => b.State),
            (VendorName, b => b.VendorName),
            (ListFields.VendorName("businessPartnerName"), b => b.VendorName),
            (new("nextApproverName", BillRow.NextApproverNameSql, FieldType.Text, Nullable: true), b => b.NextApproverName),
        ],
        [
            new("approverUserId", "", FieldType.Uuid)
            {
                CustomFilter = (op, p) => FilterSql.Apply(op, "EXISTS (SELECT 1 FROM invoice_approvals ia JOIN invoice_user_approvals s " +
                    "ON s.company_id = ia.company_id AND s.approval_id = ia.id WHERE ia.company_id = b.company_id AND ia.invoice_payable_id = b.id " +
                    $"AND {FilterSql.Compare(op, "s.user_id", p)})"),
            },
            ListFields.Id("b"),
            ListFields.VendorId("b"),
            new("userId", "b.created_by", FieldType.Uuid, Nullable: true),
            ListFields.EntityId("b"),
            new("senderBankAccountId", "b.sender_bank_account_id", FieldType.Uuid, Nullable: true),
            Amount,
            Description,
            new("documentNumber", "b.document_number", FieldType.Text, Nullable: true),
            DueDate,
            IssuedDate,
            PaymentAt,
            CreatedAt,
            ListFields.UpdatedAt("b"),
            State,
            VendorName,
            new("userFirstName", "", FieldType.Text) { CustomFilter = CreatorBy("first_name") },
            new("userLastName", "", FieldType.Text) { CustomFilter = CreatorBy("last_name") },
            new("type", "b.type", FieldType.Enum),
        ],
        ("createdAt", SortDirection.Desc));

    static readonly ListSpec<BillRow> SortedByNextApprover = Spec.AlsoSelecting(BillRow.NextApproverNameSql + " AS next_approver_name");

    static async Task<IResult> BffListAsync(ListCall call)
    {
        var page = await call.PageAsync(Spec.SortedBy(call.Request, ["nextApproverName"], SortedByNextApprover));
        return ApiResults.Ok(new Page<BffBillModel>(await BffPageAsync(call, page.Records), page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
    }

    /// <summary>
    /// A list page as Light's BFF models: each pending bill with the approver it waits for, and with include=REIMBURSEMENT the
    /// reimbursement a REIMBURSEMENT bill pays out (each read once for the whole page).
    /// </summary>
    static async Task<IReadOnlyList<BffBillModel>> BffPageAsync(ListCall call, IReadOnlyList<BillRow> rows)
    {
        var db = call.Service<NpgsqlDataSource>();
        var reimbursements = QueryFlags.Include(call.Http, "REIMBURSEMENT").Count > 0
            ? await ReimbursementStore.ByBillAsync(db, call.CompanyId, rows.Where(b => b.Type == BillType.Reimbursement).Select(b => b.Id).ToList())
            : [];
        var approvers = await BillQueries.NextApproversAsync(db, call.CompanyId,
            rows.Where(b => b.State == BillState.ApprovalPending).Select(b => b.Id).ToList());
        return rows.Select(b => b.ToBffModel() with
        {
            Reimbursement = reimbursements.GetValueOrDefault(b.Id), NextApprover = approvers.GetValueOrDefault(b.Id),
        }).ToList();
    }

    static Guid BillId(string raw) => Ids.Parse(raw, "invoicePayableId");
    static ApiException NotFound => ApiException.NotFound("Invoice payable");

    /// <param name="bills">The group at /v1/invoice-payables.</param>
    /// <param name="bill">The group at /v1/invoice-payables/{invoicePayableId}.</param>
    public static void MapBillApi(this IEndpointRouteBuilder app, IEndpointRouteBuilder bills, IEndpointRouteBuilder bill)
    {
        var read = Permissions.Read("payables");
        var write = Permissions.Write("payables");
        var approvals = Permissions.Write("approvals");

        app.MapList("/v1/bff/invoice-payables", BffListAsync).WithName("listInvoicePayables").RequirePermission(read);
        // The overview seed's spelling of the same list.
        bills.MapList("", BffListAsync).WithName("listInvoicePayablesAlias").RequirePermission(read);

        bills.MapPost("", async (HttpContext ctx, BillStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(), await RequestBody.ReadAsync<CreateBillRequest>(ctx))))
            .WithName("createInvoicePayableDetails").RequirePermission(write);

        bill.MapGet("", async (string invoicePayableId, HttpContext ctx, BillStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, BillId(invoicePayableId), QueryFlags.Bool(ctx, "includeOutstandingBalance"))
                              ?? throw NotFound))
            .WithName("getInvoicePayableDetails").RequirePermission(read);

        bill.MapPatch("", async (string invoicePayableId, HttpContext ctx, BillStore store) =>
            {
                var id = BillId(invoicePayableId);
                var (request, root) = await RequestBody.ReadWithRootAsync<UpdateBillRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, root) ?? throw NotFound);
            })
            .WithName("updateInvoicePayable").RequirePermission(write);

        bill.MapPost("/line-items", async (string invoicePayableId, HttpContext ctx, BillLineStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await RequestBody.ReadAsync<BillLineRequest>(ctx);
                return ApiResults.Ok(await store.AddAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("createInvoicePayableLineItem").RequirePermission(write);

        bill.MapGet("/line-items/{lineItemId}",
                async (string invoicePayableId, string lineItemId, HttpContext ctx, BillLineStore store) =>
                    ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, BillId(invoicePayableId), Ids.Parse(lineItemId, "lineItemId"))
                                  ?? throw ApiException.NotFound("Invoice payable line item")))
            .WithName("getInvoicePayableLineItem").RequirePermission(read);

        bill.MapPut("/line-items/{lineItemId}",
                async (string invoicePayableId, string lineItemId, HttpContext ctx, BillLineStore store) =>
                {
                    var id = BillId(invoicePayableId);
                    var lineId = Ids.Parse(lineItemId, "lineItemId");
                    var request = await RequestBody.ReadAsync<BillLineRequest>(ctx);
                    return ApiResults.Ok(await store.ReplaceAsync(ctx.Principal(), id, lineId, request)
                                         ?? throw ApiException.NotFound("Invoice payable line item"));
                })
            .WithName("updateInvoicePayableLineItem").RequirePermission(write);

        bill.MapDelete("/line-items/{lineItemId}",
                async (string invoicePayableId, string lineItemId, HttpContext ctx, BillLineStore store) =>
                    ApiResults.Ok(await store.DeleteAsync(ctx.Principal(), BillId(invoicePayableId), Ids.Parse(lineItemId, "lineItemId"))
                                  ?? throw ApiException.NotFound("Invoice payable line item")))
            .WithName("deleteInvoicePayableLineItem").RequirePermission(write);

        MapBillWorkflow(bill);

    }

    /// <summary>A bill's way through approval, the ledger and payment.</summary>
    static void MapBillWorkflow(IEndpointRouteBuilder bill)
    {
        var read = Permissions.Read("payables");
        var write = Permissions.Write("payables");
        var approvals = Permissions.Write("approvals");

        bill.MapPost("/submit-for-approval", async (string invoicePayableId, HttpContext ctx, BillApprovalStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<SubmitRequest>(ctx);
                return ApiResults.Ok(await store.SubmitAsync(ctx.Principal(), id, request?.ClosePurchaseOrder ?? false) ?? throw NotFound);
            })
            .WithName("submitInvoicePayableForApproval").RequirePermission(write);

        bill.MapPost("/approve", async (string invoicePayableId, HttpContext ctx, BillApprovalStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<NoteRequest>(ctx);
                return ApiResults.Ok(await store.ApproveAsync(ctx.Principal(), id, request?.Note) ?? throw NotFound);
            })
            .WithName("approveInvoicePayable").RequirePermission(approvals);

        bill.MapPost("/decline", async (string invoicePayableId, HttpContext ctx, BillApprovalStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<NoteRequest>(ctx);
                return ApiResults.Ok(await store.DeclineAsync(ctx.Principal(), id, request?.Note) ?? throw NotFound);
            })
            .WithName("declineInvoicePayable").RequirePermission(approvals);

        bill.MapPost("/post", async (string invoicePayableId, HttpContext ctx, BillPostingStore store) =>
                ApiResults.Ok(await store.PostAsync(ctx.Principal(), BillId(invoicePayableId)) ?? throw NotFound))
            .WithName("postInvoicePayable").RequirePermission(write);

        bill.MapPost("/mark-as-paid", async (string invoicePayableId, HttpContext ctx, BillPaymentStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await RequestBody.ReadAsync<MarkAsPaidRequest>(ctx);
                return ApiResults.Ok(await store.MarkAsPaidAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("markInvoicePayableAsPaid").RequirePermission(write);

        bill.MapGet("/payments", async (string invoicePayableId, HttpContext ctx, BillStore store) =>
                ApiResults.Ok(await store.ListPaymentsAsync(ctx.Principal().CompanyId, BillId(invoicePayableId)) ?? throw NotFound))
            .WithName("listInvoicePayablePayments").RequirePermission(read);

        bill.MapPost("/reverse-clearing", async (string invoicePayableId, HttpContext ctx, BillPaymentStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await RequestBody.ReadAsync<ReverseClearingRequest>(ctx);
                return ApiResults.Ok(await store.ReverseClearingAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("reverseInvoicePayableClearing").RequirePermission(write);

        bill.MapPost("/cancel", async (string invoicePayableId, HttpContext ctx, BillPaymentStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<CancelRequest>(ctx);
                return ApiResults.Ok(await store.CancelAsync(ctx.Principal(), id, request?.Reason) ?? throw NotFound);
            })
            .WithName("cancelInvoicePayable").RequirePermission(write);

        bill.MapGet("/credit-notes", async (string invoicePayableId, HttpContext ctx, CreditNoteLinkStore notes) =>
                ApiResults.Ok(await notes.ListLinksAsync(ctx.Principal().CompanyId, null, BillId(invoicePayableId)) ?? throw NotFound))
            .WithName("getLinkedCreditNotes").RequirePermission(read);
    }

    /// <summary>Bodies that are entirely optional (approve, decline, cancel, submit): none at all is fine.</summary>
    static async Task<T?> ReadOptionalAsync<T>(HttpContext ctx) where T : class
    {
        if (ctx.Request.ContentLength is null or 0 && ctx.Request.Headers.TransferEncoding.Count == 0) return null;
        return await RequestBody.ReadAsync<T>(ctx);
    }
}
