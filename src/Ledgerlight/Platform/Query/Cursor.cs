using System.Text;

namespace Ledgerlight.Platform.Query;

/// <summary>
/// Opaque keyset position: the sort-key values and id of the row a page ended (or began) at, the
/// direction to move in, and a signature of the sort so a cursor is never reused with another order.
/// Encoded as base64url JSON; clients are told not to build them, and a tampered one is a 400.
/// </summary>
public sealed record Cursor(string Signature, bool Forward, IReadOnlyList<string?> Keys, string Id)
{
    public const string Initial = "0";

    public string Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Wire(Signature, Forward ? "n" : "p", Keys.ToArray(), Id));
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static Cursor Decode(string value)
    {
        try
        {
            var b64 = value.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var wire = JsonSerializer.Deserialize<Wire>(Convert.FromBase64String(b64))
                       ?? throw new FormatException();
            if (wire.S is null || wire.K is null || wire.I is null || wire.D is not ("n" or "p")) throw new FormatException();
            // Keys become SQL parameters: a forged cursor must not smuggle in what the query string may not carry.
            if (wire.K.Append(wire.I).Append(wire.S).Any(k => k is not null && InputText.FindForbidden(k) >= 0)) throw new FormatException();
            return new Cursor(wire.S, wire.D == "n", wire.K, wire.I);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw ApiException.BadRequest("Invalid cursor: pass 0 to start, then nextCursor or prevCursor from the previous page", "cursor");
        }
    }

    sealed record Wire(string S, string D, string?[] K, string I);

    public static string SignatureOf(IEnumerable<SortClause> sort) =>
        string.Join(',', sort.Select(s => $"{s.Field}:{(s.Direction == SortDirection.Asc ? "a" : "d")}"));
}
