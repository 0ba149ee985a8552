using System.Text;
using Ledgerlight.Platform;
using Ledgerlight.Storage;
using Ledgerlight.Tests.Infrastructure;
using Ledgerlight.Platform.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Ledgerlight.Tests.Platform;

/// <summary>
/// What a killed server leaves behind is a claim IN_FLIGHT under an instance that no longer beats.
/// These tests build that state directly (a real SIGKILL hits each window only now and then; the
/// crash test in Robustness does it for real) and check the retry: it runs at once when nothing
/// was committed, and never runs again when the first attempt's writes were committed.
/// </summary>
public class IdempotencyAfterCrashTests(CommitThenFailServer server) : IClassFixture<CommitThenFailServer>
{
    static Dictionary<string, string> Key(string key) => new() { ["X-Idempotency-Key"] = key };

    async Task<string> Vendor(string name) =>
        (await server.Admin.PostAsync("/v1/vendors", new { name })).AssertOk()["vendorId"]!.GetValue<string>();

    static object BillBody(string vendor, string number) =>
        new { vendorId = vendor, currency = "USD", invoiceNumber = number, lineItems = new[] { new { netAmount = 1000 } } };

    async Task<long> Bills(string number)
    {
        await using var cmd = server.Db.CreateCommand("SELECT count(*) FROM invoice_payables WHERE invoice_number = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = number });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    async Task Exec(string sql, params object[] args)
    {
        await using var cmd = server.Db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The claim a request makes before it runs, as IdempotencyMiddleware writes it.</summary>
    async Task Claim(string key, object body, Guid instance)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/v1/invoice-payables";
        var bytes = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        await Exec("INSERT INTO idempotency_keys (company_id, key, request_hash, state, instance_id) VALUES ($1, $2, $3, 'IN_FLIGHT', $4)",
            server.Company.CompanyId, key, IdempotencyMiddleware.HashRequest(http.Request, bytes), instance);
    }

    [Fact]
    public async Task A_write_marks_its_claim_committed_in_its_own_transaction_with_what_it_created()
    {
        var vendor = await Vendor("Marked Vendor");
        var bill = (await server.Admin.PostAsync("/v1/invoice-payables", BillBody(vendor, "MARK-1"), Key("mark-1"))).AssertOk();
        await using var cmd = server.Db.CreateCommand("SELECT committed_at IS NOT NULL, resource_id FROM idempotency_keys WHERE key = 'mark-1'");
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.True(r.GetBoolean(0));
        Assert.Equal(bill["id"]!.GetValue<string>(), r.GetGuid(1).ToString());
    }

    [Fact]
    public async Task A_create_that_committed_before_its_server_died_is_never_run_again_and_the_retry_says_what_it_created()
    {
        var vendor = await Vendor("Committed Vendor");
        var body = BillBody(vendor, "LOST-1");
        var bill = (await server.Admin.PostAsync("/v1/invoice-payables", body, Key("lost-1"))).AssertOk();
        // The kill landed after the commit, before the answer was stored; its instance is gone.
        await Exec("""
            UPDATE idempotency_keys SET state = 'IN_FLIGHT', response_status = NULL, response_type = NULL, response_body = NULL,
                   completed_at = NULL, instance_id = $1 WHERE key = 'lost-1'
            """, Guid.NewGuid());

        var retry = await server.Admin.PostAsync("/v1/invoice-payables", body, Key("lost-1"));
        var error = retry.AssertError(409, "CONFLICT");
        Assert.Equal("ANSWER_LOST", error["errors"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(bill["id"]!.GetValue<string>(), error["errors"]![0]!["context"]!["createdId"]!.GetValue<string>());
        Assert.Equal(1L, await Bills("LOST-1"));
        (await server.Admin.PostAsync("/v1/invoice-payables", body, Key("lost-1"))).AssertError(409, "CONFLICT");
        Assert.Equal(1L, await Bills("LOST-1"));
    }

    [Fact]
    public async Task A_request_whose_server_died_before_committing_runs_on_the_first_retry_exactly_once()
    {
        var vendor = await Vendor("Uncommitted Vendor");
        var body = BillBody(vendor, "RERUN-1");
        await Claim("rerun-1", body, instance: Guid.NewGuid()); // claimed by a process that died before its commit

        (await server.Admin.PostAsync("/v1/invoice-payables", body, Key("rerun-1"))).AssertOk();
        var replay = await server.Admin.PostAsync("/v1/invoice-payables", body, Key("rerun-1"));
        replay.AssertOk();
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(1L, await Bills("RERUN-1"));
    }

    [Fact]
    public async Task A_claim_of_a_live_instance_is_still_in_flight_and_a_different_body_never_takes_it_over()
    {
        var vendor = await Vendor("Live Vendor");
        var body = BillBody(vendor, "LIVE-1");
        await Claim("live-1", body, server.Services.GetRequiredService<ServerInstance>().Id);
        var busy = await server.Admin.PostAsync("/v1/invoice-payables", body, Key("live-1"));
        busy.AssertError(409, "CONFLICT");
        Assert.Equal("1", busy.Header("Retry-After"));

        await Claim("dead-other-body", body, Guid.NewGuid());
        (await server.Admin.PostAsync("/v1/invoice-payables", BillBody(vendor, "OTHER-1"), Key("dead-other-body")))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
        Assert.Equal(0L, await Bills("LIVE-1") + await Bills("OTHER-1"));
    }

    [Fact]
    public async Task A_server_error_after_a_commit_keeps_the_key_so_a_retry_cannot_write_twice()
    {
        (await server.Admin.PostAsync("/v1/test/commit-then-fail", new { }, Key("fail-after-1"))).AssertError(500, "INTERNAL_SERVER_ERROR");
        var retry = await server.Admin.PostAsync("/v1/test/commit-then-fail", new { }, Key("fail-after-1"));
        Assert.Equal("ANSWER_LOST", retry.AssertError(409, "CONFLICT")["errors"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(1, server.CommitThenFailRuns);

        (await server.Admin.PostAsync("/v1/test/fail-before-commit", new { }, Key("fail-before-1"))).AssertError(500, "INTERNAL_SERVER_ERROR");
        (await server.Admin.PostAsync("/v1/test/fail-before-commit", new { }, Key("fail-before-1"))).AssertError(500, "INTERNAL_SERVER_ERROR");
        Assert.Equal(2, server.FailBeforeCommitRuns); // nothing was committed: the key was freed and the retry ran
    }
}

/// <summary>Routes that fail with a 500 after (or before) committing a write transaction.</summary>
public sealed class CommitThenFailServer : ApiServer
{
    public int CommitThenFailRuns;
    public int FailBeforeCommitRuns;

    protected override void ExtraRoutes(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/test/commit-then-fail", async (NpgsqlDataSource db) =>
        {
            Interlocked.Increment(ref CommitThenFailRuns);
            await using (var conn = await db.OpenConnectionAsync())
            await using (var tx = await conn.BeginTransactionAsync())
                await tx.CommitWriteAsync();
            throw new InvalidOperationException("failed after saving");
        }).RequirePermission("vendors:write");
        routes.MapPost("/v1/test/fail-before-commit", async (NpgsqlDataSource db) =>
        {
            Interlocked.Increment(ref FailBeforeCommitRuns);
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await IdempotencyScope.MarkAsync(conn, tx, default); // marked, then rolled back
            throw new InvalidOperationException("failed before saving"); // rolled back with its mark
        }).RequirePermission("vendors:write");
    }
}
