using System.Text;
using Ledgerlight.Payables.Vendors;
using Ledgerlight.Platform.Auth;
using Ledgerlight.Platform.Query;
using Ledgerlight.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Xunit;

namespace Ledgerlight.Tests.Platform;

/// <summary>
/// One pooled connection for the whole server, so every request shares it and its prepared
/// statements; and a route standing in for any bug that lets a value PostgreSQL refuses at Bind
/// reach a list query (the edge refuses NUL, so the route decodes it from base64 past the edge).
/// </summary>
public sealed class SingleConnectionServer : ApiServer
{
    protected override Ledgerlight.Hosting.ServerOptions Customize(Ledgerlight.Hosting.ServerOptions options) =>
        options with { ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { MaxPoolSize = 1 }.ConnectionString };

    protected override void ExtraRoutes(IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/test/vendor-search", async (HttpContext ctx, NpgsqlDataSource db) =>
            {
                var term = Encoding.UTF8.GetString(Convert.FromBase64String(ctx.Request.Query["term64"].ToString()));
                var request = new ListRequest([], [], ListRequest.DefaultLimit, 0, null, term);
                var page = await ListQuery.RunAsync(db, VendorApi.Spec, request, ctx.Principal().CompanyId);
                return Results.Json(new { count = page.Records.Count });
            })
            .RequirePermission("vendors:read");
}

public class PreparedStatementIsolationTests(SingleConnectionServer server) : IClassFixture<SingleConnectionServer>
{
    /// <summary>
    /// Root cause (Npgsql 10.0.0 and 10.0.3): on a statement's second use Npgsql auto-prepares it with
    /// Parse+Bind+Describe+Execute in one round trip and marks it prepared at ParseComplete. If Bind
    /// then fails (a NUL in a text parameter: 22021), the statement stays "prepared" without its row
    /// description, and the next run of the same SQL on that connection, whichever company sends it,
    /// reads its first row as a protocol error. The server now clears the pool after any failed
    /// statement, so the half-prepared statement dies with its connection.
    /// </summary>
    [Fact]
    public async Task A_statement_failing_at_bind_for_one_company_does_not_break_the_next_company_on_the_same_connection()
    {
        var a = await server.CreateTenantAsync("Tenant A", "USD");
        var b = await server.CreateTenantAsync("Tenant B", "USD");
        (await a.Admin.PostAsync("/v1/vendors", new { name = "Acme Paper A" })).AssertOk();
        (await b.Admin.PostAsync("/v1/vendors", new { name = "Acme Paper B" })).AssertOk();

        // A burst of distinct list queries (twice each, so Npgsql prepares them) fills the connection's cache.
        for (var round = 0; round < 2; round++)
            for (var limit = 1; limit <= 70; limit++)
                (await a.Admin.GetAsync($"/v1/vendors?limit={limit}")).AssertOk();

        // First use of the search statement: a candidate for preparation.
        Assert.Single((await a.Admin.GetAsync("/v1/vendors?searchTerm=Acme")).AssertOk()["records"]!.AsArray());

        // Second use, by A, with a value PostgreSQL refuses at Bind: this is where it gets prepared.
        var nul = Convert.ToBase64String(Encoding.UTF8.GetBytes("Ac\0me"));
        Assert.Equal(500, (await a.Admin.GetAsync($"/v1/test/vendor-search?term64={Uri.EscapeDataString(nul)}")).Code);

        // B's next search runs the same SQL text on the same (only) connection.
        var records = (await b.Admin.GetAsync("/v1/vendors?searchTerm=Acme")).AssertOk()["records"]!.AsArray();
        Assert.Equal("Acme Paper B", Assert.Single(records)!["name"]!.GetValue<string>());
        Assert.Single((await a.Admin.GetAsync("/v1/vendors?searchTerm=Acme")).AssertOk()["records"]!.AsArray());
    }

    [Fact]
    public async Task Page_size_and_offset_do_not_change_the_statement_text()
    {
        var tenant = await server.CreateTenantAsync("Paging Co", "USD");
        for (var i = 0; i < 3; i++) (await tenant.Admin.PostAsync("/v1/vendors", new { name = $"Vendor {i}" })).AssertOk();
        for (var limit = 1; limit <= 3; limit++)
            for (var offset = 0; offset <= 2; offset++)
            {
                var page = (await tenant.Admin.GetAsync($"/v1/vendors?limit={limit}&offset={offset}")).AssertOk();
                Assert.Equal(Math.Min(limit, 3 - offset), page["records"]!.AsArray().Count);
            }
        // With one pooled connection, the prepared statements of every request above are visible here.
        await using var conn = await server.Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%FROM vendors%LIMIT%' AND statement NOT LIKE '%ILIKE%'", conn);
        var statements = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) statements.Add(reader.GetString(0));
        Assert.True(statements.Count == 1, "one vendor-list statement whatever the limit and offset:\n" + string.Join("\n", statements));
    }
    [Fact]
    public async Task Cursor_pages_of_any_size_share_one_statement_without_an_offset()
    {
        var tenant = await server.CreateTenantAsync("Cursor Paging Co", "USD");
        for (var i = 0; i < 4; i++) (await tenant.Admin.PostAsync("/v1/vendors", new { name = $"Vendor {i}" })).AssertOk();
        for (var limit = 1; limit <= 3; limit++)
        {
            var seen = new List<string>();
            var cursor = "0";
            while (cursor is not null)
            {
                var page = (await tenant.Admin.GetAsync($"/v1/vendors?limit={limit}&cursor={cursor}")).AssertOk();
                seen.AddRange(page["records"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
                cursor = page["nextCursor"]?.GetValue<string>();
            }
            Assert.Equal(["Vendor 3", "Vendor 2", "Vendor 1", "Vendor 0"], seen);
        }
        // Cursor pages always start at the keyset position: no OFFSET, so PostgreSQL keeps one generic plan for them.
        await using var conn = await server.Db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%FROM vendors%LIMIT%' AND statement NOT LIKE '%ILIKE%' AND statement NOT LIKE '%OFFSET%'", conn);
        var statements = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) statements.Add(reader.GetString(0));
        Assert.True(statements.Count <= 2, "at most a first-page and a keyset statement whatever the page size:\n" + string.Join("\n", statements));
        Assert.NotEmpty(statements);
    }
}
