using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

public class JournalEntryTests(ApiServer server) : IClassFixture<ApiServer>
{
    readonly LedgerTestKit _kit = new(server.Admin);

    async Task<long> LineCount() =>
        (await server.Admin.GetAsync("/v1/ledger-transaction-lines?limit=1")).AssertOk()["total"]!.GetValue<long>();

    [Fact]
    public async Task Posted_entry_writes_balanced_lines_and_numbers_the_document()
    {
        var rent = await _kit.Account(6100);
        var bank = await _kit.Account(1200);
        var entry = await _kit.Post("2026-03-15", LedgerTestKit.Line(rent, 150_000, "D"), LedgerTestKit.Line(bank, 150_000, "C"));

        Assert.Equal("POSTED", entry["status"]!.GetValue<string>());
        Assert.Matches(@"^JE-2026-\d{6}$", entry["documentNumber"]!.GetValue<string>());
        Assert.Equal(150_000, entry["totalGrossTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal("USD", entry["currency"]!.GetValue<string>());

        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}")).AssertOk()["records"]!.AsArray();
        Assert.Equal(2, lines.Count);
        Assert.Equal(0, lines.Sum(l => l!["amounts"]!["signedLocalAmount"]!.GetValue<long>()));
        var rentLine = lines.Single(l => l!["accountCode"]!.GetValue<int>() == 6100)!;
        Assert.Equal("D", rentLine["amounts"]!["dcSign"]!.GetValue<string>());
        Assert.Equal(1500.00m, rentLine["amounts"]!["localAmountInMajors"]!.GetValue<decimal>());
        Assert.Equal("JE", rentLine["documentType"]!.GetValue<string>());
        Assert.Equal("2026-03-15", rentLine["postingDate"]!.GetValue<string>());
        // The lines carry the number the entry was given in the same round trip.
        Assert.All(lines, l => Assert.Equal(entry["documentNumber"]!.GetValue<string>(), l!["accountingDocumentNumber"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.Equal(entry["documentNumber"]!.GetValue<string>(), l!["documentSequenceId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Unbalanced_entry_is_422_and_writes_nothing()
    {
        var before = await LineCount();
        var response = await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-03-15", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6100), 100, "D"), LedgerTestKit.Line(await _kit.Account(1200), 99, "C") },
        });
        var error = response.AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Contains("balance", error["message"]!.GetValue<string>());
        Assert.Equal(before, await LineCount());
        var drafts = (await server.Admin.GetAsync("/v1/accounting-documents/accounting-documents")).AssertOk();
        Assert.DoesNotContain(drafts["records"]!.AsArray(), d => d!["totalTransactionAmount"]!["amount"]!.GetValue<long>() == 100);
    }

    [Fact]
    public async Task Disabled_or_unknown_account_is_refused()
    {
        var account = await _kit.Account(6600);
        await using (var cmd = server.Db.CreateCommand("UPDATE ledger_accounts SET status = 'DISABLED' WHERE id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.Parse(account) });
            await cmd.ExecuteNonQueryAsync();
        }
        var disabled = await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-03-16", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(account, 100, "D"), LedgerTestKit.Line(await _kit.Account(1200), 100, "C") },
        });
        var error = disabled.AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal(["lines", "0", "ledgerAccountId"], error["errors"]![0]!["path"]!.AsArray().Select(p => p!.ToString()));

        var unknown = await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-03-16", lines = new[] { LedgerTestKit.Line(Guid.NewGuid().ToString(), 100, "D") },
        });
        unknown.AssertError(400, "BAD_REQUEST");
    }

    [Fact]
    public async Task Every_line_field_of_a_new_entry_is_stored_in_its_position()
    {
        var template = Guid.NewGuid();
        var draft = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-04-03",
            lines = new object[]
            {
                new { ledgerAccountId = await _kit.Account(1700), netTransactionAmount = new { amount = 1200, dcSign = "D" }, description = "Prepaid insurance",
                      amortizationTemplateId = template, amortizationStartDate = "2026-04-01", amortizationEndDate = "2027-03-31" },
                new { ledgerAccountId = await _kit.Account(1200), netTransactionAmount = new { amount = 1200, dcSign = "C" }, description = "Paid from bank" },
            },
        })).AssertOk();
        var lines = draft["lines"]!.AsArray();
        Assert.Equal(["Prepaid insurance", "Paid from bank"], lines.Select(l => l!["description"]!.GetValue<string>()));
        Assert.Equal(template.ToString(), lines[0]!["amortizationTemplateId"]!.GetValue<string>());
        Assert.Equal("2026-04-01", lines[0]!["amortizationStartDate"]!.GetValue<string>());
        Assert.Equal("2027-03-31", lines[0]!["amortizationEndDate"]!.GetValue<string>());
        Assert.Null(lines[1]!["amortizationStartDate"]);
        Assert.Equal("D", lines[0]!["netTransactionAmount"]!["dcSign"]!.GetValue<string>());
        Assert.Equal(1200, lines[1]!["grossTransactionAmount"]!["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Draft_is_editable_with_patch_semantics_and_posted_is_not()
    {
        var draft = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-04-01", description = "Accrual", businessPartnerName = "Landlord Ltd",
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6100), 500, "D"), LedgerTestKit.Line(await _kit.Account(2200), 500, "C") },
        })).AssertOk();
        Assert.Equal("DRAFT", draft["status"]!.GetValue<string>());
        Assert.Null(draft["documentNumber"]);
        var id = draft["id"]!.GetValue<string>();

        var patched = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/journal-entries/{id}",
            new Dictionary<string, object?> { ["description"] = "Rent accrual", ["businessPartnerName"] = null })).AssertOk();
        Assert.Equal("Rent accrual", patched["description"]!.GetValue<string>());
        Assert.Null(patched["businessPartnerName"]);
        Assert.Equal("2026-04-01", patched["postingDate"]!.GetValue<string>()); // omitted: kept
        Assert.Equal(2, patched["lines"]!.AsArray().Count);

        (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/journal-entries/{id}", new Dictionary<string, object?> { ["currency"] = null }))
            .AssertError(400, "BAD_REQUEST");

        var posted = (await server.Admin.PostAsync($"/v1/journal-entries/{id}/post")).AssertOk();
        Assert.Equal("POSTED", posted["status"]!.GetValue<string>());
        var conflict = (await server.Admin.SendAsync(HttpMethod.Patch, $"/v1/journal-entries/{id}", new { description = "too late" }))
            .AssertError(409, "CONFLICT");
        Assert.Contains("POSTED", conflict["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Archiving_a_posted_entry_reverses_it_and_restores_balances()
    {
        var software = await _kit.Account(6200);
        var before = await _kit.Balance(6200, "2026-12-31");
        var entry = await _kit.Post("2026-05-10", LedgerTestKit.Line(software, 12_345, "D"), LedgerTestKit.Line(await _kit.Account(1200), 12_345, "C"));
        Assert.Equal(before + 12_345, await _kit.Balance(6200, "2026-12-31"));

        var archived = (await server.Admin.PostAsync($"/v1/journal-entries/{entry["id"]}/archive")).AssertOk();
        Assert.Equal("ARCHIVED", archived["status"]!.GetValue<string>());
        Assert.Equal(before, await _kit.Balance(6200, "2026-12-31"));

        // Nothing was deleted: the original lines and their mirror image are both in the ledger.
        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}&limit=10")).AssertOk()["records"]!.AsArray();
        Assert.Equal(4, lines.Count);
        Assert.Equal(2, lines.Select(l => l!["ledgerTransactionId"]!.GetValue<string>()).Distinct().Count());
        (await server.Admin.PostAsync($"/v1/journal-entries/{entry["id"]}/archive")).AssertError(409, "CONFLICT");
    }

    [Fact]
    public async Task Draft_archive_touches_no_ledger()
    {
        var before = await LineCount();
        var draft = (await server.Admin.PostAsync("/v1/journal-entries", new { postingDate = "2026-04-02", lines = Array.Empty<object>() })).AssertOk();
        var archived = (await server.Admin.PostAsync($"/v1/journal-entries/{draft["id"]}/archive")).AssertOk();
        Assert.Equal("ARCHIVED", archived["status"]!.GetValue<string>());
        Assert.Equal(before, await LineCount());
    }

    [Fact]
    public async Task Tax_amounts_post_to_the_tax_accounts()
    {
        var entry = await _kit.Post("2026-06-01",
            LedgerTestKit.Line(await _kit.Account(6400), 10_000, "D", tax: 2_000),
            LedgerTestKit.Line(await _kit.Account(2000), 12_000, "C"));
        Assert.Equal(2_000, entry["totalTaxTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal(12_000, entry["totalGrossTransactionAmount"]!["amount"]!.GetValue<long>());
        var lines = (await server.Admin.GetAsync($"/v1/ledger-transaction-lines?filter=accDocId:eq:{entry["id"]}")).AssertOk()["records"]!.AsArray();
        Assert.Contains(lines, l => l!["accountCode"]!.GetValue<int>() == 1600 && l["amounts"]!["transactionAmount"]!.GetValue<long>() == 2_000);
    }

    [Fact]
    public async Task Lines_with_tax_take_gross_and_derive_net()
    {
        var entry = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-06-02", areLinesWithTax = true,
            lines = new object[]
            {
                new { ledgerAccountId = await _kit.Account(6300), grossTransactionAmount = new { amount = 11_900, dcSign = "D" }, taxAmount = new { amount = 1_900, dcSign = "D" } },
                new { ledgerAccountId = await _kit.Account(1200), grossTransactionAmount = new { amount = 11_900, dcSign = "C" } },
            },
        })).AssertOk();
        Assert.Equal(10_000, entry["lines"]![0]!["netTransactionAmount"]!["amount"]!.GetValue<long>());
        Assert.Equal(10_000, entry["totalNetTransactionAmount"]!["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Bad_lines_are_400_with_paths()
    {
        var error = (await server.Admin.PostAsync("/v1/journal-entries", new
        {
            postingDate = "2026-06-03",
            lines = new object[] { new { ledgerAccountId = await _kit.Account(6300), netTransactionAmount = new { amount = -5, dcSign = "D" } }, new { ledgerAccountId = await _kit.Account(1200) } },
        })).AssertError(400, "BAD_REQUEST");
        var paths = error["errors"]!.AsArray().Select(e => string.Join('.', e!["path"]!.AsArray().Select(p => p!.ToString()))).ToList();
        Assert.Contains("lines.0.netTransactionAmount.amount", paths);
        Assert.Contains("lines.1.netTransactionAmount", paths);
        (await server.Admin.PostAsync("/v1/journal-entries", new { ledgerName = "SHADOW" })).AssertError(400, "BAD_REQUEST");
        (await server.Admin.GetAsync("/v1/journal-entries/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        (await server.Admin.PostAsync($"/v1/journal-entries/{Guid.NewGuid()}/archive")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Posted_lines_cannot_be_changed_even_in_the_database()
    {
        await _kit.Post("2026-06-04", LedgerTestKit.Line(await _kit.Account(6500), 700, "D"), LedgerTestKit.Line(await _kit.Account(1200), 700, "C"));
        await using var update = server.Db.CreateCommand("UPDATE ledger_lines SET transaction_amount = 1");
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("immutable", e.MessageText);
        await using var delete = server.Db.CreateCommand("DELETE FROM ledger_lines");
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => delete.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Viewer_cannot_post()
    {
        (await server.Viewer.PostAsync("/v1/journal-entries", new { postingDate = "2026-06-05" })).AssertError(403, "FORBIDDEN");
    }

    [Fact]
    public async Task Idempotency_key_on_create_posts_once()
    {
        var before = await LineCount();
        var headers = new Dictionary<string, string> { ["X-Idempotency-Key"] = Guid.NewGuid().ToString() };
        var body = new
        {
            postingDate = "2026-06-06", shouldPost = true,
            lines = new[] { LedgerTestKit.Line(await _kit.Account(6500), 900, "D"), LedgerTestKit.Line(await _kit.Account(1200), 900, "C") },
        };
        var first = (await server.Admin.PostAsync("/v1/journal-entries", body, headers)).AssertOk();
        // The posting commits in its own round trip: the key's commit mark must be in that same commit.
        await using (var mark = server.Db.CreateCommand("SELECT committed_at IS NOT NULL, resource_id FROM idempotency_keys WHERE key = $1"))
        {
            mark.Parameters.Add(new Npgsql.NpgsqlParameter { Value = headers["X-Idempotency-Key"] });
            await using var reader = await mark.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetBoolean(0));
            Assert.Equal(first["id"]!.ToString(), reader.GetGuid(1).ToString());
        }
        var again = (await server.Admin.PostAsync("/v1/journal-entries", body, headers)).AssertOk();
        Assert.Equal(first["id"]!.ToString(), again["id"]!.ToString());
        Assert.Equal(before + 2, await LineCount());
    }
}
