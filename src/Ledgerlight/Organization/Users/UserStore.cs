using Ledgerlight.Storage;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Organization.Users;

/// <summary>Creates and changes a company's users; every write locks the row (DocumentCommand) and answers the user as stored.</summary>
public sealed class UserStore(NpgsqlDataSource db, TimeProvider clock)
{
    static readonly DocumentTable<UserRow> Table = new("users", "u", UserRow.Columns);
    const string EmailIndex = "users_email";

    public async Task<UserModel> CreateAsync(Guid companyId, CreateUserRequest r)
    {
        var id = Ids.New();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync();
        await OnUniqueEmail(async () =>
        {
            await using var tx = await conn.BeginTransactionAsync();
            await RequireEntityAsync(conn, tx, companyId, r.CompanyEntityId);
            await conn.ExecuteAsync("""
                INSERT INTO users (company_id, id, company_entity_id, email, first_name, last_name, phone_country_code, phone_local_number,
                                   avatar_url, country, city, zipcode, address, status, roles, created_at, updated_at)
                VALUES (@companyId, @id, @CompanyEntityId, @email, @FirstName, @LastName, @phoneCountry, @phoneLocal,
                        @AvatarUrl, @Country, @City, @Zipcode, @Address, @status, @roles, @now, @now)
                """, new
            {
                companyId, id, r.CompanyEntityId, email = UserRules.NormalizeEmail(r.Email), r.FirstName, r.LastName,
                phoneCountry = r.PhoneNumber?.CountryCode, phoneLocal = r.PhoneNumber?.LocalNumber, r.AvatarUrl, r.Country, r.City,
                r.Zipcode, r.Address, status = UserRules.Active, roles = (r.Roles ?? []).Distinct().ToArray(), now,
            }, tx);
            // The welcome job commits with the user or not at all; the link's token is made when the job runs,
            // so no usable token ever sits in the job table.
            if (r.SendWelcomeEmail == true)
                await JobQueue.EnqueueAsync(conn, tx, companyId, WelcomeEmail.JobKind, new { userId = id });
            await tx.CommitWriteAsync();
        });
        return (await UserDetails.LoadAsync(conn, companyId, id))!;
    }

    public Task<UserModel?> PatchAsync(Guid companyId, Guid id, UpdateUserRequest r, JsonElement body) =>
        OnUniqueEmail(() => DocumentCommand.RunAsync(db, Table, companyId, id, async scope =>
        {
            var (conn, tx) = (scope.Connection, scope.Transaction);
            if (body.TryGetProperty("companyEntityId", out _)) await RequireEntityAsync(conn, tx, companyId, r.CompanyEntityId);
            var patch = new PatchSet(body, new { companyId, id, now = clock.GetUtcNow().UtcDateTime })
                .Columns(r, nameof(r.FirstName), nameof(r.LastName), nameof(r.CompanyEntityId), nameof(r.AvatarUrl), nameof(r.Country), nameof(r.City),
                    nameof(r.Address), nameof(r.Zipcode))
                .Set("email", "email", UserRules.NormalizeEmail(r.Email))
                .Set("phoneNumber", "phone_country_code", r.PhoneNumber?.CountryCode)
                .Raw("updated_at = @now");
            if (patch.Has("phoneNumber")) patch.Always("phone_local_number", "phoneLocal", r.PhoneNumber?.LocalNumber);
            await conn.ExecuteAsync($"UPDATE users u SET {patch.Clause} WHERE u.company_id = @companyId AND u.id = @id", patch.Parameters, tx);
        }, conn => UserDetails.LoadAsync(conn, companyId, id)));

    /// <summary>
    /// ACTIVE or DEACTIVATED; setting the current status again is harmless. Deactivation takes effect on
    /// the next request: API keys bound to the user are refused by <see cref="ApiKeys.ApiKeyResolver"/>,
    /// which reads the user's status in the same statement that resolves the key (and, once OAuth exists,
    /// its token resolver must do the same); the credential caches are emptied on this instance before
    /// answering and on the others by the users table's NOTIFY trigger. The user's open expenses stay as they are.
    /// </summary>
    public async Task<UserModel?> SetStatusAsync(Guid companyId, Guid id, string status)
    {
        var user = await DocumentCommand.RunAsync(db, Table, companyId, id, async scope =>
        {
            await scope.Connection.ExecuteAsync("UPDATE users SET status = @status, updated_at = @now WHERE company_id = @companyId AND id = @id",
                new { companyId, id, status, now = clock.GetUtcNow().UtcDateTime }, scope.Transaction);
            // Deactivation freezes the user's cards in this transaction; activation leaves them frozen until unfrozen explicitly.
            if (status == UserRules.Deactivated) await Spend.CardStore.FreezeCardsOfAsync(scope.Connection, scope.Transaction, companyId, id, clock.GetUtcNow().UtcDateTime);
        }, conn => UserDetails.LoadAsync(conn, companyId, id));
        Platform.Auth.PrincipalCache.InvalidateInProcess();
        return user;
    }

    /// <summary>A user of this company exists (for the sub-resources: reimbursement settings...).</summary>
    public static Task<bool> ExistsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE company_id = @companyId AND id = @id)", new { companyId, id }, tx);

    static async Task RequireEntityAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? entityId)
    {
        if (entityId is not { } id) return;
        var known = await conn.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM company_entities WHERE company_id = @companyId AND id = @id)", new { companyId, id }, tx);
        if (!known) throw ApiException.BadRequest($"Company entity {id} does not exist", "companyEntityId");
    }

    /// <summary>The unique index on (company, lower(email)) is the one arbiter of duplicates, races included.</summary>
    static async Task<T> OnUniqueEmail<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState == Database.UniqueViolation && e.ConstraintName == EmailIndex)
        {
            const string message = "A user with this e-mail address already exists in the company";
            throw new ApiException(409, "CONFLICT", message, [new FieldError("CONFLICT", message, ["email"])]);
        }
    }

    static Task OnUniqueEmail(Func<Task> write) => OnUniqueEmail(async () => { await write(); return true; });
}
