using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Tests.Ledger;
using Ledgerlight.Tests.Payables;
using Xunit;
using static Ledgerlight.Tests.Spend.Expenses.ExpenseKit;

namespace Ledgerlight.Tests.Spend.Expenses;

/// <summary>Submitting expenses: one REIMBURSEMENT bill to the user, through approval, the ledger and payment.</summary>
public class ReimbursementTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    Tenant _tenant = null!;

    public async Task InitializeAsync() => _tenant = await server.CreateTenantAsync($"Reimbursements {Guid.NewGuid():N}", "USD");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_expenses_become_one_reimbursement_bill_that_is_approved_posted_and_paid()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var first = Id(await ExpenseAsync(employee.Api));
        var second = Id(await ExpenseAsync(employee.Api));
        var cancelled = Id(await ExpenseAsync(employee.Api));
        (await employee.Api.PostAsync($"/v1/expenses/{cancelled}/cancel")).AssertOk();
        foreach (var (id, amount) in new[] { (first, 4_000L), (second, 1_500L) })
        {
            (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { performedDate = "2026-01-10" })).AssertOk();
            (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = amount, description = $"Trip {amount}" })).AssertOk();
        }
        (await _tenant.Admin.GetAsync($"/v1/users/{employee.UserId}/reimbursements/latest")).AssertError(404, "NOT_FOUND");

        var reimbursement = (await employee.Api.PostAsync("/v1/expenses/submit")).AssertOk();
        Assert.Equal("IN_PROGRESS", reimbursement["status"]!.GetValue<string>());
        Assert.Equal(employee.UserId, reimbursement["userId"]!.GetValue<string>());
        Assert.Equal(new[] { first, second }.Order(), reimbursement["expenseIds"]!.AsArray().Select(e => e!.GetValue<string>()).Order());
        Assert.Equal("SUBMITTED_FOR_REVIEW", (await employee.Api.GetAsync($"/v1/expenses/{first}")).AssertOk()["status"]!.GetValue<string>());
        Assert.Equal("CANCELLED", (await employee.Api.GetAsync($"/v1/expenses/{cancelled}")).AssertOk()["status"]!.GetValue<string>());
        (await employee.Api.PostAsync($"/v1/expenses/{first}/line-items", new { originalAmount = 1 })).AssertError(409, "CONFLICT");
        (await employee.Api.PostAsync("/v1/expenses/submit")).AssertError(422, "UNPROCESSABLE_CONTENT"); // nothing left to submit

        var bills = (await _tenant.Admin.GetAsync("/v1/bff/invoice-payables?limit=10")).AssertOk()["records"]!.AsArray();
        var bill = Assert.Single(bills)!;
        Assert.Equal("REIMBURSEMENT", bill["type"]!.GetValue<string>());
        Assert.Null(bill["reimbursement"]); // embedded only when asked for
        var included = (await _tenant.Admin.GetAsync("/v1/bff/invoice-payables?limit=10&include=REIMBURSEMENT")).AssertOk()["records"]![0]!;
        Assert.Equal((reimbursement["id"]!.GetValue<string>(), "IN_PROGRESS"),
            (included["reimbursement"]!["id"]!.GetValue<string>(), included["reimbursement"]!["status"]!.GetValue<string>()));
        (await _tenant.Admin.GetAsync("/v1/bff/invoice-payables?include=VENDOR")).AssertError(400, "BAD_REQUEST");
        var billId = BillKit.Id(bill);
        var detail = (await _tenant.Admin.GetAsync($"/v1/invoice-payables/{billId}")).AssertOk();
        Assert.Equal(5_500, detail["amount"]!.GetValue<long>());
        Assert.Equal(2, detail["lineItems"]!.AsArray().Count);
        Assert.Equal("REIMBURSEMENT", detail["type"]!.GetValue<string>());
        Assert.Equal("REIMBURSEMENT_METADATA", detail["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal(reimbursement["id"]!.GetValue<string>(), detail["metadata"]!["reimbursementId"]!.GetValue<string>());
        Assert.Equal(employee.UserId, detail["metadata"]!["userId"]!.GetValue<string>());
        Assert.Null(detail["vendorId"]);
        var billLine = detail["lineItems"]!.AsArray().Single(l => l!["amount"]!.GetValue<long>() == 4_000)!;
        Assert.Equal("REIMBURSEMENT", billLine["type"]!.GetValue<string>());
        Assert.Equal("REIMBURSEMENT", billLine["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal(first, billLine["metadata"]!["expenseId"]!.GetValue<string>());
        Assert.Equal("2026-01-10", billLine["metadata"]!["performedDate"]!.GetValue<string>());
        Assert.Equal(4_000, billLine["metadata"]!["originalAmount"]!.GetValue<long>());
        Assert.Equal("USD", billLine["metadata"]!["originalCurrency"]!.GetValue<string>());

        var approved = (await _tenant.Admin.PostAsync($"/v1/invoice-payables/{billId}/approve", new { note = "ok" })).AssertOk();
        if (BillKit.State(approved) != "UNPAID") approved = (await _tenant.Admin.PostAsync($"/v1/invoice-payables/{billId}/post")).AssertOk();
        Assert.Equal("UNPAID", BillKit.State(approved));
        // Dr the expense account, Cr employee reimbursements payable (2300) rather than accounts payable.
        Assert.Equal([(6200, "D", 1_500L), (6200, "D", 4_000L), (2300, "C", 5_500L)], await BillKit.Lines(_tenant.Admin, billId));
        var trialBalance = await new LedgerTestKit(_tenant.Admin).TrialBalance();
        Assert.Equal(0, trialBalance["difference"]!.GetValue<long>());
        Assert.Equal(trialBalance["totalDebit"]!.GetValue<long>(), trialBalance["totalCredit"]!.GetValue<long>());
        Assert.Equal("IN_PROGRESS", (await _tenant.Admin.GetAsync($"/v1/users/{employee.UserId}/reimbursements/latest")).AssertOk()["status"]!.GetValue<string>());

        var paid = (await _tenant.Admin.PostAsync($"/v1/invoice-payables/{billId}/mark-as-paid", new { paymentOption = "FULL" })).AssertOk();
        Assert.Equal("PAID", BillKit.State(paid));
        var latest = (await _tenant.Admin.GetAsync($"/v1/users/{employee.UserId}/reimbursements/latest")).AssertOk();
        Assert.Equal(reimbursement["id"]!.GetValue<string>(), latest["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", latest["status"]!.GetValue<string>());
        Assert.Equal(0, await new LedgerTestKit(_tenant.Admin).Balance(2300, "2099-12-31"));
    }

    async Task<Employee> EmployeeWithExpenseAsync(long amount)
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var id = Id(await ExpenseAsync(employee.Api));
        (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { performedDate = "2026-01-12" })).AssertOk();
        (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = amount })).AssertOk();
        return employee;
    }

    [Fact]
    public async Task A_declined_bill_makes_the_reimbursement_rejected_and_a_cancelled_one_failed()
    {
        var employee = await EmployeeWithExpenseAsync(900);
        (await employee.Api.PostAsync("/v1/expenses/submit")).AssertOk();
        var bill = (await _tenant.Admin.GetAsync("/v1/bff/invoice-payables?limit=200")).AssertOk()["records"]!.AsArray()
            .Single(b => b!["metadata"]!["userId"]?.GetValue<string>() == employee.UserId)!;
        (await _tenant.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(bill)}/submit-for-approval")).AssertOk();
        (await _tenant.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(bill)}/decline", new { note = "no receipt" })).AssertOk();
        var latest = $"/v1/users/{employee.UserId}/reimbursements/latest";
        Assert.Equal("REJECTED", (await _tenant.Admin.GetAsync(latest)).AssertOk()["status"]!.GetValue<string>());
        // A declined bill can still be corrected and approved: its expense stays with it.
        var expense = Assert.Single((await employee.Api.GetAsync("/v1/expenses?limit=10")).AssertOk()["records"]!.AsArray())!;
        Assert.Equal("SUBMITTED_FOR_REVIEW", expense["status"]!.GetValue<string>());
        (await employee.Api.PostAsync("/v1/expenses/submit")).AssertError(422, "UNPROCESSABLE_CONTENT");

        (await _tenant.Admin.PostAsync($"/v1/invoice-payables/{BillKit.Id(bill)}/cancel", new { reason = "withdrawn" })).AssertOk();
        Assert.Equal("FAILED", (await _tenant.Admin.GetAsync(latest)).AssertOk()["status"]!.GetValue<string>());
        // A cancelled bill will never pay: the expense is back with its owner, editable, and goes into a new reimbursement.
        var returned = (await employee.Api.GetAsync($"/v1/expenses/{expense["id"]}")).AssertOk();
        Assert.Equal("IN_DRAFT", returned["status"]!.GetValue<string>());
        var again = (await employee.Api.PostAsync("/v1/expenses/submit")).AssertOk();
        Assert.Equal([expense["id"]!.GetValue<string>()], again["expenseIds"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("IN_PROGRESS", (await _tenant.Admin.GetAsync(latest)).AssertOk()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_submits_make_one_reimbursement()
    {
        var employee = await EmployeeWithExpenseAsync(1_234);
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => employee.Api.PostAsync("/v1/expenses/submit")));
        Assert.Single(answers, a => a.Code == 200);
        Assert.All(answers.Where(a => a.Code != 200), a => Assert.Contains(a.Code, new[] { 409, 422 }));
        var bills = (await _tenant.Admin.GetAsync("/v1/bff/invoice-payables?limit=200")).AssertOk()["records"]!.AsArray()
            .Where(b => b!["metadata"]!["userId"]?.GetValue<string>() == employee.UserId);
        Assert.Single(bills);
    }

    [Fact]
    public async Task A_company_key_without_a_user_is_told_who_can_submit()
    {
        var refused = (await _tenant.Admin.PostAsync("/v1/expenses/submit")).AssertError(403, "FORBIDDEN");
        Assert.Contains("Only a user can submit expenses", refused["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Incomplete_expenses_are_refused_and_stay_pending()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var id = Id(await ExpenseAsync(employee.Api));
        var refused = (await employee.Api.PostAsync("/v1/expenses/submit")).AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains(refused["errors"]!.AsArray(), e => e!["path"]!.AsArray().Select(p => p!.ToString()).Last() == "performedDate");
        Assert.Equal("CREATED", (await employee.Api.GetAsync($"/v1/expenses/{id}")).AssertOk()["status"]!.GetValue<string>());
    }
}
