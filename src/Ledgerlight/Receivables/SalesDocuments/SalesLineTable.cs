namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>A line's revenue accrual (template and period), as invoice and customer credit lines take it.</summary>
public sealed record SalesLineAccrual(Guid? TemplateId, DateOnly? StartDate, DateOnly? EndDate);

/// <summary>
/// Where a sales document keeps its lines, and the line SQL every sales document shares: count, existence, delete, the
/// repriced amounts and the header total. Table and column names come from code; values travel as parameters.
/// </summary>
/// <param name="Header">The document table.</param>
/// <param name="Lines">The line table.</param>
/// <param name="ForeignKey">The line column naming its document.</param>
/// <param name="Noun">The document with its article, as a sentence starts it: "An invoice".</param>
/// <param name="HasDiscount">Whether lines store a discount amount (invoices do; customer credits have no discount).</param>
/// <param name="TotalKeepsDeclared">Whether the header amount stands while the document has no lines (customer credits, as bills).</param>
public sealed record SalesLineTable(string Header, string Lines, string ForeignKey, string Noun, bool HasDiscount, bool TotalKeepsDeclared)
{
    public static readonly SalesLineTable Invoice =
        new("invoice_receivables", "invoice_receivable_lines", "invoice_receivable_id", "An invoice", HasDiscount: true, TotalKeepsDeclared: false);

    public static readonly SalesLineTable Credit =
        new("customer_credits", "customer_credit_lines", "customer_credit_id", "A customer credit", HasDiscount: false, TotalKeepsDeclared: true);

    string OfDocument => $"company_id = @companyId AND {ForeignKey} = @documentId";

    public async Task<List<TLine>> LoadAsync<TLine>(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid companyId, Guid documentId, string columns) =>
        (await conn.QueryAsync<TLine>($"SELECT {columns} FROM {Lines} WHERE {OfDocument} ORDER BY id", new { companyId, documentId }, tx)).ToList();

    /// <summary>422 when the document already has <paramref name="max"/> lines.</summary>
    public async Task EnsureRoomAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, int max)
    {
        if (await conn.ExecuteScalarAsync<int>($"SELECT count(*) FROM {Lines} WHERE {OfDocument}", new { companyId, documentId }, tx) >= max)
            throw ApiException.Unprocessable($"{Noun} has at most {max} lines");
    }

    public async Task<bool> HasLinesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId) =>
        await conn.ExecuteScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {Lines} WHERE {OfDocument})", new { companyId, documentId }, tx);

    public async Task<bool> LineExistsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, Guid lineId) =>
        await conn.ExecuteScalarAsync<int>($"SELECT count(*) FROM {Lines} WHERE {OfDocument} AND id = @lineId", new { companyId, documentId, lineId }, tx) > 0;

    public Task DeleteLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid lineId) =>
        conn.ExecuteAsync($"DELETE FROM {Lines} WHERE company_id = @companyId AND id = @lineId", new { companyId, lineId }, tx);

    /// <summary>Writes a line PATCH (keyed by @companyId and @lineId) with its accrual fields and custom properties, then the document total.</summary>
    public async Task UpdateLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, PatchSet patch,
        SalesLineAccrual accrual, IReadOnlyList<SetCustomPropertyRequest>? customProperties)
    {
        patch.Set("accrualTemplateId", "accrual_template_id", accrual.TemplateId)
            .Set("accrualStartDate", "accrual_start_date", accrual.StartDate)
            .Set("accrualEndDate", "accrual_end_date", accrual.EndDate)
            .CustomProperties(customProperties);
        await conn.ExecuteAsync($"UPDATE {Lines} SET {patch.Clause} WHERE company_id = @companyId AND id = @lineId", patch.Parameters, tx);
        await UpdateTotalAsync(conn, tx, companyId, documentId);
    }

    /// <summary>Writes a repriced line's amounts (its inputs are unchanged).</summary>
    public Task WriteAmountsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid lineId, PricedLine a, DateTime now) =>
        conn.ExecuteAsync($"""
            UPDATE {Lines} SET unit_price = @UnitPrice, {(HasDiscount ? "discount_amount = @DiscountAmount, " : "")}net_amount = @NetAmount,
                   tax_amount = @TaxAmount, gross_amount = @GrossAmount, updated_at = @now
             WHERE company_id = @companyId AND id = @lineId
            """, new { companyId, lineId, a.UnitPrice, a.DiscountAmount, a.NetAmount, a.TaxAmount, a.GrossAmount, now }, tx);

    /// <summary>The header amount becomes the sum of the lines; returns it. Beyond the column's range is a 422 at "lines".</summary>
    public async Task<long> UpdateTotalAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId)
    {
        try
        {
            return await conn.ExecuteScalarAsync<long>($"""
                UPDATE {Header}
                   SET amount = COALESCE((SELECT sum(gross_amount) FROM {Lines} WHERE {OfDocument}), {(TotalKeepsDeclared ? "amount" : "0")})
                 WHERE company_id = @companyId AND id = @documentId
                RETURNING amount
                """, new { companyId, documentId }, tx);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.NumericValueOutOfRange)
        {
            throw ApiException.Unprocessable($"The {Noun[(Noun.IndexOf(' ') + 1)..]} total is too large", "lines");
        }
    }

    /// <summary>
    /// Deletes a line of a document <paramref name="ensureEditable"/> accepts, and updates the total; false (404) when the document or
    /// the line does not exist in the company. Runs in the document's transaction skeleton (<see cref="DocumentCommand"/>).
    /// </summary>
    public Task<bool> DeleteLineCommandAsync<TRow>(NpgsqlDataSource db, DocumentTable<TRow> table, Guid companyId, Guid documentId, Guid lineId,
        Action<TRow> ensureEditable) where TRow : class =>
        DocumentCommand.TryRunAsync(db, table, companyId, documentId, async s =>
        {
            if (!await LineExistsAsync(s.Connection, s.Transaction, companyId, documentId, lineId)) return false;
            ensureEditable(s.Row);
            await DeleteLineAsync(s.Connection, s.Transaction, companyId, lineId);
            await UpdateTotalAsync(s.Connection, s.Transaction, companyId, documentId);
            return true;
        });

    /// <summary>Reprices every line (a new currency or tax mode) and returns the new total.</summary>
    public async Task<long> RepriceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, string currency, bool linesWithTax,
        IReadOnlyList<(Guid Id, SalesLineInput Input)> lines, SalesLineFields fields, DateTime now)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, currency, linesWithTax, lines[i].Input, fields, "lines", i);
            await WriteAmountsAsync(conn, tx, companyId, lines[i].Id, priced.Amounts, now);
        }
        return await UpdateTotalAsync(conn, tx, companyId, documentId);
    }
}
