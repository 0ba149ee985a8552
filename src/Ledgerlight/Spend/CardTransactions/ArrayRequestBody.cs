using System.Text.Json;
using Ledgerlight.Platform;

namespace Ledgerlight.Spend.CardTransactions;

/// <summary>
/// A request body that is a JSON array (batchUpdateCardTransactions), read with the same limits and checks as
/// <see cref="RequestBody"/> (which takes objects only): size, depth, forbidden text, no null items, and a wrong type
/// answered 400 with the failing item's path. Candidate for the kernel's RequestBody.
/// </summary>
public static class ArrayRequestBody
{
    public static async Task<(List<T> Items, JsonElement Root)> ReadAsync<T>(HttpContext ctx)
    {
        var bytes = await RequestBody.ReadBytesAsync(ctx);
        if (bytes.Length == 0) throw ApiException.BadRequest("Request body is required");
        using var doc = RequestBody.Parse(bytes);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw ApiException.BadRequest("Request body must be a JSON array");
        try
        {
            return (doc.RootElement.Deserialize<List<T>>(Json.Options) ?? [], doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').Replace("[", ".").Replace("]", "").Split('.', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.TryParse(p, out var i) ? (object)i : p).ToArray();
            var field = path.Length > 0 ? string.Join('.', path) : "body";
            throw ApiException.BadRequest($"Invalid value for '{field}'", path);
        }
    }
}
