using System.Text.Json.Nodes;
using Dapper;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Payables.CreditNotes;

public static class CreditNoteKit
{
    public static async Task<JsonNode> Note(ApiClient client, object body) => (await client.PostAsync("/v1/credit-notes", body)).AssertOk();

    /// <summary>A posted credit note of the vendor for a net amount without tax.</summary>
    public static async Task<string> PostedNote(ApiClient client, string vendor, long net)
    {
        var id = (await Note(client, new { businessPartnerId = vendor, currency = "USD", lines = new[] { new { netTransactionAmount = new { amount = net, dcSign = "C" } } } }))["id"]!.GetValue<string>();
        Assert.Equal("POSTED", (await client.PostAsync($"/v1/credit-notes/{id}/post")).AssertOk()["status"]!.GetValue<string>());
        return id;
    }

    public static async Task<string> Bill(ApiClient client, string vendor, long net, bool post)
    {
        var id = BillKit.Id(await BillKit.Bill(client, new { vendorId = vendor, currency = "USD", invoiceNumber = $"B-{Guid.NewGuid():N}", lineItems = new[] { new { netAmount = net } } }));
        if (post) Assert.Equal("UNPAID", BillKit.State((await client.PostAsync($"/v1/invoice-payables/{id}/post")).AssertOk()));
        return id;
    }

    /// <summary>Uploads a file through a signed URL and records it as the note's document (there is no Light operation that attaches one).</summary>
    public static async Task AttachDocumentAsync(ApiServer server, string noteId, string text)
    {
        var url = (await server.Admin.PostAsync("/v1/attachments/upload-url", new { resourceId = noteId, contentType = "text/plain" })).AssertOk();
        var put = await Documents.AttachmentTests.PutFileAsync(url["uploadUrl"]!.GetValue<string>(), System.Text.Encoding.UTF8.GetBytes(text), "text/plain");
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
        await using var conn = await server.Db.OpenConnectionAsync();
        await conn.ExecuteAsync("UPDATE credit_notes SET document_blob_key = @key, document_name = 'note.txt' WHERE id = @id",
            new { key = url["key"]!.GetValue<string>(), id = Guid.Parse(noteId) });
    }
}
