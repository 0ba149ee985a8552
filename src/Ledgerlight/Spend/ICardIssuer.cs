namespace Ledgerlight.Spend;

/// <summary>ExternalCardPublicKeyInfoV1Model.</summary>
public sealed record CardPublicKeyModel(string PublicKey, DateOnly ExpiryDate);

/// <summary>
/// The card issuer behind the cards API. Ledgerlight has no card network, so <see cref="SandboxCardIssuer"/>
/// issues numbers, decides authorizations and settles them itself; an adapter for a real issuer
/// (registered in its place in <see cref="SpendModule"/>) forwards the same calls to it and feeds its
/// webhooks into <see cref="HandleAsync"/>.
/// </summary>
public interface ICardIssuer
{
    /// <summary>A new card number: only the BIN and the last four digits come back, never the PAN.</summary>
    CardNumbers.IssuedNumber IssueNumber();

    /// <summary>An authorization, capture, void or refund from the network; answers the card transaction it created or changed.</summary>
    Task<CardTransactionModel> HandleAsync(Guid companyId, NetworkMessage message, CancellationToken ct = default);

    /// <summary>The entity's current public key (rotated before it expires).</summary>
    Task<CardPublicKeyModel> PublicKeyAsync(Guid companyId, Guid entityId, CancellationToken ct = default);

    /// <summary>Decrypts what a client encrypted with one of the entity's public keys; only the issuer ever holds the private key.</summary>
    Task<byte[]> DecryptAsync(Guid companyId, Guid entityId, byte[] ciphertext, CancellationToken ct = default);
}
