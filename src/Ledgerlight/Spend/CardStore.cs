namespace Ledgerlight.Spend;

/// <summary>Cards: creation (the number comes from the issuer), reads with limits and spend, freeze and unfreeze.</summary>
public sealed class CardStore(NpgsqlDataSource db, ICardIssuer issuer, TimeProvider clock)
{
    public static readonly DocumentTable<CardRow> Table = new("cards", "c", CardRow.Columns);

    public async Task<CardModel> CreateAsync(Guid companyId, CreateCardRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        Guid id;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            var account = await CardBalanceAccountStore.FindAsync(conn, tx, companyId, r.BalanceAccountId!.Value)
                          ?? throw ApiException.BadRequest($"Card balance account {r.BalanceAccountId} does not exist", "balanceAccountId");
            if (account.Status != CardBalanceAccountStatuses.Active)
                throw ApiException.Unprocessable($"Card balance account is {account.Status}", "balanceAccountId");
            var owner = await UserNameAsync(conn, tx, companyId, r.OwnerId!.Value)
                        ?? throw ApiException.BadRequest($"User {r.OwnerId} does not exist", "ownerId");
            var cardholder = await CardholderAsync(conn, tx, companyId, r, owner);
            var v = new Validation();
            for (var i = 0; i < (r.Limits?.Count ?? 0); i++)
                if (r.Limits![i].Currency is { } c && c != account.Currency)
                    v.Add($"'limits.{i}.currency' must be the balance account's currency {account.Currency}", "limits", i, "currency");
            v.ThrowIfAny();

            var number = issuer.IssueNumber();
            var now = clock.GetUtcNow().UtcDateTime;
            id = Ids.New();
            await conn.ExecuteAsync("""
                INSERT INTO cards (company_id, id, company_entity_id, card_balance_account_id, owner_id, form, status, type, vendor_id, employee_id,
                                   description, bin, last_four, cardholder_name, authentication_email, authentication_phone, delivery_contact, created_at, updated_at)
                VALUES (@companyId, @id, @entityId, @accountId, @ownerId, @form, @status, @type, @vendorId, @employeeId, @Description, @bin, @lastFour,
                        @cardholder, @email, @phone::jsonb, @delivery::jsonb, @now, @now)
                """, new
            {
                companyId, id, entityId = account.CompanyEntityId, accountId = account.Id, ownerId = r.OwnerId, form = r.Form, status = CardStates.Initial(r.Form),
                type = r.Metadata!.Type, vendorId = r.Metadata.Type == CardTypes.Vendor ? r.Metadata.VendorId : null,
                employeeId = r.Metadata.Type == CardTypes.Employee ? r.Metadata.EmployeeId ?? r.OwnerId : null, r.Description, bin = number.Bin,
                lastFour = number.LastFour, cardholder, email = r.Authentication?.Email,
                phone = r.Authentication?.PhoneNumber is { } p ? JsonSerializer.Serialize(p, Json.Options) : null,
                delivery = r.DeliveryContact is { } d ? JsonSerializer.Serialize(d, Json.Options) : null, now,
            }, tx);
            foreach (var limit in r.Limits ?? [])
                await conn.ExecuteAsync("""
                    INSERT INTO card_limits (company_id, id, card_id, amount, currency, interval, created_at, updated_at)
                    VALUES (@companyId, @limitId, @id, @Amount, @currency, @Interval, @now, @now)
                    """, new { companyId, limitId = Ids.New(), id, limit.Amount, currency = account.Currency, limit.Interval, now }, tx);
            await tx.CommitWriteAsync();
        }
        return (await LoadModelAsync(conn, companyId, id))!;
    }

    static Task<string?> UserNameAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid userId) =>
        conn.ExecuteScalarAsync<string?>("""
            SELECT COALESCE(NULLIF(trim(concat_ws(' ', first_name, last_name)), ''), email) FROM users WHERE company_id = @companyId AND id = @userId
            """, new { companyId, userId }, tx);

    /// <summary>The name on the card: the vendor's for a vendor card, the employee's (default: the owner) for an employee card.</summary>
    static async Task<string> CardholderAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, CreateCardRequest r, string owner)
    {
        var meta = r.Metadata!;
        if (meta.Type == CardTypes.Vendor)
            return await conn.ExecuteScalarAsync<string?>("SELECT name FROM vendors WHERE company_id = @companyId AND id = @vendorId",
                       new { companyId, vendorId = meta.VendorId }, tx)
                   ?? throw ApiException.BadRequest($"Vendor {meta.VendorId} does not exist", "metadata", "vendorId");
        if (meta.EmployeeId is { } employee && employee != r.OwnerId)
            return await UserNameAsync(conn, tx, companyId, employee)
                   ?? throw ApiException.BadRequest($"User {employee} does not exist", "metadata", "employeeId");
        return owner;
    }

    public async Task<CardModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, companyId, id);
    }

    async Task<CardModel?> LoadModelAsync(NpgsqlConnection conn, Guid companyId, Guid id)
    {
        var row = await Table.FindAsync(conn, null, companyId, id);
        return row is null ? null : (await ModelsAsync(conn, companyId, [row]))[0];
    }

    /// <summary>Rows to models: their limits and this month's spend, in one query each for the whole page.</summary>
    public async Task<IReadOnlyList<CardModel>> ModelsAsync(IReadOnlyList<CardRow> rows)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await ModelsAsync(conn, rows.Count > 0 ? rows[0].CompanyId : Guid.Empty, rows);
    }

    async Task<IReadOnlyList<CardModel>> ModelsAsync(NpgsqlConnection conn, Guid companyId, IReadOnlyList<CardRow> rows)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        var limits = (await conn.QueryAsync<CardLimitRow>(
                $"SELECT {CardLimitRow.Columns} FROM card_limits WHERE company_id = @companyId AND card_id = ANY(@ids) ORDER BY created_at, id",
                new { companyId, ids }))
            .ToLookup(l => l.CardId);
        var month = CardLimitIntervals.Window(CardLimitIntervals.Monthly, clock.GetUtcNow().UtcDateTime)!.Value;
        var spend = (await conn.QueryAsync<(Guid, long)>("""
            SELECT card_id, sum(amount)::bigint FROM card_transactions
             WHERE company_id = @companyId AND card_id = ANY(@ids) AND type = @payment AND status = ANY(@spending)
               AND performed_at >= @from AND performed_at < @to
             GROUP BY card_id
            """, new
        {
            companyId, ids, payment = CardTransactionTypes.Payment, spending = CardTransactionStates.Spending, from = month.From, to = month.To,
        })).ToDictionary(s => s.Item1, s => s.Item2);
        return rows.Select(r => r.ToModel(limits[r.Id].Select(l => l.ToModel()).ToList(), spend.GetValueOrDefault(r.Id))).ToList();
    }

    /// <summary>Freeze or unfreeze; doing it twice changes nothing (and does not touch updatedAt).</summary>
    public Task<CardModel?> ChangeStatusAsync(Guid companyId, Guid id, CardAction action) =>
        DocumentCommand.RunAsync(db, Table, companyId, id, async scope =>
        {
            var next = CardStates.Machine.Next(scope.Row.Status, action);
            if (next == scope.Row.Status) return;
            await scope.Connection.ExecuteAsync("UPDATE cards SET status = @next, updated_at = @now WHERE company_id = @companyId AND id = @id",
                new { next, now = clock.GetUtcNow().UtcDateTime, companyId, id }, scope.Transaction);
        }, conn => LoadModelAsync(conn, companyId, id));

    /// <summary>
    /// Freezes every active card of a user, in the caller's transaction: called when the user is deactivated.
    /// Reactivation leaves them frozen until someone unfreezes them on purpose.
    /// </summary>
    public static Task FreezeCardsOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid userId, DateTime now) =>
        conn.ExecuteAsync("""
            UPDATE cards SET status = @frozen, updated_at = @now WHERE company_id = @companyId AND owner_id = @userId AND status = ANY(@from)
            """, new { frozen = CardStates.Frozen, now, companyId, userId, from = CardStates.Machine.AllowedFrom(CardAction.Freeze).ToArray() }, tx);
}
