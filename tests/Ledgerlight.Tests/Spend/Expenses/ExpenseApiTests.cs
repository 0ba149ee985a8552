using System.Text.Json.Nodes;
using Ledgerlight.Currencies;
using Ledgerlight.Platform;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Spend.Expenses.ExpenseKit;

namespace Ledgerlight.Tests.Spend.Expenses;

/// <summary>Light's expense operations over a real server and database; every 200 body is checked against Light's schema by ApiClient.</summary>
public class ExpenseApiTests(ApiServer server) : IClassFixture<ApiServer>, IAsyncLifetime
{
    Tenant _tenant = null!;

    public async Task InitializeAsync() => _tenant = await server.CreateTenantAsync($"Expenses {Guid.NewGuid():N}", "USD");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_uploaded_receipt_becomes_an_expense_of_the_user_behind_the_key()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var url = await server.Admin.PostAsync("/v1/expenses/upload-url", new { filename = "r.pdf" }); // no user behind the key
        Assert.Contains("bound to the user", url.AssertError(403, "FORBIDDEN")["message"]!.GetValue<string>());

        var upload = (await employee.Api.PostAsync("/v1/expenses/upload-url", new { filename = "r.pdf", contentType = "application/pdf" })).AssertOk();
        var expenseId = upload["metadata"]!["expenseId"]!.GetValue<string>();
        (await employee.Api.GetAsync($"/v1/expenses/{expenseId}")).AssertError(404, "NOT_FOUND"); // nothing until the receipt arrives
        var put = await Documents.AttachmentTests.PutFileAsync(upload["uploadUrl"]!.GetValue<string>(), TextPdf("Hello"), "application/pdf");
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);

        var expense = (await employee.Api.GetAsync($"/v1/expenses/{expenseId}")).AssertOk();
        Assert.Equal(employee.UserId, expense["userId"]!.GetValue<string>());
        Assert.Equal("CREATED", expense["status"]!.GetValue<string>());
        Assert.Equal(upload["key"]!.GetValue<string>(), expense["receiptDocumentKey"]!.GetValue<string>());
        Assert.Equal("USD", expense["billingCurrency"]!.GetValue<string>());
        Assert.Empty(expense["lineItems"]!.AsArray()); // nothing readable on the receipt

        var document = await employee.Api.GetAsync($"/v1/expenses/{expenseId}/document");
        Assert.Equal(302, document.Code);
        Assert.StartsWith("%PDF", (await employee.Api.GetAsync(document.Headers.Location!.ToString())).Body);
    }

    [Fact]
    public async Task A_text_pdf_prefills_total_date_and_currency()
    {
        var employee = await EmployeeAsync(server, _tenant, "EUR");
        var expense = await ExpenseAsync(employee.Api, TextPdf("Cafe Central", "Date: 2024-03-15", "Coffee 3.50", "TOTAL EUR 12.40"));
        Assert.Equal("2024-03-15", expense["performedDate"]!.GetValue<string>());
        Assert.Equal("EUR", expense["originalCurrency"]!.GetValue<string>());
        var line = Assert.Single(expense["lineItems"]!.AsArray())!;
        Assert.Equal(1240, line["originalAmount"]!.GetValue<long>());
        Assert.Equal(1240, line["billingAmount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Patch_and_line_items_validate_and_change_nothing_on_error()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var id = Id(await ExpenseAsync(employee.Api));

        var bad = (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { originalCurrency = "XXQ", performedDate = "2024-02-01" }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal(["originalCurrency"], Path(bad));
        (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { originalCurrency = (string?)null })).AssertError(400, "BAD_REQUEST");
        var unchanged = (await employee.Api.GetAsync($"/v1/expenses/{id}")).AssertOk();
        Assert.Null(unchanged["performedDate"]);
        Assert.Equal("CREATED", unchanged["status"]!.GetValue<string>());

        var patched = (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { performedDate = "2024-02-01" })).AssertOk();
        Assert.Equal("2024-02-01", patched["performedDate"]!.GetValue<string>());
        Assert.Equal("IN_DRAFT", patched["status"]!.GetValue<string>());

        var negative = (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = -5 })).AssertError(400, "BAD_REQUEST");
        Assert.Equal(["originalAmount"], Path(negative));
        var unknownAccount = (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 5, accountId = Guid.NewGuid() }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal(["accountId"], Path(unknownAccount));
        Assert.Empty((await employee.Api.GetAsync($"/v1/expenses/{id}")).AssertOk()["lineItems"]!.AsArray());

        var line = (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 2_500, description = "Taxi" })).AssertOk();
        Assert.Equal(2_500, line["billingAmount"]!.GetValue<long>());
        Assert.Equal(id, line["expenseId"]!.GetValue<string>());
        var lineId = Id(line);

        var badPatch = (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}/line-items/{lineId}", new { billingAmount = -1, description = "x" }))
            .AssertError(400, "BAD_REQUEST");
        Assert.Equal(["billingAmount"], Path(badPatch));
        var given = (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}/line-items/{lineId}", new { billingAmount = 2_600 })).AssertOk();
        Assert.Equal(2_600, given["billingAmount"]!.GetValue<long>());
        Assert.Equal("Taxi", given["description"]!.GetValue<string>());
        var derived = (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}/line-items/{lineId}", new { billingAmount = (long?)null, originalAmount = 2_700 }))
            .AssertOk();
        Assert.Equal(2_700, derived["billingAmount"]!.GetValue<long>());

        (await employee.Api.SendAsync(HttpMethod.Delete, $"/v1/expenses/{id}/line-items/{Guid.NewGuid()}")).AssertError(404, "NOT_FOUND");
        var afterDelete = (await employee.Api.SendAsync(HttpMethod.Delete, $"/v1/expenses/{id}/line-items/{lineId}")).AssertOk();
        Assert.Empty(afterDelete["lineItems"]!.AsArray());
    }

    [Fact]
    public async Task A_foreign_currency_receipt_is_converted_at_the_ecb_rate_of_its_date()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var id = Id(await ExpenseAsync(employee.Api));
        (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { originalCurrency = "EUR", performedDate = "2026-01-15" })).AssertOk();
        var line = (await employee.Api.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 10_000 })).AssertOk();

        var rate = (await new ExchangeRateStore(server.Db).FindAsync("EUR", "USD", new DateOnly(2026, 1, 15)))!.Rate;
        var expected = Money.Convert(10_000, "EUR", "USD", rate);
        Assert.NotEqual(10_000, expected);
        Assert.Equal(10_000, line["originalAmount"]!.GetValue<long>());
        Assert.Equal(expected, line["billingAmount"]!.GetValue<long>());

        // Another date re-converts the derived amount.
        var rate2 = (await new ExchangeRateStore(server.Db).FindAsync("EUR", "USD", new DateOnly(2026, 1, 9)))!.Rate;
        var moved = (await employee.Api.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { performedDate = "2026-01-09" })).AssertOk();
        Assert.Equal(Money.Convert(10_000, "EUR", "USD", rate2), moved["lineItems"]![0]!["billingAmount"]!.GetValue<long>());
    }

    [Fact]
    public async Task List_shows_a_users_own_expenses_with_their_billing_total_and_cancel_leaves_the_total()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var other = await EmployeeAsync(server, _tenant, "USD");
        var a = Id(await ExpenseAsync(employee.Api));
        var b = Id(await ExpenseAsync(employee.Api));
        var c = Id(await ExpenseAsync(employee.Api));
        var foreign = Id(await ExpenseAsync(other.Api));
        (await employee.Api.PostAsync($"/v1/expenses/{a}/line-items", new { originalAmount = 1_000 })).AssertOk();
        (await employee.Api.PostAsync($"/v1/expenses/{b}/line-items", new { originalAmount = 300 })).AssertOk();
        (await employee.Api.PostAsync($"/v1/expenses/{c}/line-items", new { originalAmount = 50 })).AssertOk();

        var cancelled = (await employee.Api.PostAsync($"/v1/expenses/{c}/cancel")).AssertOk();
        Assert.Equal("CANCELLED", cancelled["status"]!.GetValue<string>());
        (await employee.Api.PostAsync($"/v1/expenses/{c}/cancel")).AssertError(409, "CONFLICT");
        (await employee.Api.PostAsync($"/v1/expenses/{c}/line-items", new { originalAmount = 1 })).AssertError(409, "CONFLICT");

        var page = (await employee.Api.GetAsync("/v1/expenses?limit=2&sort=createdAt:asc")).AssertOk();
        Assert.Equal(1_300, page["billingAmountTotal"]!.GetValue<long>());
        Assert.Equal(3, page["total"]!.GetValue<long>());
        Assert.True(page["hasMore"]!.GetValue<bool>());
        Assert.Equal([a, b], page["records"]!.AsArray().Select(r => Id(r!)));

        // Someone else's expense is not there for this user: 404, not 403.
        (await employee.Api.GetAsync($"/v1/expenses/{foreign}")).AssertError(404, "NOT_FOUND");
        (await employee.Api.PostAsync($"/v1/expenses/{foreign}/cancel")).AssertError(404, "NOT_FOUND");
        // The company's admin sees everyone's.
        var all = (await _tenant.Admin.GetAsync($"/v1/expenses?filter=userId:in:{employee.UserId}|{other.UserId}")).AssertOk();
        Assert.Equal(4, all["records"]!.AsArray().Count);
        // The total covers what the filter selects except cancelled expenses: c is listed but is not spend.
        var own = (await _tenant.Admin.GetAsync($"/v1/expenses?filter=userId:eq:{employee.UserId}")).AssertOk();
        Assert.Contains(c, own["records"]!.AsArray().Select(r => Id(r!)));
        Assert.Equal(3, own["records"]!.AsArray().Count);
        Assert.Equal(1_300, own["billingAmountTotal"]!.GetValue<long>());
        var filtered = (await _tenant.Admin.GetAsync("/v1/expenses?filter=status:eq:CANCELLED")).AssertOk();
        Assert.Equal(0, filtered["billingAmountTotal"]!.GetValue<long>());
        Assert.Contains(c, filtered["records"]!.AsArray().Select(r => Id(r!)));
    }

    [Fact]
    public async Task Another_companys_expense_is_not_found()
    {
        var employee = await EmployeeAsync(server, _tenant, "USD");
        var id = Id(await ExpenseAsync(employee.Api));
        (await server.Admin.GetAsync($"/v1/expenses/{id}")).AssertError(404, "NOT_FOUND");
        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/expenses/{id}", new { performedDate = "2024-01-01" })).AssertError(404, "NOT_FOUND");
        (await server.Admin.PostAsync($"/v1/expenses/{id}/line-items", new { originalAmount = 1 })).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/expenses/{id}/document")).AssertError(404, "NOT_FOUND");
        Assert.DoesNotContain(id, (await server.Admin.GetAsync("/v1/expenses?limit=200")).AssertOk()["records"]!.AsArray().Select(r => Id(r!)));
        (await server.Admin.GetAsync("/v1/expenses/not-a-uuid")).AssertError(400, "BAD_REQUEST");
    }
}
