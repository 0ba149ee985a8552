namespace Ledgerlight.Organization.Users.Reimbursements;

/// <summary>A user's reimbursement settings (one per user) and their reimbursements. A user of another company is unknown (404).</summary>
public sealed class ReimbursementStore(NpgsqlDataSource db, TimeProvider clock)
{
    // Aliased to the model's constructor parameters, which Dapper fills by name.
    const string Columns = """
        id AS Id, user_id AS UserId, company_id AS CompanyId, currency AS Currency, default_cost_center_id AS DefaultCostCenterId,
        bank_country AS BankCountry, bank_name AS BankName, bank_city AS BankCity, bank_address AS BankAddress, bank_zipcode AS BankZipcode,
        bank_account_number AS BankAccountNumber, bank_account_bic AS BankAccountBic,
        domestic_bank_account_number AS DomesticBankAccountNumber, domestic_bank_account_code AS DomesticBankAccountCode,
        status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public async Task<ReimbursementConfigModel> GetConfigAsync(Guid companyId, Guid userId)
    {
        await using var conn = await db.OpenConnectionAsync();
        await RequireUserAsync(conn, null, companyId, userId);
        return await conn.QuerySingleOrDefaultAsync<ReimbursementConfigModel>(
                   $"SELECT {Columns} FROM user_reimbursement_configs WHERE company_id = @companyId AND user_id = @userId", new { companyId, userId })
               ?? throw new ApiException(404, "NOT_FOUND", "This user has no reimbursement configuration");
    }

    public async Task<ReimbursementConfigModel> UpsertConfigAsync(Guid companyId, Guid userId, UpsertReimbursementConfigRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        // Locks the user: a concurrent deletion or status change waits for this upsert.
        if (!await conn.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM users WHERE company_id = @companyId AND id = @userId FOR UPDATE)", new { companyId, userId }, tx))
            throw ApiException.NotFound("User");
        var model = await conn.QuerySingleAsync<ReimbursementConfigModel>($"""
            INSERT INTO user_reimbursement_configs (company_id, id, user_id, currency, default_cost_center_id, bank_country, bank_name,
                bank_city, bank_address, bank_zipcode, bank_account_number, bank_account_bic, domestic_bank_account_number,
                domestic_bank_account_code, status, created_at, updated_at)
            VALUES (@companyId, @id, @userId, @Currency, @DefaultCostCenterId, @BankCountry, @BankName, @BankCity, @BankAddress, @BankZipcode,
                @BankAccountNumber, @BankAccountBic, @DomesticBankAccountNumber, @DomesticBankAccountCode, @status, @now, @now)
            ON CONFLICT (company_id, user_id) DO UPDATE SET
                currency = EXCLUDED.currency, default_cost_center_id = EXCLUDED.default_cost_center_id, bank_country = EXCLUDED.bank_country,
                bank_name = EXCLUDED.bank_name, bank_city = EXCLUDED.bank_city, bank_address = EXCLUDED.bank_address,
                bank_zipcode = EXCLUDED.bank_zipcode, bank_account_number = EXCLUDED.bank_account_number,
                bank_account_bic = EXCLUDED.bank_account_bic, domestic_bank_account_number = EXCLUDED.domestic_bank_account_number,
                domestic_bank_account_code = EXCLUDED.domestic_bank_account_code, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
            RETURNING {Columns}
            """, new
        {
            companyId, id = Ids.New(), userId, r.Currency, r.DefaultCostCenterId, r.BankCountry, r.BankName, r.BankCity, r.BankAddress,
            r.BankZipcode, r.BankAccountNumber, r.BankAccountBic, r.DomesticBankAccountNumber, r.DomesticBankAccountCode,
            status = ReimbursementConfigRules.Active, now = clock.GetUtcNow().UtcDateTime,
        }, tx);
        await tx.CommitWriteAsync();
        return model;
    }

    /// <summary>The user's most recent reimbursement (written by an expense submit); its status follows its bill's state.</summary>
    public async Task<ReimbursementModel> LatestAsync(Guid companyId, Guid userId)
    {
        await using var conn = await db.OpenConnectionAsync();
        await RequireUserAsync(conn, null, companyId, userId);
        var row = await conn.QuerySingleOrDefaultAsync<ReimbursementRow>($"""
            {SelectWithBillState}
             WHERE r.company_id = @companyId AND r.user_id = @userId ORDER BY r.created_at DESC, r.id DESC LIMIT 1
            """, new { companyId, userId }) ?? throw new ApiException(404, "NOT_FOUND", "No reimbursement for this user");
        return row.ToModel();
    }

    /// <summary>The reimbursement each of these bills pays out (bills of type REIMBURSEMENT), by bill id, in one round trip.</summary>
    public static async Task<Dictionary<Guid, ReimbursementModel>> ByBillAsync(NpgsqlDataSource db, Guid companyId, IReadOnlyList<Guid> billIds)
    {
        if (billIds.Count == 0) return [];
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<ReimbursementRow>($"""
            {SelectWithBillState}
             WHERE r.company_id = @companyId AND r.invoice_payable_id = ANY(@billIds)
            """, new { companyId, billIds = billIds.ToArray() });
        return rows.ToDictionary(r => r.InvoicePayableId!.Value, r => r.ToModel());
    }

    // A reimbursement's status follows its bill's state, so every read joins the bill.
    const string SelectWithBillState = """
        SELECT r.id, r.company_id, r.user_id, r.expense_ids, r.status, r.created_at, r.invoice_payable_id, b.state AS bill_state
          FROM reimbursements r
          LEFT JOIN invoice_payables b ON b.company_id = r.company_id AND b.id = r.invoice_payable_id
        """;

    static async Task RequireUserAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid userId)
    {
        if (!await UserStore.ExistsAsync(conn, tx, companyId, userId)) throw ApiException.NotFound("User");
    }

    sealed class ReimbursementRow
    {
        public Guid Id { get; set; }
        public Guid CompanyId { get; set; }
        public Guid UserId { get; set; }
        public Guid[] ExpenseIds { get; set; } = [];
        public string Status { get; set; } = "";
        public string? BillState { get; set; }
        public Guid? InvoicePayableId { get; set; }
        public DateTime CreatedAt { get; set; }

        public ReimbursementModel ToModel() =>
            new(Id, CompanyId, UserId, ExpenseIds, Spend.Expenses.ReimbursementStatus.Of(BillState, Status), CreatedAt);
    }
}
