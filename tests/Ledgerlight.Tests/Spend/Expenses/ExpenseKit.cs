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

    /// <summary>A one-page receipt as real PDF writers make it (PDFsharp: compressed content, an embedded Unicode font), one text line per argument.</summary>
    public static byte[] TextPdf(params string[] lines)
    {
        Ledgerlight.Documents.Pdf.EmbeddedFonts.EnsureRegistered();
        using var pdf = new PdfSharp.Pdf.PdfDocument();
        pdf.Options.CompressContentStreams = true;
        var page = pdf.AddPage();
        using (var gfx = PdfSharp.Drawing.XGraphics.FromPdfPage(page))
        {
            var font = new PdfSharp.Drawing.XFont(Ledgerlight.Documents.Pdf.EmbeddedFonts.Family, 12, PdfSharp.Drawing.XFontStyleEx.Regular,
                new PdfSharp.Drawing.XPdfFontOptions(PdfSharp.Pdf.PdfFontEncoding.Unicode));
            for (var i = 0; i < lines.Length; i++)
                gfx.DrawString(lines[i], font, PdfSharp.Drawing.XBrushes.Black, new PdfSharp.Drawing.XPoint(50, 60 + 18 * i));
        }
        using var output = new MemoryStream();
        pdf.Save(output, closeStream: false);
        return output.ToArray();
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
