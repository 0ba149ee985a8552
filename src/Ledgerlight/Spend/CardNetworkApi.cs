using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Spend;

/// <summary>
/// The card network's side: authorizations, captures, voids and refunds arrive here. The route sits
/// outside /v1 because its caller is the network, not a company: it carries no API key but
/// <see cref="NetworkSignature"/> headers under the company's network secret (`cards network-secret`).
/// Any failure to prove that is a 401 that says nothing about which part failed.
/// </summary>
public static class CardNetworkApi
{
    public const string Route = "/network/v1/card-transactions";

    public static void MapCardNetworkApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, async (HttpContext ctx, NpgsqlDataSource db, ICardIssuer issuer, TimeProvider clock) =>
            {
                var body = await RequestBody.ReadBytesAsync(ctx);
                var companyId = await AuthenticateAsync(ctx, db, body, clock);
                NetworkMessage message;
                using (var doc = RequestBody.Parse(body))
                {
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("Request body must be a JSON object");
                    try { message = doc.RootElement.Deserialize<NetworkMessage>(Json.Options)!; }
                    catch (JsonException e) { throw ApiException.BadRequest($"Invalid message: {e.Message.Split('.')[0]}"); }
                }
                var v = new Validation();
                message.Validate(v);
                v.ThrowIfAny();
                return ApiResults.Ok(await issuer.HandleAsync(companyId, message, ctx.RequestAborted));
            })
            .WithName("receiveCardNetworkMessage")
            .WithMetadata(new LedgerlightExtension("Card network message",
                "For the card network (and `cards simulate`), not for API keys: an AUTHORIZATION, CAPTURE, VOID or REFUND. Authenticated by " +
                "X-Ledgerlight-Company, X-Ledgerlight-Timestamp (unix seconds, within 5 minutes) and X-Ledgerlight-Signature " +
                "(sha256= hex HMAC-SHA256 of \"{timestamp}.{body}\" under the company's network secret). The issuer decides each " +
                "authorization (AUTHORIZED or DECLINED with its transactionReason) and answers the card transaction."));
    }

    static async Task<Guid> AuthenticateAsync(HttpContext ctx, NpgsqlDataSource db, byte[] body, TimeProvider clock)
    {
        var unauthorized = ApiException.Unauthorized("Invalid network signature");
        if (!Guid.TryParse(ctx.Request.Headers[NetworkSignature.CompanyHeader].ToString(), out var companyId)) throw unauthorized;
        await using var conn = await db.OpenConnectionAsync(ctx.RequestAborted);
        var secret = await conn.ExecuteScalarAsync<byte[]?>("SELECT secret FROM card_network_secrets WHERE company_id = @companyId", new { companyId });
        if (secret is null || !NetworkSignature.Verify(secret, ctx.Request.Headers[NetworkSignature.TimestampHeader].ToString(), body,
                ctx.Request.Headers[NetworkSignature.SignatureHeader].ToString(), clock.GetUtcNow()))
            throw unauthorized;
        return companyId;
    }

    /// <summary>Creates or replaces the company's network secret; the caller shows it once.</summary>
    public static async Task<byte[]> RotateSecretAsync(NpgsqlDataSource db, Guid companyId, DateTime now)
    {
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO card_network_secrets (company_id, secret, created_at) VALUES (@companyId, @secret, @now)
            ON CONFLICT (company_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at
            """, new { companyId, secret, now });
        return secret;
    }
}
