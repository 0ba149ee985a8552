using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

/// <summary>Small helpers for ledger tests: chart lookups, entries, balances.</summary>
public sealed class LedgerTestKit(ApiClient client)
{
    readonly Dictionary<int, string> _accounts = [];

    public async Task<string> Account(int code)
    {
        if (_accounts.TryGetValue(code, out var id)) return id;
        var page = (await client.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk();
        return _accounts[code] = page["records"]![0]!["id"]!.GetValue<string>();
    }

    public static object Line(string accountId, long amount, string dc, long? tax = null) => tax is null
        ? new { ledgerAccountId = accountId, netTransactionAmount = new { amount, dcSign = dc } }
        : new { ledgerAccountId = accountId, netTransactionAmount = new { amount, dcSign = dc }, taxAmount = new { amount = tax, dcSign = dc } };

    public async Task<JsonNode> Post(string date, params object[] lines) =>
        (await client.PostAsync("/v1/journal-entries", new { postingDate = date, shouldPost = true, description = "test entry", lines })).AssertOk();

    public async Task<JsonNode> TrialBalance(string? asOf = null) =>
        (await client.GetAsync("/v1/reports/trial-balance" + (asOf is null ? "" : $"?asOf={asOf}"))).AssertOk();

    /// <summary>Debit-positive balance of one account as of a date, from the trial balance.</summary>
    public async Task<long> Balance(int code, string asOf)
    {
        var tb = await TrialBalance(asOf);
        return tb["accounts"]!.AsArray().Where(a => a!["code"]!.GetValue<int>() == code).Sum(a => a!["balance"]!.GetValue<long>());
    }
}
