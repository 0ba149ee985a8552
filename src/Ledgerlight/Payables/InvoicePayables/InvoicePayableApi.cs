using Ledgerlight.Payables.CreditNotes;
using Ledgerlight.Payables.Vendors;
using Ledgerlight.Platform;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.OpenApi;
using Ledgerlight.Platform.Query;
using Npgsql;

namespace Ledgerlight.Payables.InvoicePayables;

public static class InvoicePayableApi
{
    static readonly QueryField Amount = new("amount", "b.amount", FieldType.Integer, Nullable: true);
    static readonly QueryField CanceledAt = new("canceledAt", "b.canceled_at", FieldType.Timestamp, Nullable: true);
    static readonly QueryField Description = new("description", "b.description", FieldType.Text, Nullable: true);
    static readonly QueryField DueDate = new("dueDate", "b.due_date", FieldType.Date, Nullable: true);
    static readonly QueryField IssuedDate = new("issuedDate", "b.issued_date", FieldType.Date, Nullable: true);
    static readonly QueryField PaymentAt = new("paymentAt", "b.payment_at", FieldType.Timestamp, Nullable: true);
    static readonly QueryField CreatedAt = new("createdAt", "b.created_at", FieldType.Timestamp);
    static readonly QueryField State = new("state", "b.state", FieldType.Enum);
    static readonly QueryField VendorName = new("vendorName", "v.name", FieldType.Text, Nullable: true);

    static Func<FilterOperator, string, string> CreatorBy(string column) => (op, p) =>
        FilterSql.Apply(op, $"b.created_by IN (SELECT x.id FROM users x WHERE x.company_id = b.company_id AND {FilterSql.Compare(op, "x." + column, p)})");

    /// <summary>Sorts and filters as listed in listInvoicePayables' parameter descriptions.</summary>
    public static readonly ListSpec<BillRow> Spec = new()
    {
        From = BillRow.From,
        Select = BillRow.Columns,
        CompanyColumn = "b.company_id",
        Id = new("id", "b.id", FieldType.Uuid),
        IdOf = b => b.Id,
        Sortable =
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
            (new("businessPartnerName", "v.name", FieldType.Text, Nullable: true), b => b.VendorName),
        ],
        Filterable =
        [
            new("approverUserId", "", FieldType.Uuid)
            {
                CustomFilter = (op, p) => FilterSql.Apply(op, "EXISTS (SELECT 1 FROM invoice_approvals ia JOIN invoice_user_approvals s " +
                    "ON s.company_id = ia.company_id AND s.approval_id = ia.id WHERE ia.company_id = b.company_id AND ia.invoice_payable_id = b.id " +
                    $"AND {FilterSql.Compare(op, "s.user_id", p)})"),
            },
            new("id", "b.id", FieldType.Uuid),
            new("vendorId", "b.vendor_id", FieldType.Uuid, Nullable: true),
            new("userId", "b.created_by", FieldType.Uuid, Nullable: true),
            new("companyEntityId", "b.company_entity_id", FieldType.Uuid),
            new("senderBankAccountId", "b.sender_bank_account_id", FieldType.Uuid, Nullable: true),
            Amount,
            Description,
            new("documentNumber", "b.document_number", FieldType.Text, Nullable: true),
            DueDate,
            IssuedDate,
            PaymentAt,
            CreatedAt,
            new("updatedAt", "b.updated_at", FieldType.Timestamp),
            State,
            VendorName,
            new("userFirstName", "", FieldType.Text) { CustomFilter = CreatorBy("first_name") },
            new("userLastName", "", FieldType.Text) { CustomFilter = CreatorBy("last_name") },
            new("type", "b.type", FieldType.Enum),
        ],
        DefaultSort = ("createdAt", SortDirection.Desc),
    };

    static Guid BillId(string raw) => Ids.Parse(raw, "invoicePayableId");
    static ApiException NotFound => ApiException.NotFound("Invoice payable");

    public static void MapInvoicePayableApi(this IEndpointRouteBuilder app)
    {
        var read = Permissions.Read("payables");
        var write = Permissions.Write("payables");
        var approvals = Permissions.Write("approvals");

        async Task<IResult> List(HttpContext ctx, NpgsqlDataSource db)
        {
            var page = await ListQuery.RunAsync(db, Spec, QueryFlags.List(ctx), ctx.Principal().CompanyId, ct: ctx.RequestAborted);
            return ApiResults.Ok(page.Map(b => b.ToBffModel()));
        }
        app.MapGet("/v1/bff/invoice-payables", List).WithName("listInvoicePayables").RequirePermission(read);
        // The overview seed's spelling of the same list.
        app.MapGet("/v1/invoice-payables", List).WithName("listInvoicePayablesAlias").RequirePermission(read);

        app.MapPost("/v1/invoice-payables", async (HttpContext ctx, InvoicePayableStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(), await RequestBody.ReadAsync<CreateBillRequest>(ctx))))
            .WithName("createInvoicePayableDetails").RequirePermission(write);

        app.MapGet("/v1/invoice-payables/{invoicePayableId}", async (string invoicePayableId, HttpContext ctx, InvoicePayableStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, BillId(invoicePayableId), QueryFlags.Bool(ctx, "includeOutstandingBalance"))
                              ?? throw NotFound))
            .WithName("getInvoicePayableDetails").RequirePermission(read);

        app.MapPatch("/v1/invoice-payables/{invoicePayableId}", async (string invoicePayableId, HttpContext ctx, InvoicePayableStore store) =>
            {
                var id = BillId(invoicePayableId);
                var (request, root) = await RequestBody.ReadWithRootAsync<UpdateBillRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, root) ?? throw NotFound);
            })
            .WithName("updateInvoicePayable").RequirePermission(write);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/line-items", async (string invoicePayableId, HttpContext ctx, BillLineStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await RequestBody.ReadAsync<BillLineRequest>(ctx);
                return ApiResults.Ok(await store.AddAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("createInvoicePayableLineItem").RequirePermission(write);

        app.MapGet("/v1/invoice-payables/{invoicePayableId}/line-items/{lineItemId}",
                async (string invoicePayableId, string lineItemId, HttpContext ctx, BillLineStore store) =>
                    ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, BillId(invoicePayableId), Ids.Parse(lineItemId, "lineItemId"))
                                  ?? throw ApiException.NotFound("Invoice payable line item")))
            .WithName("getInvoicePayableLineItem").RequirePermission(read);

        app.MapPut("/v1/invoice-payables/{invoicePayableId}/line-items/{lineItemId}",
                async (string invoicePayableId, string lineItemId, HttpContext ctx, BillLineStore store) =>
                {
                    var id = BillId(invoicePayableId);
                    var lineId = Ids.Parse(lineItemId, "lineItemId");
                    var request = await RequestBody.ReadAsync<BillLineRequest>(ctx);
                    return ApiResults.Ok(await store.ReplaceAsync(ctx.Principal(), id, lineId, request)
                                         ?? throw ApiException.NotFound("Invoice payable line item"));
                })
            .WithName("updateInvoicePayableLineItem").RequirePermission(write);

        app.MapDelete("/v1/invoice-payables/{invoicePayableId}/line-items/{lineItemId}",
                async (string invoicePayableId, string lineItemId, HttpContext ctx, BillLineStore store) =>
                    ApiResults.Ok(await store.DeleteAsync(ctx.Principal(), BillId(invoicePayableId), Ids.Parse(lineItemId, "lineItemId"))
                                  ?? throw ApiException.NotFound("Invoice payable line item")))
            .WithName("deleteInvoicePayableLineItem").RequirePermission(write);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/submit-for-approval", async (string invoicePayableId, HttpContext ctx, BillApprovalStore store) =>
            {
                var id = BillId(invoicePayableId);
                await ReadOptionalAsync<SubmitRequest>(ctx);
                return ApiResults.Ok(await store.SubmitAsync(ctx.Principal(), id) ?? throw NotFound);
            })
            .WithName("submitInvoicePayableForApproval").RequirePermission(write);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/approve", async (string invoicePayableId, HttpContext ctx, BillApprovalStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<NoteRequest>(ctx);
                return ApiResults.Ok(await store.ApproveAsync(ctx.Principal(), id, request?.Note) ?? throw NotFound);
            })
            .WithName("approveInvoicePayable").RequirePermission(approvals);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/decline", async (string invoicePayableId, HttpContext ctx, BillApprovalStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<NoteRequest>(ctx);
                return ApiResults.Ok(await store.DeclineAsync(ctx.Principal(), id, request?.Note) ?? throw NotFound);
            })
            .WithName("declineInvoicePayable").RequirePermission(approvals);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/post", async (string invoicePayableId, HttpContext ctx, BillPostingStore store) =>
                ApiResults.Ok(await store.PostAsync(ctx.Principal(), BillId(invoicePayableId)) ?? throw NotFound))
            .WithName("postInvoicePayable").RequirePermission(write);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/mark-as-paid", async (string invoicePayableId, HttpContext ctx, BillPaymentStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await RequestBody.ReadAsync<MarkAsPaidRequest>(ctx);
                return ApiResults.Ok(await store.MarkAsPaidAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("markInvoicePayableAsPaid").RequirePermission(write);

        app.MapGet("/v1/invoice-payables/{invoicePayableId}/payments", async (string invoicePayableId, HttpContext ctx, InvoicePayableStore store) =>
                ApiResults.Ok(await store.ListPaymentsAsync(ctx.Principal().CompanyId, BillId(invoicePayableId)) ?? throw NotFound))
            .WithName("listInvoicePayablePayments").RequirePermission(read);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/reverse-clearing", async (string invoicePayableId, HttpContext ctx, BillPaymentStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await RequestBody.ReadAsync<ReverseClearingRequest>(ctx);
                return ApiResults.Ok(await store.ReverseClearingAsync(ctx.Principal(), id, request) ?? throw NotFound);
            })
            .WithName("reverseInvoicePayableClearing").RequirePermission(write);

        app.MapPost("/v1/invoice-payables/{invoicePayableId}/cancel", async (string invoicePayableId, HttpContext ctx, BillPaymentStore store) =>
            {
                var id = BillId(invoicePayableId);
                var request = await ReadOptionalAsync<CancelRequest>(ctx);
                return ApiResults.Ok(await store.CancelAsync(ctx.Principal(), id, request?.Reason) ?? throw NotFound);
            })
            .WithName("cancelInvoicePayable").RequirePermission(write);

        app.MapGet("/v1/invoice-payables/{invoicePayableId}/credit-notes", async (string invoicePayableId, HttpContext ctx, CreditNoteLinkStore notes) =>
                ApiResults.Ok(await notes.ListLinksAsync(ctx.Principal().CompanyId, null, BillId(invoicePayableId)) ?? throw NotFound))
            .WithName("getLinkedCreditNotes").RequirePermission(read);

        app.MapGet("/v1/invoice-approval", async (HttpContext ctx, BillApprovalStore store) =>
            {
                var ids = ctx.Request.Query["invoicePayableId"]
                    .SelectMany(raw => (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(raw => Ids.Parse(raw, "invoicePayableId")).ToArray();
                return ApiResults.Ok(await store.ListApprovalsAsync(ctx.Principal().CompanyId, ids));
            })
            .WithName("getInvoicePayableApprovals").RequirePermission(read);

        app.MapGet("/v1/invoice-approval/rules", async (HttpContext ctx, BillApprovalSettingsStore store) =>
                ApiResults.Ok(await store.GetRuleAsync(ctx.Principal().CompanyId)))
            .WithName("getInvoiceApprovalRule")
            .WithMetadata(new LedgerlightExtension("Get the bill approval rule",
                "The company's amount threshold: bills at or above it need approval before posting; below it they may be posted directly."))
            .RequirePermission(read);

        app.MapPut("/v1/invoice-approval/rules", async (HttpContext ctx, BillApprovalSettingsStore store) =>
                ApiResults.Ok(await store.SetRuleAsync(ctx.Principal().CompanyId, await RequestBody.ReadAsync<ApprovalRuleRequest>(ctx))))
            .WithName("setInvoiceApprovalRule")
            .WithMetadata(new LedgerlightExtension("Set the bill approval rule",
                "Body {\"amountThreshold\": 100000} (minor units, null for none). Bills at or above the threshold need approval before posting. ADMIN only."))
            .RequirePermission(Permissions.Write("settings"));

        app.MapPut("/v1/vendors/{vendorId}/approvers", async (string vendorId, HttpContext ctx, BillApprovalSettingsStore bills, VendorStore vendors) =>
            {
                var id = Ids.Parse(vendorId, "vendorId");
                var request = await RequestBody.ReadAsync<VendorApproversRequest>(ctx);
                if (!await bills.SetVendorApproversAsync(ctx.Principal().CompanyId, id, request)) throw ApiException.NotFound("Vendor");
                return ApiResults.Ok((await vendors.GetAsync(ctx.Principal().CompanyId, id))!.ToModel());
            })
            .WithName("setVendorApprovers")
            .WithMetadata(new LedgerlightExtension("Set a vendor's bill approvers",
                "Replaces the vendor's approvers: body {\"approvers\":[{\"userId\":...,\"priority\":1}]} (user or API key ids; lower priority approves first). " +
                "Bills of a vendor with approvers need every approver's approval before posting. ADMIN only.", "ExternalVendorV1Model"))
            .RequirePermission(Permissions.Write("settings"));
    }

    /// <summary>Bodies that are entirely optional (approve, decline, cancel, submit): none at all is fine.</summary>
    static async Task<T?> ReadOptionalAsync<T>(HttpContext ctx) where T : class
    {
        if (ctx.Request.ContentLength is null or 0 && ctx.Request.Headers.TransferEncoding.Count == 0) return null;
        return await RequestBody.ReadAsync<T>(ctx);
    }
}
