using Ledgerlight.Organization.Entities;

namespace Ledgerlight.Payables.Vendors;

public sealed class VendorStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>A vendor created through the API: an external business partner, active from the start.</summary>
    const string NewVendorType = "EXTERNAL", NewVendorStatus = "ACTIVE";

    public async Task<VendorRow?> GetAsync(Guid companyId, Guid vendorId, NpgsqlConnection? conn = null, NpgsqlTransaction? tx = null)
    {
        var own = conn is null;
        conn ??= await db.OpenConnectionAsync();
        try
        {
            return await conn.QuerySingleOrDefaultAsync<VendorRow>(
                $"SELECT {VendorRow.Columns} FROM {VendorRow.From} WHERE v.company_id = @companyId AND v.id = @vendorId",
                new { companyId, vendorId }, tx);
        }
        finally
        {
            if (own) await conn.DisposeAsync();
        }
    }

    /// <summary>The API models of vendor rows, their custom properties resolved in one round trip.</summary>
    public async Task<IReadOnlyList<VendorModel>> ToModelsAsync(Guid companyId, IReadOnlyList<VendorRow> rows)
    {
        var properties = await CustomPropertyRequests.ResolveAsync(db, companyId, rows.Select(r => r.CustomPropertiesJson).ToList());
        return rows.Select((r, i) => r.ToModel(properties[i].Cast<object>().ToList())).ToList();
    }

    public async Task<VendorModel> ToModelAsync(Guid companyId, VendorRow row) => (await ToModelsAsync(companyId, [row]))[0];

    public async Task<VendorRow> CreateAsync(Guid companyId, Guid? createdBy, VendorRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var row = await CreateAsync(conn, tx, companyId, createdBy, r);
        await tx.CommitWriteAsync();
        return row;
    }

    /// <summary>The creation inside the caller's transaction (imports create many vendors all or nothing).</summary>
    public async Task<VendorRow> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? createdBy, VendorRequest r)
    {
        await CheckReferencesAsync(conn, tx, companyId, r);
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        var currency = r.Currency ?? await conn.ExecuteScalarAsync<string>(
            "SELECT base_currency FROM companies WHERE id = @companyId", new { companyId }, tx);
        await conn.ExecuteAsync($"""
            INSERT INTO vendors (company_id, id, type, status, version, currency, created_by, created_at, updated_at, {AttributeColumns},
                                 company_entity_ids, default_config_id, default_company_entity_id, default_account_id, default_tax_code_id,
                                 default_cost_center_id, default_sender_bank_account_id, default_config_created_at, default_config_updated_at,
                                 custom_properties)
            VALUES (@companyId, @id, @type, @status, 1, @currency, @createdBy, @now, @now, {AttributeParams},
                    @entityIds, @configId, @DefaultEntity, @DefaultAccount, @DefaultTax, @DefaultCostCenter, @DefaultSender,
                    @configAt, @configAt, @customProperties::jsonb)
            """, Parameters(r, new { companyId, id, type = NewVendorType, status = NewVendorStatus, currency, createdBy, now,
                entityIds = EntityIds(r),
                configId = r.DefaultCompanyEntity is null ? (Guid?)null : Ids.New(),
                configAt = r.DefaultCompanyEntity is null ? (DateTime?)null : now,
                customProperties = CustomPropertyRequests.ToJson(r.CustomProperties) }), tx);
        return (await GetAsync(companyId, id, conn, tx))!;
    }

    /// <summary>
    /// PUT replaces the vendor's attributes (an omitted attribute is cleared). The relationships
    /// (companyEntityIds, defaultCompanyEntity, customProperties) change only when sent.
    /// </summary>
    public async Task<VendorRow?> ReplaceAsync(Guid companyId, Guid vendorId, VendorRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var existing = await conn.QuerySingleOrDefaultAsync<VendorRow>(
            $"SELECT {VendorRow.Columns} FROM {VendorRow.From} WHERE v.company_id = @companyId AND v.id = @vendorId FOR UPDATE OF v",
            new { companyId, vendorId }, tx);
        if (existing is null) return null;
        await CheckReferencesAsync(conn, tx, companyId, r);
        var now = clock.GetUtcNow().UtcDateTime;
        var assignments = string.Join(", ", AttributeColumns.Split(", ").Zip(AttributeParams.Split(", "), (c, p) => $"{c} = {p}"));
        await conn.ExecuteAsync($"""
            UPDATE vendors SET {assignments}, version = version + 1, updated_at = @now,
                   company_entity_ids = COALESCE(@entityIds, company_entity_ids),
                   custom_properties = CASE WHEN @replaceProperties THEN @customProperties::jsonb ELSE custom_properties END,
                   default_config_id = CASE WHEN @replaceDefault THEN COALESCE(default_config_id, @configId) ELSE default_config_id END,
                   default_company_entity_id = CASE WHEN @replaceDefault THEN @DefaultEntity ELSE default_company_entity_id END,
                   default_account_id = CASE WHEN @replaceDefault THEN @DefaultAccount ELSE default_account_id END,
                   default_tax_code_id = CASE WHEN @replaceDefault THEN @DefaultTax ELSE default_tax_code_id END,
                   default_cost_center_id = CASE WHEN @replaceDefault THEN @DefaultCostCenter ELSE default_cost_center_id END,
                   default_sender_bank_account_id = CASE WHEN @replaceDefault THEN @DefaultSender ELSE default_sender_bank_account_id END,
                   default_config_created_at = CASE WHEN @replaceDefault THEN COALESCE(default_config_created_at, @now) ELSE default_config_created_at END,
                   default_config_updated_at = CASE WHEN @replaceDefault THEN @now ELSE default_config_updated_at END
             WHERE company_id = @companyId AND id = @vendorId
            """, Parameters(r, new { companyId, vendorId, now, entityIds = r.CompanyEntityIds is null ? null : EntityIds(r),
                replaceDefault = r.DefaultCompanyEntity is not null, configId = Ids.New(),
                replaceProperties = r.CustomProperties is not null, customProperties = CustomPropertyRequests.ToJson(r.CustomProperties) }), tx);
        var row = await GetAsync(companyId, vendorId, conn, tx);
        await tx.CommitWriteAsync();
        return row;
    }

    const string AttributeColumns =
        "name, description, vat_id, business_registration_number, identifier, avatar_url, email, phone_country_code, phone_local_number, " +
        "website, country, city, address, zipcode, bank_name, bank_country, bank_city, bank_address, bank_zipcode, bank_account_number, " +
        "bank_account_bic, domestic_bank_account_number, domestic_bank_account_code, swedish_bankgiro_number, swedish_plusgiro_number, " +
        "bank_recipient_name";

    const string AttributeParams =
        "@Name, @Description, @VatId, @BusinessRegistrationNumber, @Identifier, @AvatarUrl, @Email, @PhoneCountryCode, @PhoneLocalNumber, " +
        "@Website, @Country, @City, @Address, @Zipcode, @BankName, @BankCountry, @BankCity, @BankAddress, @BankZipcode, @BankAccountNumber, " +
        "@BankAccountBic, @DomesticBankAccountNumber, @DomesticBankAccountCode, @SwedishBankgiroNumber, @SwedishPlusgiroNumber, " +
        "@BankRecipientName";

    static Guid[] EntityIds(VendorRequest r)
    {
        var ids = (r.CompanyEntityIds ?? []).ToList();
        // The default entity is one of the vendor's entities by definition.
        if (r.DefaultCompanyEntity?.CompanyEntityId is { } d && !ids.Contains(d)) ids.Add(d);
        return ids.Distinct().ToArray();
    }

    static DynamicParameters Parameters(VendorRequest r, object extra)
    {
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            Name = r.Name!.Trim(), r.Description, r.VatId, r.BusinessRegistrationNumber, r.Identifier, r.AvatarUrl, r.Email,
            PhoneCountryCode = r.PhoneNumber?.CountryCode, PhoneLocalNumber = r.PhoneNumber?.LocalNumber, r.Website, r.Country,
            r.City, r.Address, r.Zipcode, r.BankName, r.BankCountry, r.BankCity, r.BankAddress, r.BankZipcode, r.BankAccountNumber,
            r.BankAccountBic, r.DomesticBankAccountNumber, r.DomesticBankAccountCode, r.SwedishBankgiroNumber, r.SwedishPlusgiroNumber,
            r.BankRecipientName,
            DefaultEntity = r.DefaultCompanyEntity?.CompanyEntityId, DefaultAccount = r.DefaultCompanyEntity?.AccountId,
            DefaultTax = r.DefaultCompanyEntity?.TaxCodeId, DefaultCostCenter = r.DefaultCompanyEntity?.CostCenterId,
            DefaultSender = r.DefaultCompanyEntity?.SenderBankAccountId,
        });
        return p;
    }

    /// <summary>Every id the request names must belong to the caller's company.</summary>
    static async Task CheckReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, VendorRequest r)
    {
        var v = new Validation();
        await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, "VENDOR", r.CustomProperties, v, "customProperties");
        var named = (r.CompanyEntityIds ?? []).ToList();
        if (r.DefaultCompanyEntity?.CompanyEntityId is { } d) named.Add(d);
        var existing = await EntityApi.ExistingAsync(conn, companyId, named, tx);
        for (var i = 0; i < (r.CompanyEntityIds?.Count ?? 0); i++)
            if (!existing.Contains(r.CompanyEntityIds![i])) v.Add($"Company entity {r.CompanyEntityIds[i]} does not exist", "companyEntityIds", i);
        if (r.DefaultCompanyEntity?.CompanyEntityId is { } de && !existing.Contains(de))
            v.Add($"Company entity {de} does not exist", "defaultCompanyEntity", "companyEntityId");
        if (r.DefaultCompanyEntity?.AccountId is { } accountId &&
            await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @accountId",
                new { companyId, accountId }, tx) == 0)
            v.Add($"Ledger account {accountId} does not exist", "defaultCompanyEntity", "accountId");
        if (r.DefaultCompanyEntity?.TaxCodeId is { } taxCodeId &&
            !await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM tax_codes WHERE company_id = @companyId AND id = @taxCodeId)",
                new { companyId, taxCodeId }, tx))
            v.Add($"Tax code {taxCodeId} does not exist", "defaultCompanyEntity", "taxCodeId");
        if (r.DefaultCompanyEntity?.SenderBankAccountId is { } bankId &&
            !await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM bank_accounts WHERE company_id = @companyId AND id = @bankId)",
                new { companyId, bankId }, tx))
            v.Add($"Bank account {bankId} does not exist", "defaultCompanyEntity", "senderBankAccountId");
        v.ThrowIfAny();
    }
}
