using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Npgsql;

namespace Ledgerlight.Tests.Banking;

/// <summary>Shared set-up for the Banking tests: fresh ledger codes, a bank account, direct reads of the tables.</summary>
public static class BankingHelpers
{
    static int _nextCode = 200_000;

    /// <summary>A 6-digit code no other test of the run has used.</summary>
    public static int NewCode() => Interlocked.Increment(ref _nextCode);

    public static object AccountRequest(Guid entityId, int code, string name = "Operating USD", string provider = "JPM_CHASE",
        string currency = "USD") => new
    {
        companyEntityId = entityId, name, bankProvider = provider, currency, bankCountry = "US",
        ledgerAccount = new { code },
    };

    public static async Task<JsonNode> CreateAccountAsync(Tenant tenant, string currency = "USD")
    {
        var created = (await tenant.Admin.PostAsync("/v1/bank-accounts", AccountRequest(tenant.EntityId, NewCode(), currency: currency))).AssertOk();
        return created;
    }

    public static string Id(this JsonNode node, string field = "id") => node[field]!.GetValue<string>();

    public static object Line(string date, long amount, string dcSign, string? transactionId = null, string? name = null) =>
        new { date, amount, dcSign, transactionId, name };

    public static async Task<long> ScalarAsync(this ApiServer server, string sql, params object[] args)
    {
        await using var cmd = server.Db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L);
    }

    public static IEnumerable<object> PathOf(JsonNode error, int i = 0) =>
        error["errors"]![i]!["path"]!.AsArray().Select(p => p!.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? (object)p.GetValue<int>() : p.GetValue<string>());

    public static bool HasErrorAt(JsonNode error, params object[] path) =>
        error["errors"]!.AsArray().Any(e => e!["path"] is JsonArray p && p.Count == path.Length &&
            p.Select((x, i) => x!.ToString() == path[i].ToString()).All(b => b));
}
