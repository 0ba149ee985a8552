using static Ledgerlight.Ledger.DocumentContext;
using Ledgerlight.Currencies;

namespace Ledgerlight.Ledger.JournalEntries;

public sealed class JournalEntryStore(NpgsqlDataSource db, PostingEngine engine, TimeProvider clock)
{
    static readonly DocumentTable<JournalEntryRow> Table = new("journal_entries", "je", JournalEntryRow.Columns);

    public async Task<JournalEntryModel?> GetAsync(Guid companyId, Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await LoadModelAsync(conn, null, companyId, id);
    }

    public async Task<JournalEntryModel> CreateAsync(Principal principal, CreateJournalEntryRequest r)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var (id, committed) = await CreateAsync(conn, tx, principal, r, commitWithPosting: true);
        if (!committed) await tx.CommitWriteAsync();
        // Read back after commit, so posting's row locks are not held for the read.
        return (await LoadModelAsync(conn, null, principal.CompanyId, id))!;
    }

    /// <summary>The creation path inside the caller's transaction (imports post an opening entry among other writes); returns the new entry's id.</summary>
    public async Task<Guid> CreateInTransactionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, CreateJournalEntryRequest r) =>
        (await CreateAsync(conn, tx, principal, r, commitWithPosting: false)).Id;

    /// <param name="commitWithPosting">The transaction holds only this entry: a posting commits it in its own round trip.</param>
    async Task<(Guid Id, bool Committed)> CreateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, CreateJournalEntryRequest r,
        bool commitWithPosting)
    {
        // Size first: the per-line custom-property lookups below must never run for an oversized body.
        Limits.LineCount(r.Lines?.Count, "lines", JournalEntryRules.MaxLines);
        var v = new Validation();
        var ledgerName = r.LedgerName ?? "PRIMARY";
        if (!JournalEntryRules.LedgerNames.Contains(ledgerName)) v.Add("ledgerName must be PRIMARY or ELIMINATION", "ledgerName");
        v.Currency(r.Currency, "currency");
        v.MaxLength(r.DocumentNumber, 100, "documentNumber");
        v.MaxLength(r.Description, 1000, "description");
        v.MaxLength(r.BusinessPartnerName, 255, "businessPartnerName");
        CheckRate(v, r.LocalCurrencyFxRateOverride, "localCurrencyFxRateOverride");
        CheckRate(v, r.GroupCurrencyFxRateOverride, "groupCurrencyFxRateOverride");
        var linesWithTax = r.AreLinesWithTax ?? false;
        await CustomPropertyRequests.ValidateAsync(conn, null, principal.CompanyId, "JOURNAL_ENTRY", r.CustomProperties, v, "customProperties");
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
            await CustomPropertyRequests.ValidateAsync(conn, null, principal.CompanyId, "JOURNAL_ENTRY", r.Lines![i].CustomProperties, v, "lines", i, "customProperties");
        var taxIds = (r.Lines ?? []).Where(l => l.LedgerTaxId is not null).Select(l => l.LedgerTaxId!.Value).Distinct().ToArray();
        var taxRates = taxIds.Length == 0 ? [] : (await conn.QueryAsync<(Guid Id, decimal Rate)>(
                "SELECT id, rate_percent FROM tax_codes WHERE company_id = @companyId AND id = ANY(@taxIds)", new { companyId = principal.CompanyId, taxIds }))
            .ToDictionary(t => t.Id, t => t.Rate);
        var lines = JournalEntryRules.Normalize(r.Lines ?? [], linesWithTax, v, taxRates);
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
            if (r.Lines![i].LedgerTaxId is { } t && !taxRates.ContainsKey(t)) v.Add($"Tax code {t} does not exist", "lines", i, "ledgerTaxId");
        await CheckBusinessPartnerAsync(conn, null, principal.CompanyId, r.BusinessPartnerId, v);
        v.ThrowIfAny();

        var (entityId, currencies) = await CheckReferencesAsync(conn, tx, principal.CompanyId, r.CompanyEntityId, lines);
        var currency = r.Currency ?? currencies.Local;

        var now = clock.GetUtcNow().UtcDateTime;
        var id = Ids.New();
        var row = await conn.QuerySingleAsync<JournalEntryRow>("""
            INSERT INTO journal_entries (company_id, id, company_entity_id, ledger_name, document_number, document_sequence_id, status,
                                         description, currency, posting_date, document_date, valuation_date, local_fx_rate_override,
                                         group_fx_rate_override, are_lines_with_tax, business_partner_name, business_partner_id,
                                         custom_properties, created_by, updated_by, created_at, updated_at)
            VALUES (@companyId, @id, @entityId, @ledgerName, @DocumentNumber, @DocumentNumber, @draft, @Description, @currency,
                    @PostingDate, @DocumentDate, @ValuationDate, @LocalCurrencyFxRateOverride, @GroupCurrencyFxRateOverride,
                    @linesWithTax, @BusinessPartnerName, @BusinessPartnerId, @customProperties::jsonb, @userId, @userId, @now, @now)
            RETURNING
            """ + " " + JournalEntryRow.Columns, new
        {
            companyId = principal.CompanyId, id, draft = JournalEntryStatus.Draft, entityId, ledgerName, r.DocumentNumber, r.Description, currency, r.PostingDate, r.DocumentDate,
            r.ValuationDate, r.LocalCurrencyFxRateOverride, r.GroupCurrencyFxRateOverride, linesWithTax, r.BusinessPartnerName,
            r.BusinessPartnerId, userId = principal.UserId, now, customProperties = CustomPropertyRequests.ToJson(r.CustomProperties),
        }, tx);
        var stored = await InsertLinesAsync(conn, tx, principal.CompanyId, id, lines, now);

        // Just written in this transaction: posted from what the inserts returned, without reading the entry back.
        var committed = r.ShouldPost == true
                        && await PostLoadedAsync(conn, tx, principal.CompanyId, row, stored, principal.UserId, currencies, commitWithPosting);
        return (id, committed);
    }

    /// <summary>PATCH on a draft: fields present in the body change (null clears), absent ones stay.</summary>
    public async Task<JournalEntryModel?> PatchAsync(Principal principal, Guid id, UpdateJournalEntryRequest r, JsonElement body)
    {
        var v = new Validation();
        v.RefuseClearing(body, ["companyEntityId", "ledgerName", "currency", "areLinesWithTax"]);
        if (r.LedgerName is not null && !JournalEntryRules.LedgerNames.Contains(r.LedgerName)) v.Add("ledgerName must be PRIMARY or ELIMINATION", "ledgerName");
        v.Currency(r.Currency, "currency");
        v.MaxLength(r.DocumentNumber, 100, "documentNumber");
        v.MaxLength(r.Description, 1000, "description");
        CheckRate(v, r.LocalCurrencyFxRateOverride, "localCurrencyFxRateOverride");
        CheckRate(v, r.GroupCurrencyFxRateOverride, "groupCurrencyFxRateOverride");
        await using (var conn = await db.OpenConnectionAsync())
            await CustomPropertyRequests.ValidateAsync(conn, null, principal.CompanyId, "JOURNAL_ENTRY", r.CustomProperties, v, "customProperties");
        v.ThrowIfAny();

        var companyId = principal.CompanyId;
        return await DocumentCommand.RunAsync(db, Table, companyId, id, async scope =>
        {
            var (c, tx) = (scope.Connection, scope.Transaction);
            JournalEntryLifecycle.Machine.Ensure(scope.Row.Status, JournalEntryAction.Edit);
            if (r.CompanyEntityId is { } entityId) await ResolveEntityAsync(c, tx, companyId, entityId);
            var partner = new Validation();
            await CheckBusinessPartnerAsync(c, tx, companyId, r.BusinessPartnerId, partner);
            partner.ThrowIfAny();

            var patch = new PatchSet(body, new { companyId, id, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId })
                .Columns(r, nameof(r.CompanyEntityId), nameof(r.LedgerName), nameof(r.PostingDate), nameof(r.DocumentDate), nameof(r.ValuationDate),
                    nameof(r.AreLinesWithTax), nameof(r.DocumentNumber), nameof(r.BusinessPartnerName), nameof(r.BusinessPartnerId),
                    nameof(r.Description), nameof(r.Currency))
                .Set("localCurrencyFxRateOverride", "local_fx_rate_override", r.LocalCurrencyFxRateOverride)
                .Set("groupCurrencyFxRateOverride", "group_fx_rate_override", r.GroupCurrencyFxRateOverride)
                .CustomProperties(r.CustomProperties)
                .Raw("updated_at = @now").Raw("updated_by = @userId");
            if (patch.Has("documentNumber")) patch.Raw("document_sequence_id = @documentNumber");
            await c.ExecuteAsync($"UPDATE journal_entries SET {patch.Clause} WHERE company_id = @companyId AND id = @id", patch.Parameters, tx);
        }, conn => LoadModelAsync(conn, null, companyId, id));
    }

    /// <summary>A business partner is one of the company's vendors or customers (another company's, or an unknown id, is a 400).</summary>
    static async Task CheckBusinessPartnerAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid? partnerId, Validation v)
    {
        if (partnerId is not { } id) return;
        var known = await conn.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM vendors WHERE company_id = @companyId AND id = @id)
                OR EXISTS (SELECT 1 FROM customers WHERE company_id = @companyId AND id = @id)
            """, new { companyId, id }, tx);
        if (!known) v.Add($"Business partner {id} is not one of the company's vendors or customers", "businessPartnerId");
    }

    /// <summary>A draft is archived as it is; a posted entry is reversed by a new entry, then archived.</summary>
    public Task<JournalEntryModel?> ArchiveAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async scope =>
        {
            var (conn, tx, row) = (scope.Connection, scope.Transaction, scope.Row);
            var next = JournalEntryLifecycle.Machine.Next(row.Status, JournalEntryAction.Archive);
            Guid? reversalId = null;
            if (row.Status == JournalEntryStatus.Posted)
            {
                reversalId = (await engine.ReverseAsync(conn, tx, principal.CompanyId, row.PostedTransactionId!.Value, null, principal.UserId)).Id;
                await PostingEngine.SetDocumentStatusAsync(conn, tx, principal.CompanyId, id, next);
            }
            await conn.ExecuteAsync("""
                UPDATE journal_entries SET status = @next, reversal_transaction_id = @reversalId, updated_at = @now, updated_by = @userId
                 WHERE company_id = @companyId AND id = @id
                """, new { companyId = principal.CompanyId, id, next, reversalId, now = clock.GetUtcNow().UtcDateTime, userId = principal.UserId }, tx);
        }, conn => LoadModelAsync(conn, null, principal.CompanyId, id));

    /// <summary>Posts a draft (a Ledgerlight extension: Light only posts at creation with shouldPost).</summary>
    public Task<JournalEntryModel?> PostAsync(Principal principal, Guid id) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id,
            scope => PostDraftAsync(scope.Connection, scope.Transaction, principal.CompanyId, id, principal.UserId),
            conn => LoadModelAsync(conn, null, principal.CompanyId, id));

    async Task PostDraftAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id, Guid? userId)
    {
        var row = (await Table.LockAsync(conn, tx, companyId, id))!;
        await PostLoadedAsync(conn, tx, companyId, row, await LoadLinesAsync(conn, tx, companyId, id), userId, currencies: null, commit: false);
    }

    /// <param name="currencies">The entity's local and group currency when the caller has them already.</param>
    /// <param name="commit">Commit with the posting's writes when it takes a gap-free number (see <see cref="PostingEngine.WriteNumberedAsync"/>).</param>
    /// <returns>Whether the transaction was committed.</returns>
    async Task<bool> PostLoadedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, JournalEntryRow row, List<JournalEntryLineRow> lines,
        Guid? userId, (string Local, string Group)? currencies, bool commit)
    {
        var id = row.Id;
        var posted = JournalEntryLifecycle.Machine.Next(row.Status, JournalEntryAction.Post);
        var v = new Validation();
        if (row.PostingDate is null) v.Required(null, "postingDate");
        foreach (var line in lines.Where(l => l.LedgerAccountId is null)) v.Required(null, "lines", line.Position, "ledgerAccountId");
        if (lines.Count == 0) v.Add("A journal entry needs lines to be posted", "lines");
        v.ThrowIfAny(422, "The journal entry is not complete enough to post");

        var postingDate = row.PostingDate!.Value;
        var currency = row.Currency.Trim();
        var (local, group) = currencies ?? await CurrenciesOfAsync(conn, tx, companyId, row.CompanyEntityId);
        var localRate = row.LocalFxRateOverride ?? await RateAsync(conn, tx, currency, local, postingDate, "localCurrencyFxRateOverride");
        var groupRate = row.GroupFxRateOverride ?? await RateAsync(conn, tx, currency, group, postingDate, "groupCurrencyFxRateOverride");

        var postingLines = JournalEntryPosting.Lines(lines, await TaxAccountsAsync(conn, tx, companyId, lines));

        var transactionId = Ids.New();
        var prepared = await engine.PrepareAsync(conn, tx, new PostingRequest(companyId, userId,
            new PostingDocument(id, "JE", row.CompanyEntityId, row.LedgerName, row.DocumentNumber, row.Description, currency, postingDate,
                row.DocumentDate, row.ValuationDate, row.BusinessPartnerName, row.BusinessPartnerId, row.AreLinesWithTax),
            postingLines, localRate, groupRate, TransactionId: transactionId));

        if (row.DocumentNumber is { } given)
        {
            await conn.ExecuteAsync(MarkPostedSql("@documentNumber"),
                new { companyId, DocumentId = id, posted, transactionId, documentNumber = given, localRate, groupRate }, tx);
            await engine.WriteAsync(conn, tx, prepared, given);
            return false;
        }
        else
        {
            // The gap-free number's row lock is held until commit: it is taken in the one round trip that writes everything.
            await engine.WriteNumberedAsync(conn, tx, prepared, "JE", MarkPostedSql(PostingEngine.TakenNumberSql), new { posted, localRate, groupRate },
                commit);
            return commit;
        }
    }

    /// <summary>The entry becomes POSTED under its number (a SQL expression); companyId, DocumentId and transactionId come with the posting.</summary>
    static string MarkPostedSql(string documentNumber) => $"""
        UPDATE journal_entries SET status = @posted, posted_transaction_id = @transactionId, document_number = {documentNumber},
               document_sequence_id = {documentNumber}, local_fx_rate = @localRate, group_fx_rate = @groupRate, updated_at = now()
         WHERE company_id = @companyId AND id = @DocumentId
        """;

    /// <summary>
    /// The tax account of each taxed line: its tax code's own input/output account when it names one,
    /// else the chart's INPUT_TAX or OUTPUT_TAX account.
    /// </summary>
    static async Task<Dictionary<(string Role, Guid? TaxId), Guid>> TaxAccountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId,
        List<JournalEntryLineRow> lines)
    {
        var accounts = new Dictionary<(string Role, Guid? TaxId), Guid>();
        foreach (var line in lines.Where(l => l.TaxAmount != 0))
        {
            var key = JournalEntryPosting.TaxAccountKey(line.DcSign.Trim(), line.LedgerTaxId);
            if (accounts.ContainsKey(key)) continue;
            var code = key.TaxId is { } taxId ? await TaxCodes.TaxCodeStore.FindAsync(conn, tx, companyId, taxId) : null;
            accounts[key] = (key.Role == "INPUT_TAX" ? code?.InputAccountId : code?.OutputAccountId)
                            ?? await SystemAccounts.FindAsync(conn, tx, companyId, key.Role);
        }
        return accounts;
    }

    static void CheckRate(Validation v, decimal? rate, string field)
    {
        if (rate is <= 0) v.Add($"'{field}' must be positive", field);
    }

    /// <summary>
    /// The entry's entity (named, or the company's only one), its currencies, and the lines' accounts and target entities, checked
    /// over one round trip that reads the company's entities and the named accounts.
    /// </summary>
    static async Task<(Guid EntityId, (string Local, string Group) Currencies)> CheckReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        Guid companyId, Guid? requestedEntity, List<NormalizedLine> lines)
    {
        var accountIds = lines.Where(l => l.Source.LedgerAccountId is not null).Select(l => l.Source.LedgerAccountId!.Value).Distinct().ToArray();
        await using var grid = await conn.QueryMultipleAsync("""
            SELECT e.id, trim(e.local_currency) AS local, trim(c.base_currency) AS "group"
              FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = @companyId ORDER BY e.sort_position, e.id;
            SELECT id FROM ledger_accounts WHERE company_id = @companyId AND id = ANY(@accountIds)
            """, new { companyId, accountIds }, tx);
        var entities = (await grid.ReadAsync<(Guid Id, string Local, string Group)>()).ToList();
        var known = (await grid.ReadAsync<Guid>()).ToHashSet();
        var entityId = PickEntity(entities.Select(e => e.Id).ToList(), requestedEntity);
        var v = new Validation();
        foreach (var line in lines)
        {
            if (line.Source.LedgerAccountId is { } a && !known.Contains(a))
                v.Add($"Ledger account {a} does not exist", "lines", line.Position, "ledgerAccountId");
            if (line.Source.TargetCompanyEntityId is { } target && target != entityId)
                v.Add("Intercompany lines (a target entity other than the entry's) are not supported", "lines", line.Position, "targetCompanyEntityId");
        }
        v.ThrowIfAny();
        var entity = entities.First(e => e.Id == entityId);
        return (entityId, (entity.Local, entity.Group));
    }

    /// <summary>Every line in one statement (one array per column), in position order.</summary>
    static async Task<List<JournalEntryLineRow>> InsertLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entryId,
        List<NormalizedLine> lines, DateTime now) =>
        (await conn.QueryAsync<JournalEntryLineRow>("""
            INSERT INTO journal_entry_lines (company_id, id, journal_entry_id, position, dc_sign, net_amount, tax_amount, gross_amount, description,
                                             target_company_entity_id, ledger_tax_id, ledger_account_id, cost_center_id, amortization_template_id,
                                             amortization_start_date, amortization_end_date, custom_properties, created_at, updated_at)
            SELECT @companyId, l.id, @entryId, l.position, l.dc_sign, l.net, l.tax, l.gross, l.description, l.target, l.tax_id, l.account_id,
                   l.cost_center_id, l.template_id, l.start_date, l.end_date, l.properties::jsonb, @now, @now
              FROM unnest(@ids, @positions, @signs, @nets, @taxes, @grosses, @descriptions, @targets, @taxIds, @accountIds, @costCenterIds,
                          @templateIds, @startDates, @endDates, @properties)
                   AS l(id, position, dc_sign, net, tax, gross, description, target, tax_id, account_id, cost_center_id, template_id,
                        start_date, end_date, properties)
            RETURNING
            """ + " " + JournalEntryLineRow.Columns, new
        {
            companyId, entryId, now,
            ids = lines.Select(_ => Ids.New()).ToArray(),
            positions = lines.Select(l => l.Position).ToArray(),
            signs = lines.Select(l => l.DcSign).ToArray(),
            nets = lines.Select(l => l.Net).ToArray(),
            taxes = lines.Select(l => l.Tax).ToArray(),
            grosses = lines.Select(l => l.Gross).ToArray(),
            descriptions = lines.Select(l => l.Source.Description).ToArray(),
            targets = lines.Select(l => l.Source.TargetCompanyEntityId).ToArray(),
            taxIds = lines.Select(l => l.Source.LedgerTaxId).ToArray(),
            accountIds = lines.Select(l => l.Source.LedgerAccountId).ToArray(),
            costCenterIds = lines.Select(l => l.Source.CostCenterId).ToArray(),
            templateIds = lines.Select(l => l.Source.AmortizationTemplateId).ToArray(),
            startDates = lines.Select(l => l.Source.AmortizationStartDate).ToArray(),
            endDates = lines.Select(l => l.Source.AmortizationEndDate).ToArray(),
            properties = lines.Select(l => CustomPropertyRequests.ToJson(l.Source.CustomProperties)).ToArray(),
        }, tx)).OrderBy(l => l.Position).ToList();

    static async Task<List<JournalEntryLineRow>> LoadLinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id) =>
        (await conn.QueryAsync<JournalEntryLineRow>(
            $"SELECT {JournalEntryLineRow.Columns} FROM journal_entry_lines WHERE company_id = @companyId AND journal_entry_id = @id ORDER BY position",
            new { companyId, id }, tx)).ToList();

    /// <summary>The entry and its lines in one round trip.</summary>
    static readonly string LoadEntrySql =
        $"SELECT {JournalEntryRow.Columns} FROM journal_entries je WHERE je.company_id = @companyId AND je.id = @id;\n" +
        $"SELECT {JournalEntryLineRow.Columns} FROM journal_entry_lines WHERE company_id = @companyId AND journal_entry_id = @id ORDER BY position";

    static async Task<JournalEntryModel?> LoadModelAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid id)
    {
        await using var grid = await conn.QueryMultipleAsync(LoadEntrySql, new { companyId, id }, tx);
        var row = await grid.ReadSingleOrDefaultAsync<JournalEntryRow>();
        if (row is null) return null;
        var lines = (await grid.ReadAsync<JournalEntryLineRow>()).ToList();
        var properties = await CustomPropertyRequests.ResolveAsync(conn, tx, companyId,
            [row.CustomPropertiesJson, .. lines.Select(l => l.CustomPropertiesJson)]);
        return row.ToModel(lines, properties);
    }
}

/// <summary>The accounts automatic postings use, found by their role in the chart (AP, AR, INPUT_TAX...).</summary>
public static class SystemAccounts
{
    public static async Task<Guid> FindAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, string role) =>
        await conn.ExecuteScalarAsync<Guid?>(
            "SELECT id FROM ledger_accounts WHERE company_id = @companyId AND system_role = @role", new { companyId, role }, tx)
        ?? throw ApiException.Unprocessable($"The chart of accounts has no {role} account");
}
