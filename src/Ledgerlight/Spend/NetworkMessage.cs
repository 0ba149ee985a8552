using System.Security.Cryptography;
using System.Text;

namespace Ledgerlight.Spend;

public static class NetworkMessageTypes
{
    public const string Authorization = "AUTHORIZATION";
    public const string Capture = "CAPTURE";
    public const string Void = "VOID";
    public const string Refund = "REFUND";
    public static readonly string[] All = [Authorization, Capture, Void, Refund];
}

public sealed record NetworkMerchant(string? Name, string? Country, string? Mcc, string? Id, string? Zipcode);

/// <summary>
/// LedgerlightCardNetworkMessage: what the card network (or `cards simulate`) tells the issuer.
/// AUTHORIZATION names the card, the amount and currency; CAPTURE and VOID name the authorization's
/// card transaction; REFUND names the settled payment (amount in its original currency; default all of it).
/// reference is the network's own id of the message: a retry with the same reference is answered with the
/// transaction the first one created.
/// </summary>
public sealed record NetworkMessage(
    string? Type, string? Reference, Guid? CardId, Guid? TransactionId, long? Amount, string? Currency, NetworkMerchant? Merchant,
    string? PurchaseType, DateTime? PerformedAt)
{
    static readonly string[] PurchaseTypes = ["ATM", "BALANCE_INQUIRY", "ECOMMERCE", "POS", "RECURRING", "UNKNOWN", "OTHER"];

    public void Validate(Validation v)
    {
        v.Required(Type, "type");
        if (Type is not null && !NetworkMessageTypes.All.Contains(Type))
            v.Add($"'type' must be one of {string.Join(", ", NetworkMessageTypes.All)}", "type");
        v.Required(Reference, "reference");
        v.MaxLength(Reference, 255, "reference");
        if (Type == NetworkMessageTypes.Authorization)
        {
            v.Required(CardId, "cardId");
            v.Required(Amount, "amount");
            v.Required(Currency, "currency");
        }
        else if (Type is not null) v.Required(TransactionId, "transactionId");
        if (Amount is <= 0) v.Add("'amount' must be positive (minor units)", "amount");
        else v.Amount(Amount, "amount");
        v.Currency(Currency, "currency");
        if (PurchaseType is not null && !PurchaseTypes.Contains(PurchaseType))
            v.Add($"'purchaseType' must be one of {string.Join(", ", PurchaseTypes)}", "purchaseType");
        v.Country(Merchant?.Country, "merchant", "country");
        v.MaxLength(Merchant?.Name, 255, "merchant", "name");
        v.MaxLength(Merchant?.Mcc, 4, "merchant", "mcc");
    }
}

/// <summary>
/// The network's credential: X-Ledgerlight-Signature is "sha256=" + hex HMAC-SHA256 of
/// "{X-Ledgerlight-Timestamp}.{body}" under the company's network secret; the timestamp (unix seconds)
/// must be within <see cref="Tolerance"/> of the server's clock, so a captured message cannot be replayed later.
/// </summary>
public static class NetworkSignature
{
    public const string CompanyHeader = "X-Ledgerlight-Company";
    public const string TimestampHeader = "X-Ledgerlight-Timestamp";
    public const string SignatureHeader = "X-Ledgerlight-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(byte[] secret, long timestamp, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(Mac(secret, timestamp, body));

    static byte[] Mac(byte[] secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.ASCII.GetBytes($"{timestamp}.");
        byte[] message = [.. prefix, .. body];
        return HMACSHA256.HashData(secret, message);
    }

    /// <summary>True when the signature matches (compared in constant time) and the timestamp is fresh.</summary>
    public static bool Verify(byte[] secret, string? timestamp, byte[] body, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ts))
            return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > Tolerance.TotalSeconds) return false;
        if (signature is null || !signature.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        byte[] given;
        try { given = Convert.FromHexString(signature["sha256=".Length..]); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, ts, body));
    }
}
