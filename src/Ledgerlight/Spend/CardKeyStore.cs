using System.Security.Cryptography;

namespace Ledgerlight.Spend;

/// <summary>
/// The issuer's RSA key pair per entity (GET /v1/card-customers/public-key). A key is valid for
/// <see cref="Lifetime"/> and is replaced once fewer than <see cref="RotateBefore"/> remain, so a
/// client never receives a key about to expire; older keys stay to decrypt what was encrypted with them.
/// The private key is stored only AES-256-GCM encrypted (nonce | tag | ciphertext of its PKCS#8 form)
/// under a key-encryption key kept in server_secrets; it is decrypted only inside
/// <see cref="DecryptAsync"/> and never returned or logged. A deployment that wants the KEK outside
/// the database replaces <see cref="LoadKekAsync"/> with its KMS.
/// </summary>
public sealed class CardKeyStore(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    public static readonly TimeSpan RotateBefore = TimeSpan.FromDays(30);
    const string KekName = "card-issuer-key-encryption-key";

    /// <summary>The current key, or a new one when there is none or it is inside the rotation window.</summary>
    public async Task<CardPublicKeyModel> CurrentAsync(Guid companyId, Guid entityId, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One creator per entity at a time: concurrent first calls all answer the same key.
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"card-key:{companyId}:{entityId}" }, tx);
        var current = await conn.QuerySingleOrDefaultAsync<(string? PublicKey, DateOnly ExpiresOn)>("""
            SELECT public_key, expires_on FROM card_issuer_keys
             WHERE company_id = @companyId AND company_entity_id = @entityId AND expires_on > @rotateAfter
             ORDER BY expires_on DESC LIMIT 1
            """, new { companyId, entityId, rotateAfter = today.AddDays((int)RotateBefore.TotalDays) }, tx);
        if (current.PublicKey is { } publicKey)
        {
            await tx.CommitAsync(ct);
            return new CardPublicKeyModel(publicKey, current.ExpiresOn);
        }
        var created = await CreateAsync(conn, tx, companyId, entityId, today);
        await tx.CommitAsync(ct);
        return created;
    }

    async Task<CardPublicKeyModel> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId, DateOnly today)
    {
        using var rsa = RSA.Create(2048);
        var publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        var privateKey = rsa.ExportPkcs8PrivateKey();
        var sealedKey = Seal(await LoadKekAsync(conn, tx), privateKey);
        CryptographicOperations.ZeroMemory(privateKey);
        var expires = today.AddDays((int)Lifetime.TotalDays);
        await conn.ExecuteAsync("""
            INSERT INTO card_issuer_keys (company_id, id, company_entity_id, public_key, private_key_encrypted, expires_on, created_at)
            VALUES (@companyId, @id, @entityId, @publicKey, @sealedKey, @expires, @now)
            """, new { companyId, id = Ids.New(), entityId, publicKey, sealedKey, expires, now = clock.GetUtcNow().UtcDateTime }, tx);
        return new CardPublicKeyModel(publicKey, expires);
    }

    /// <summary>RSA-OAEP-SHA256 decryption with whichever of the entity's keys fits (the newest first).</summary>
    public async Task<byte[]> DecryptAsync(Guid companyId, Guid entityId, byte[] ciphertext, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var kek = await LoadKekAsync(conn, null);
        var sealedKeys = await conn.QueryAsync<byte[]>("""
            SELECT private_key_encrypted FROM card_issuer_keys WHERE company_id = @companyId AND company_entity_id = @entityId ORDER BY expires_on DESC
            """, new { companyId, entityId });
        foreach (var sealedKey in sealedKeys)
        {
            var pkcs8 = Open(kek, sealedKey);
            try
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return rsa.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA256);
            }
            catch (CryptographicException) { /* not this key's ciphertext: try the older one */ }
            finally { CryptographicOperations.ZeroMemory(pkcs8); }
        }
        throw ApiException.BadRequest("The value was not encrypted with this entity's public key");
    }

    static async Task<byte[]> LoadKekAsync(NpgsqlConnection conn, NpgsqlTransaction? tx)
    {
        await conn.ExecuteAsync("INSERT INTO server_secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
            new { name = KekName, value = RandomNumberGenerator.GetBytes(32) }, tx);
        return await conn.ExecuteScalarAsync<byte[]>("SELECT value FROM server_secrets WHERE name = @name", new { name = KekName }, tx)
               ?? throw new InvalidOperationException("card issuer KEK missing");
    }

    public static byte[] Seal(byte[] kek, byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plaintext.Length];
        using var aes = new AesGcm(kek, tag.Length);
        aes.Encrypt(nonce, plaintext, cipher, tag);
        return [.. nonce, .. tag, .. cipher];
    }

    public static byte[] Open(byte[] kek, byte[] sealedValue)
    {
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[sealedValue.Length - nonceSize - tagSize];
        using var aes = new AesGcm(kek, tagSize);
        aes.Decrypt(sealedValue.AsSpan(0, nonceSize), sealedValue.AsSpan(nonceSize + tagSize), sealedValue.AsSpan(nonceSize, tagSize), plain);
        return plain;
    }
}
