namespace Ledgerlight.OAuth;

/// <summary>A registered client as listed (LedgerlightOAuthClient); the secret is never stored or shown again.</summary>
public sealed record OAuthClientModel(Guid Id, Guid CompanyId, string Name, IReadOnlyList<string> RedirectUris, bool IsPublic,
    DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>The creation answer: the client and, for a confidential client, its secret (shown this once).</summary>
public sealed record CreatedOAuthClient(Guid Id, Guid CompanyId, string Name, IReadOnlyList<string> RedirectUris, bool IsPublic,
    DateTime CreatedAt, string? ClientSecret);

/// <summary>A client as the authorize and token endpoints need it.</summary>
public sealed record OAuthClient(Guid Id, Guid CompanyId, string Name, string CompanyName, byte[]? SecretHash, string[] RedirectUris, bool IsPublic, DateTime? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

public sealed record CreateOAuthClientRequest(string? Name, IReadOnlyList<string>? RedirectUris, bool? IsPublic);

public static class OAuthClientRules
{
    public const int MaxName = 200;

    public static Validation Check(CreateOAuthClientRequest r)
    {
        var v = new Validation();
        v.Required(string.IsNullOrWhiteSpace(r.Name) ? null : r.Name, "name");
        v.MaxLength(r.Name, MaxName, "name");
        if (r.RedirectUris is not { Count: > 0 }) v.Add("'redirectUris' needs at least one URI", "redirectUris");
        else if (r.RedirectUris.Count > OAuthRules.MaxRedirectUris) v.Add($"'redirectUris' takes at most {OAuthRules.MaxRedirectUris} URIs", "redirectUris");
        else
            for (var i = 0; i < r.RedirectUris.Count; i++)
                if (OAuthRules.RedirectUriProblem(r.RedirectUris[i] ?? "") is { } problem) v.Add(problem, "redirectUris", i);
        return v;
    }
}

/// <summary>Clients: created per company, the secret stored as SHA-256 (256 random bits, so no slow hash is needed), revoked but never deleted.</summary>
public sealed class OAuthClientStore(NpgsqlDataSource db, TimeProvider clock)
{
    const string ModelColumns = "id, company_id, name, redirect_uris, is_public, created_at, revoked_at";

    public async Task<CreatedOAuthClient> CreateAsync(Guid companyId, CreateOAuthClientRequest request)
    {
        OAuthClientRules.Check(request).ThrowIfAny();
        var isPublic = request.IsPublic ?? false;
        var secret = isPublic ? null : OAuthSecrets.Generate(OAuthSecrets.ClientSecretPrefix);
        var created = new CreatedOAuthClient(Ids.New(), companyId, request.Name!.Trim(), request.RedirectUris!.Distinct().ToList(), isPublic,
            clock.GetUtcNow().UtcDateTime, secret);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO oauth_clients (company_id, id, name, secret_hash, redirect_uris, is_public, created_at)
            VALUES (@CompanyId, @Id, @Name, @hash, @uris, @IsPublic, @CreatedAt)
            """, new { created.CompanyId, created.Id, created.Name, hash = secret is null ? null : OAuthSecrets.Hash(secret),
                uris = created.RedirectUris.ToArray(), created.IsPublic, created.CreatedAt });
        return created;
    }

    public async Task<IReadOnlyList<OAuthClientModel>> ListAsync(Guid? companyId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<ClientRow>($"""
            SELECT {ModelColumns} FROM oauth_clients WHERE @companyId::uuid IS NULL OR company_id = @companyId ORDER BY created_at, id LIMIT 1000
            """, new { companyId });
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <summary>Revokes a client of the company (any company when null); its grants stop with it. Null when unknown.</summary>
    public Task<OAuthClientModel?> RevokeAsync(Guid? companyId, Guid id) => OAuthCredentials.Revoking(() => RevokeCoreAsync(companyId, id));

    async Task<OAuthClientModel?> RevokeCoreAsync(Guid? companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        var row = await conn.QuerySingleOrDefaultAsync<ClientRow>($"""
            UPDATE oauth_clients SET revoked_at = coalesce(revoked_at, @now)
             WHERE id = @id AND (@companyId::uuid IS NULL OR company_id = @companyId)
            RETURNING {ModelColumns}
            """, new { id, companyId, now = clock.GetUtcNow().UtcDateTime });
        return row?.ToModel();
    }

    /// <summary>The client with this client_id (active or not), with its company's name for the consent screen.</summary>
    public async Task<OAuthClient?> FindAsync(string? clientId, CancellationToken ct)
    {
        if (!Guid.TryParse(clientId, out var id)) return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<FoundRow>(new CommandDefinition("""
            SELECT c.id AS Id, c.company_id AS CompanyId, c.name AS Name, co.name AS CompanyName, c.secret_hash AS SecretHash,
                   c.redirect_uris AS RedirectUris, c.is_public AS IsPublic, c.revoked_at AS RevokedAt
              FROM oauth_clients c JOIN companies co ON co.id = c.company_id WHERE c.id = @id
            """, new { id }, cancellationToken: ct));
        return row is null ? null : new OAuthClient(row.Id, row.CompanyId, row.Name, row.CompanyName, row.SecretHash, row.RedirectUris, row.IsPublic, row.RevokedAt);
    }

    sealed class FoundRow
    {
        public Guid Id { get; set; }
        public Guid CompanyId { get; set; }
        public string Name { get; set; } = "";
        public string CompanyName { get; set; } = "";
        public byte[]? SecretHash { get; set; }
        public string[] RedirectUris { get; set; } = [];
        public bool IsPublic { get; set; }
        public DateTime? RevokedAt { get; set; }
    }

    sealed class ClientRow
    {
        public Guid Id { get; set; }
        public Guid CompanyId { get; set; }
        public string Name { get; set; } = "";
        public string[] RedirectUris { get; set; } = [];
        public bool IsPublic { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime? RevokedAt { get; set; }
        public OAuthClientModel ToModel() => new(Id, CompanyId, Name, RedirectUris, IsPublic, CreatedAt, RevokedAt);
    }
}
