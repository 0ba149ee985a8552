using System.Text;
using System.Text.Json.Nodes;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Spend.Expenses;

/// <summary>An employee of a tenant: their user id and an API key bound to them.</summary>
public sealed record Employee(string UserId, ApiClient Api);

/// <summary>Shared set-up for the expense tests: employees with bound keys, receipts uploaded through the signed URL.</summary>
public static class ExpenseKit
{
    public static async Task<Employee> EmployeeAsync(ApiServer server, Tenant tenant, string? reimbursementCurrency = null, string role = Roles.Viewer)
    {
        var userId = (await tenant.Admin.PostAsync("/v1/users", new { email = $"emp-{Guid.NewGuid():N}@example.com", firstName = "Eve", lastName = "Employee" }))
            .AssertOk()["id"]!.GetValue<string>();
        if (reimbursementCurrency is not null)
            (await tenant.Admin.PutAsync($"/v1/users/{userId}/reimbursement-config", new { currency = reimbursementCurrency, bankCountry = "DE" })).AssertOk();
        var keys = new ApiKeyStore(server.Db, TimeProvider.System);
        var key = await keys.CreateAsync(tenant.CompanyId, role, "employee", await keys.FindUserAsync(tenant.CompanyId, userId));
        return new Employee(userId, new ApiClient(server.BaseAddress, key.Key));
    }

    /// <summary>A one-page PDF whose text is uncompressed, as a simple receipt printer writes it.</summary>
    public static byte[] TextPdf(params string[] lines)
    {
        var content = new StringBuilder("BT /F1 12 Tf 50 750 Td ");
        foreach (var line in lines) content.Append('(').Append(line.Replace("(", "\\(").Replace(")", "\\)")).Append(") Tj 0 -16 Td ");
        content.Append("ET");
        return Encoding.Latin1.GetBytes(
            "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
            "3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n" +
            $"4 0 obj << /Length {content.Length} >> stream\n{content}\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    }

    /// <summary>Asks for an upload URL and uploads the receipt there; answers the upload-url response.</summary>
    public static async Task<JsonNode> UploadAsync(ApiClient api, byte[]? receipt = null, string contentType = "application/pdf")
    {
        var url = (await api.PostAsync("/v1/expenses/upload-url", new { filename = "receipt.pdf", contentType })).AssertOk();
        var put = await Documents.AttachmentTests.PutFileAsync(url["uploadUrl"]!.GetValue<string>(), receipt ?? TextPdf("Thank you"), contentType);
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        return url;
    }

    /// <summary>Uploads a receipt and answers the expense it became.</summary>
    public static async Task<JsonNode> ExpenseAsync(ApiClient api, byte[]? receipt = null)
    {
        var url = await UploadAsync(api, receipt);
        return (await api.GetAsync($"/v1/expenses/{url["metadata"]!["expenseId"]}")).AssertOk();
    }

    public static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    public static string[] Path(JsonNode error) => error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()).ToArray();
}
