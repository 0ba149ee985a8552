using Ledgerlight.Ledger.TaxCodes;

namespace Ledgerlight.Spend.CardTransactions;

/// <summary>One line edit of a request: the line, its body (absent vs null) and where it sits in the request.</summary>
public sealed record LineEditInput(Guid LineId, JsonElement Body, UpdateCardTransactionLineRequest Request, object[] Path);

/// <summary>What one transaction's edit will write once every item of the request has been checked.</summary>
sealed record EditPlan(CardTransactionRow Row, HeaderEdit? Header, IReadOnlyList<CardTransactionLineRow> Lines);

/// <summary>
/// PATCH of a card transaction, of one of its lines, and the all-or-nothing batch update: every item is locked
/// and checked first (state, references scoped to the company, amounts), and only then is anything written,
/// in the one transaction; a refusal anywhere rolls the whole request back.
/// </summary>
public sealed class CardTransactionEditStore(NpgsqlDataSource db, TimeProvider clock)
{
    const string ObjectType = "CARD_TRANSACTION";

    public Task<CardTransactionModel?> UpdateAsync(Principal principal, Guid id, JsonElement body, UpdateCardTransactionRequest r) =>
        DocumentCommand.RunAsync(db, CardTransactionRow.Table, principal.CompanyId, id, async s =>
        {
            var v = new Validation();
            v.MaxLength(r.Description, CardTransactionEdits.MaxDescription, "description");
            var plan = await PlanAsync(s.Connection, s.Transaction, s.Row, CardTransactionEdits.Header(s.Row, body, r.Description, r.CustomProperties,
                s.Row.PostingDate), r.CustomProperties, [], v, []);
            v.ThrowIfAny();
            await WriteAsync(s.Connection, s.Transaction, principal, plan);
        }, conn => CardTransactionStore.LoadModelAsync(conn, null, principal.CompanyId, id));

    public async Task<CardTransactionLineModel?> UpdateLineAsync(Principal principal, Guid id, Guid lineId, JsonElement body,
        UpdateCardTransactionLineRequest r)
    {
        var model = await DocumentCommand.RunAsync(db, CardTransactionRow.Table, principal.CompanyId, id, async s =>
        {
            var v = new Validation();
            var plan = await PlanAsync(s.Connection, s.Transaction, s.Row, null, null, [new LineEditInput(lineId, body, r, [])], v, []);
            v.ThrowIfAny();
            await WriteAsync(s.Connection, s.Transaction, principal, plan);
        }, conn => CardTransactionStore.LoadModelAsync(conn, null, principal.CompanyId, id));
        if (model is null) return null;
        return model.Lines.SingleOrDefault(l => l.Id == lineId) ?? throw ApiException.NotFound("Card transaction line");
    }

    /// <summary>All or nothing: at most 500 items, each checked before any is written; an unknown transaction is a 400 naming the item.</summary>
    public async Task<IReadOnlyList<CardTransactionModel>> BatchAsync(Principal principal, JsonElement root, IReadOnlyList<BatchUpdateCardTransactionRequest?> items)
    {
        var companyId = principal.CompanyId;
        var v = new Validation();
        CardTransactionEdits.CheckBatchShape(items, v);
        v.ThrowIfAny();
        await using var conn = await db.OpenConnectionAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            var plans = new List<EditPlan>();
            // Locked in id order, so two batches touching the same transactions cannot deadlock.
            foreach (var i in Enumerable.Range(0, items.Count).OrderBy(i => items[i]!.CardTransactionId))
            {
                var item = items[i]!;
                var row = await CardTransactionRow.Table.LockAsync(conn, tx, companyId, item.CardTransactionId!.Value);
                if (row is null) { v.Add($"Card transaction {item.CardTransactionId} does not exist", i, "cardTransactionId"); continue; }
                var body = root[i];
                var lines = (item.Lines ?? []).Select((l, j) => new LineEditInput(l!.LineId!.Value, body.GetProperty("lines")[j],
                    CardTransactionEdits.AsLineRequest(l), [i, "lines", j])).ToList();
                var header = CardTransactionEdits.Header(row, body, item.Description, item.CustomProperties, item.PostingDate);
                plans.Add(await PlanAsync(conn, tx, row, header, item.CustomProperties, lines, v, [i]));
            }
            v.ThrowIfAny();
            foreach (var plan in plans) await WriteAsync(conn, tx, principal, plan);
            await tx.CommitWriteAsync();
        }
        var models = new List<CardTransactionModel>();
        foreach (var item in items) models.Add((await CardTransactionStore.LoadModelAsync(conn, null, companyId, item!.CardTransactionId!.Value))!);
        return models;
    }

    /// <summary>Checks one transaction's edit (errors added under <paramref name="at"/>) and returns what it will write.</summary>
    static async Task<EditPlan> PlanAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CardTransactionRow row, HeaderEdit? header,
        IReadOnlyList<SetCustomPropertyRequest>? headerProperties, IReadOnlyList<LineEditInput> edits, Validation v, object[] at)
    {
        CardTransactionLifecycle.Machine.Ensure(row.Status, CardTransactionAction.Edit);
        var companyId = row.CompanyId;
        if (headerProperties is not null)
            await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, ObjectType, headerProperties, v, [.. at, "customProperties"]);
        var lines = (await CardTransactionStore.LinesAsync(conn, tx, companyId, row.Id)).ToList();
        var changed = new List<CardTransactionLineRow>();
        foreach (var edit in edits)
        {
            var index = lines.FindIndex(l => l.Id == edit.LineId);
            if (index < 0)
            {
                if (edit.Path.Length == 0) throw ApiException.NotFound("Card transaction line");
                v.Add($"Line {edit.LineId} is not a line of card transaction {row.Id}", [.. edit.Path, "lineId"]);
                continue;
            }
            var r = edit.Request;
            var line = lines[index];
            await CheckReferencesAsync(conn, tx, companyId, r, v, edit.Path);
            var taxCodeId = CardTransactionEdits.Has(edit.Body, "taxCodeId") ? r.TaxCodeId : line.TaxCodeId;
            var rate = taxCodeId is { } t ? (await TaxCodeStore.FindAsync(conn, tx, companyId, t))?.RatePercent ?? 0m : 0m;
            var others = lines.Where((_, k) => k != index).Sum(l => l.Amount);
            lines[index] = CardTransactionEdits.Line(line, edit.Body, r, rate, row.Amount, others, v, edit.Path);
            changed.Add(lines[index]);
        }
        return new EditPlan(row, header, changed);
    }

    /// <summary>Another company's (or no) account or tax code is "does not exist", a 400 naming the field.</summary>
    static async Task CheckReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, UpdateCardTransactionLineRequest r,
        Validation v, object[] path)
    {
        if (r.AccountId is { } a && !await conn.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM ledger_accounts WHERE company_id = @companyId AND id = @a)", new { companyId, a }, tx))
            v.Add($"Ledger account {a} does not exist", [.. path, "accountId"]);
        if (r.TaxCodeId is { } t && await TaxCodeStore.FindAsync(conn, tx, companyId, t) is null)
            v.Add($"Tax code {t} does not exist", [.. path, "taxCodeId"]);
        if (r.CustomProperties is not null)
            await CustomPropertyRequests.ValidateAsync(conn, tx, companyId, ObjectType, r.CustomProperties, v, [.. path, "customProperties"]);
    }

    async Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Principal principal, EditPlan plan)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var keys = new { companyId = plan.Row.CompanyId, id = plan.Row.Id, now, userId = principal.UserId };
        if (plan.Header is { } h)
            await conn.ExecuteAsync("""
                UPDATE card_transactions SET description = @Description, custom_properties = @CustomPropertiesJson::jsonb,
                       posting_date = @PostingDate, updated_at = @now, updated_by = @userId
                 WHERE company_id = @companyId AND id = @id
                """, new { h.Description, h.CustomPropertiesJson, h.PostingDate, keys.companyId, keys.id, now, keys.userId }, tx);
        foreach (var l in plan.Lines)
            await conn.ExecuteAsync("""
                UPDATE card_transaction_lines SET account_id = @AccountId, tax_code_id = @TaxCodeId, cost_center_id = @CostCenterId,
                       amount = @Amount, net_amount = @NetAmount, tax_amount = @TaxAmount, description = @Description,
                       custom_properties = @CustomProperties::jsonb, amortization_template_id = @AmortizationTemplateId,
                       amortization_start_date = @AmortizationStartDate, amortization_end_date = @AmortizationEndDate, updated_at = @now
                 WHERE company_id = @CompanyId AND id = @Id
                """, new
            {
                l.AccountId, l.TaxCodeId, l.CostCenterId, l.Amount, l.NetAmount, l.TaxAmount, l.Description, l.CustomProperties,
                l.AmortizationTemplateId, l.AmortizationStartDate, l.AmortizationEndDate, now, l.CompanyId, l.Id,
            }, tx);
        if (plan.Header is null && plan.Lines.Count > 0)
            await conn.ExecuteAsync("UPDATE card_transactions SET updated_at = @now, updated_by = @userId WHERE company_id = @companyId AND id = @id",
                keys, tx);
    }
}
