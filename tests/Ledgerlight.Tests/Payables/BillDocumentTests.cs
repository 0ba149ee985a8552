using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables;

public class BillDocumentTests(ApiServer server) : IClassFixture<ApiServer>
{
    async Task<string> Bill()
    {
        var vendor = (await server.Admin.PostAsync("/v1/vendors", new { name = "Paper Supplier" })).AssertOk()["vendorId"]!.GetValue<string>();
        return (await server.Admin.PostAsync("/v1/invoice-payables", new { vendorId = vendor, amount = 12_000, currency = "USD", invoiceNumber = $"D-{Guid.NewGuid():N}" }))
            .AssertOk()["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Upload_through_the_signed_url_then_download_by_redirect()
    {
        var bill = await Bill();
        (await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/document")).AssertError(404, "NOT_FOUND");

        var grant = (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/document/upload-url",
            new { documentName = "invoice-4711.pdf", contentType = "application/pdf" })).AssertOk();
        Assert.Equal("application/pdf", grant["headers"]!["Content-Type"]!.GetValue<string>());
        var pdf = "%PDF-1.4\n% a tiny test document\n"u8.ToArray();
        var put = await Documents.AttachmentTests.PutFileAsync(grant["uploadUrl"]!.GetValue<string>(), pdf, "application/pdf");
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);

        var redirect = await server.Admin.GetAsync($"/v1/invoice-payables/{bill}/document");
        Assert.Equal(302, redirect.Code);
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(redirect.Headers.Location!);
        Assert.Equal(pdf, bytes);
    }

    [Fact]
    public async Task Bad_requests_and_other_companies()
    {
        var bill = await Bill();
        (await server.Admin.PostAsync($"/v1/invoice-payables/{bill}/document/upload-url", new { contentType = "application/x-msdownload" }))
            .AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync($"/v1/invoice-payables/{Guid.NewGuid()}/document/upload-url", new { contentType = "application/pdf" }))
            .AssertError(404, "NOT_FOUND");
        (await server.Viewer.PostAsync($"/v1/invoice-payables/{bill}/document/upload-url", new { contentType = "application/pdf" }))
            .AssertError(403, "FORBIDDEN");
        var other = await server.CreateTenantAsync("Other Bills Co", "USD");
        (await other.Admin.GetAsync($"/v1/invoice-payables/{bill}/document")).AssertError(404, "NOT_FOUND");
    }
}
