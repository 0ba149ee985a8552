using Ledgerlight.Documents;

namespace Ledgerlight.Spend.Expenses;

/// <summary>
/// Light's expense operations. Every one declares expenses:read, which every role has: what a caller may then see or
/// change is the expense's ownership (<see cref="ExpenseAccess"/>), since an employee changes their own expenses
/// whatever their role.
/// </summary>
public static class ExpenseApi
{
    static readonly string Access = Permissions.Read("expenses");
    static readonly QueryField UserId = new("userId", "x.user_id", FieldType.Uuid);
    static readonly QueryField Status = ListFields.Status("x");
    static readonly QueryField PerformedDate = new("performedDate", "x.performed_date", FieldType.Date, Nullable: true);
    static readonly QueryField CreatedAt = ListFields.CreatedAt("x");

    /// <summary>Sorts and filters as listed in listExpenses' parameter descriptions.</summary>
    public static readonly ListSpec<ExpenseRow> Spec = ListFields.SpecFrom<ExpenseRow>("x", "expenses x", ExpenseRow.Columns, x => x.Id,
        [(UserId, x => x.UserId), (Status, x => x.Status), (PerformedDate, x => x.PerformedDate), (CreatedAt, x => x.CreatedAt)],
        [ListFields.Id("x"), UserId, Status, PerformedDate, CreatedAt, ListFields.UpdatedAt("x")],
        ("createdAt", SortDirection.Desc));

    /// <summary>The total sums the billing amounts of every selected expense except cancelled ones (nothing is owed for those).</summary>
    const string BillingTotal = """
        COALESCE(sum((SELECT COALESCE(sum(l.billing_amount), 0) FROM expense_line_items l
                       WHERE l.company_id = x.company_id AND l.expense_id = x.id)), 0)::bigint
        """;

    public static void MapExpenseApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/expenses/upload-url", async (HttpContext ctx, ExpenseStore store) =>
                ApiResults.Ok(await store.CreateForUploadAsync(ctx.Principal(), await RequestBody.ReadAsync<ExpenseUploadUrlRequest>(ctx))))
            .WithName("generateUploadUrl").RequirePermission(Access);

        app.MapGet("/v1/expenses", ListAsync).WithName("listExpenses").RequirePermission(Access);

        app.MapPost("/v1/expenses/submit", async (HttpContext ctx, ExpenseSubmission submission) =>
                ApiResults.Ok(await submission.SubmitAsync(ctx.Principal())))
            .WithName("submitReimbursement").RequirePermission(Access);

        var expense = app.MapGroup("/v1/expenses/{expenseId}");
        expense.MapGet("", async (string expenseId, HttpContext ctx, ExpenseStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal(), Id(expenseId)) ?? throw NotFound()))
            .WithName("getExpense").RequirePermission(Access);

        expense.MapPatch("", async (string expenseId, HttpContext ctx, ExpenseStore store) =>
            {
                var (request, body) = await RequestBody.ReadWithRootAsync<UpdateExpenseRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), Id(expenseId), request, body) ?? throw NotFound());
            })
            .WithName("updateExpense").RequirePermission(Access);

        expense.MapPost("/cancel", async (string expenseId, HttpContext ctx, ExpenseStore store) =>
                ApiResults.Ok(await store.CancelAsync(ctx.Principal(), Id(expenseId)) ?? throw NotFound()))
            .WithName("cancelExpense").RequirePermission(Access);

        expense.MapGet("/document", async (string expenseId, HttpContext ctx, ExpenseStore store, SignedUrls urls) =>
            {
                var key = await store.ReceiptKeyAsync(ctx.Principal(), Id(expenseId)) ?? throw NotFound();
                return Results.Redirect(urls.ForDownload(key).Url);
            })
            .WithName("getAttachedDocument_1").RequirePermission(Access);

        MapLineItems(expense);
    }

    static void MapLineItems(RouteGroupBuilder expense)
    {
        expense.MapPost("/line-items", async (string expenseId, HttpContext ctx, ExpenseLineStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(), Id(expenseId), await RequestBody.ReadAsync<ExpenseLineRequest>(ctx))
                              ?? throw NotFound()))
            .WithName("createExpenseLineItem").RequirePermission(Access);

        expense.MapPatch("/line-items/{lineItemId}", async (string expenseId, string lineItemId, HttpContext ctx, ExpenseLineStore store) =>
            {
                var (request, body) = await RequestBody.ReadWithRootAsync<ExpenseLineRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), Id(expenseId), Ids.Parse(lineItemId, "lineItemId"), request, body)
                                     ?? throw NotFound());
            })
            .WithName("updateExpenseLineItem").RequirePermission(Access);

        expense.MapDelete("/line-items/{lineItemId}", async (string expenseId, string lineItemId, HttpContext ctx, ExpenseLineStore store) =>
                ApiResults.Ok(await store.DeleteAsync(ctx.Principal(), Id(expenseId), Ids.Parse(lineItemId, "lineItemId")) ?? throw NotFound()))
            .WithName("deleteExpenseLineItem").RequirePermission(Access);
    }

    static async Task<IResult> ListAsync(HttpContext ctx, NpgsqlDataSource db, ExpenseStore store)
    {
        var principal = ctx.Principal();
        var request = QueryFlags.List(ctx);
        await store.ActivateUploadsAsync(principal.CompanyId);
        var page = await ListQuery.RunAsync(db, Spec, request, principal.CompanyId, w => Visible(w, principal), ctx.RequestAborted);
        var total = await ListQuery.AggregateAsync<long?, ExpenseRow>(db, Spec, request, principal.CompanyId, BillingTotal, w =>
        {
            Visible(w, principal);
            w.Add($"x.status <> {w.Param(ExpenseState.Cancelled)}");
        }, ctx.RequestAborted);
        await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
        var models = await ExpenseStore.ModelsAsync(conn, null, principal.CompanyId, page.Records);
        return ApiResults.Ok(new ExpensePageModel(total ?? 0, models, page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
    }

    /// <summary>Expenses whose receipt has arrived; only the caller's own unless they see all (<see cref="ExpenseAccess.SeesAll"/>).</summary>
    static void Visible(SqlWhere where, Principal principal)
    {
        where.Add($"x.status <> {where.Param(ExpenseState.PendingUpload)}");
        if (!ExpenseAccess.SeesAll(principal)) where.Add($"x.user_id = {where.Param(principal.UserId!.Value)}");
    }

    static Guid Id(string expenseId) => Ids.Parse(expenseId, "expenseId");

    static ApiException NotFound() => ApiException.NotFound("Expense");
}
