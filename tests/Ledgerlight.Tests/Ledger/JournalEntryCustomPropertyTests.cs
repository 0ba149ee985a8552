using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class JournalEntryCustomPropertyTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Entry_and_line_custom_properties_are_kept_and_filter_the_ledger_lines()
    {
        var group = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"project_{Guid.NewGuid():N}", label = "Project", inputType = "SINGLE_SELECT", objectTypes = new[] { "JOURNAL_ENTRY" },
        })).AssertOk()["id"]!.GetValue<string>();
        var apollo = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{group}/values", new { internalName = "apollo", label = "Apollo" }))
            .AssertOk()["id"]!.GetValue<string>();
        var kit = new LedgerTestKit(server.Admin);
        var tagged = new[] { new { groupId = group, valueIds = new[] { apollo } } };

        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-11-10", shouldPost = true, customProperties = tagged,
            lines = new object[]
            {
                new { ledgerAccountId = await kit.Account(6300), netTransactionAmount = new { amount = 2_500, dcSign = "D" }, customProperties = tagged },
                new { ledgerAccountId = await kit.Account(1200), netTransactionAmount = new { amount = 2_500, dcSign = "C" } },
            },
        })).AssertOk();
        Assert.Equal("Apollo", entry["customProperties"]![0]!["values"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(apollo, entry["lines"]![0]!["customProperties"]![0]!["values"]![0]!["id"]!.GetValue<string>());
        Assert.Empty(entry["lines"]![1]!["customProperties"]!.AsArray());

        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=customPropertyValueId:eq:{apollo}")).AssertOk()["records"]!.AsArray();
        var line = Assert.Single(lines)!;
        Assert.Equal(6300, line["accountCode"]!.GetValue<int>());

        (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-11-10", customProperties = new[] { new { groupId = Guid.NewGuid(), valueIds = Array.Empty<Guid>() } },
        })).AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Posted_lines_answer_their_custom_properties_when_asked()
    {
        var project = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"project_{Guid.NewGuid():N}", label = "Project", inputType = "SINGLE_SELECT", objectTypes = new[] { "JOURNAL_ENTRY" },
        })).AssertOk()["id"]!.GetValue<string>();
        var gemini = (await server.Admin.PostAsync($"/v1/custom-properties/groups/{project}/values", new { internalName = "gemini", label = "Gemini" }))
            .AssertOk()["id"]!.GetValue<string>();
        var note = (await server.Admin.PostAsync("/v1/custom-properties/groups", new
        {
            internalName = $"note_{Guid.NewGuid():N}", label = "Note", inputType = "TEXT", objectTypes = new[] { "JOURNAL_ENTRY" },
        })).AssertOk()["id"]!.GetValue<string>();
        var kit = new LedgerTestKit(server.Admin);
        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-11-12", shouldPost = true,
            lines = new object[]
            {
                new
                {
                    ledgerAccountId = await kit.Account(6300), netTransactionAmount = new { amount = 700, dcSign = "D" },
                    customProperties = new object[] { new { groupId = project, valueIds = new[] { gemini } }, new { groupId = note, inlineValues = new[] { "launch" } } },
                },
                new { ledgerAccountId = await kit.Account(1200), netTransactionAmount = new { amount = 700, dcSign = "C" } },
            },
        })).AssertOk();
        var query = $"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]!.GetValue<string>()}&sort=accountCode:desc";

        foreach (var paging in new[] { "", "&cursor=0" })
        {
            var lines = (await server.Admin.GetAsync(query + "&includeCustomProperties=true" + paging)).AssertOk()["records"]!.AsArray();
            Assert.Equal(2, lines.Count);
            var expense = lines[0]!["customProperties"]!.AsArray();
            Assert.Equal(2, expense.Count);
            Assert.Equal(project, expense[0]!["groupId"]!.GetValue<string>());
            Assert.Equal(gemini, expense[0]!["values"]![0]!["id"]!.GetValue<string>());
            Assert.Equal("Gemini", expense[0]!["values"]![0]!["label"]!.GetValue<string>());
            Assert.Equal("launch", expense[1]!["values"]![0]!["label"]!.GetValue<string>());
            Assert.Empty(lines[1]!["customProperties"]!.AsArray());
        }

        // Not asked, not answered: the default page does not read the values.
        var plain = (await server.Admin.GetAsync(query)).AssertOk()["records"]!.AsArray();
        Assert.All(plain, l => Assert.Null(l!["customProperties"]));
    }
}
