using System.Text.Json.Nodes;

namespace Ledgerlight.Tests.Robustness;

/// <summary>
/// Ids of real records, learnt from the server's own answers, so generated paths and bodies hit
/// rows that exist and reach the code behind the lookups. Keyed by the name a path parameter or
/// body field uses for them ("vendorId", "lineItemId"...); child ids (lines) are kept per parent.
/// </summary>
public sealed class IdPool
{
    readonly Dictionary<string, List<string>> _byName = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, List<string>> _children = new();
    readonly Lock _lock = new();

    static readonly Dictionary<string, string[]> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["businessPartnerId"] = ["vendorId", "customerId"],
        ["resourceId"] = ["invoicePayableId", "invoiceReceivableId", "vendorId", "customerId", "creditNoteId", "journalEntryId"],
        ["taxId"] = ["taxCodeId"],
        ["defaultTaxId"] = ["taxCodeId"],
        ["ledgerTaxId"] = ["taxCodeId"],
        ["accountId"] = ["ledgerAccountId", "bankAccountId"],
        ["transactionId"] = ["bankTransactionId"],
        ["lineId"] = ["lineItemId"],
        ["expenseId"] = ["invoicePayableId"],
    };

    public int Count { get { lock (_lock) return _byName.Sum(p => p.Value.Count); } }

    public void Add(string name, string id)
    {
        if (!Guid.TryParse(id, out _)) return;
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var list)) _byName[name] = list = [];
            if (list.Count < 200 && !list.Contains(id)) list.Add(id);
        }
    }

    /// <summary>An id for a parameter or field of this name, or null when none is known.</summary>
    public string? Pick(string name, Random random)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var exact) && exact.Count > 0) return exact[random.Next(exact.Count)];
            var candidates = Aliases.TryGetValue(name, out var aliases)
                ? aliases.Where(_byName.ContainsKey).SelectMany(a => _byName[a]).ToList()
                : _byName.Where(p => name.EndsWith(p.Key, StringComparison.OrdinalIgnoreCase) && p.Key.Length > 2).SelectMany(p => p.Value).ToList();
            return candidates.Count > 0 ? candidates[random.Next(candidates.Count)] : null;
        }
    }

    /// <summary>A line (or other child record) id of this parent, or null.</summary>
    public string? PickChild(string parentId, Random random)
    {
        lock (_lock) return _children.TryGetValue(parentId, out var list) && list.Count > 0 ? list[random.Next(list.Count)] : null;
    }

    /// <summary>Any id of any kind: the wrong kind of record for most places.</summary>
    public string? PickAny(Random random)
    {
        lock (_lock)
        {
            var all = _byName.Values.Where(l => l.Count > 0).ToList();
            if (all.Count == 0) return null;
            var list = all[random.Next(all.Count)];
            return list[random.Next(list.Count)];
        }
    }

    /// <summary>Learns the ids in a response to a request on this route template.</summary>
    public void Harvest(string template, JsonNode? response)
    {
        var kind = RecordKind(template);
        if (response is JsonArray list)
            foreach (var record in list.OfType<JsonObject>()) HarvestRecord(kind, record);
        if (response is not JsonObject root) return;
        if (root["records"] is JsonArray records)
            foreach (var record in records.OfType<JsonObject>()) HarvestRecord(kind, record);
        else HarvestRecord(kind, root);
    }

    void HarvestRecord(string? kind, JsonObject record)
    {
        var id = record["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (id is not null && kind is not null) Add(kind, id);
        foreach (var (name, value) in record)
        {
            if (name.EndsWith("Id") && value is JsonValue field && field.TryGetValue<string>(out var fieldId)) Add(name, fieldId);
            if (value is JsonArray children && id is not null)
                foreach (var child in children.OfType<JsonObject>())
                    if (child["id"] is JsonValue c && c.TryGetValue<string>(out var childId) && Guid.TryParse(childId, out _))
                        lock (_lock)
                        {
                            if (!_children.TryGetValue(id, out var list)) _children[id] = list = [];
                            if (list.Count < 50 && !list.Contains(childId)) list.Add(childId);
                        }
        }
    }

    /// <summary>
    /// What a route's records are called as a parameter: "/v1/vendors/{vendorId}/x" → "vendorId";
    /// "/v1/journal-entries" → "journalEntryId".
    /// </summary>
    public static string? RecordKind(string template)
    {
        var segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var s = segments[i];
            if (s.StartsWith('{')) return s.Trim('{', '}');
            if (i == segments.Length - 1 || i == segments.Length - 2) { if (s.EndsWith('s')) return Singular(s) + "Id"; }
            else break;
        }
        return null;
    }

    static string Singular(string segment)
    {
        var words = segment.Split('-');
        var last = words[^1];
        words[^1] = last.EndsWith("ies") ? last[..^3] + "y" : last.EndsWith("ses") ? last[..^2] : last.TrimEnd('s');
        return words[0] + string.Concat(words.Skip(1).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    }
}
