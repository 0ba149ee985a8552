namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>A resolved line as stored: its amounts, references, custom properties, and the columns only its document type has.</summary>
public sealed record PayableLineValues(EnteredAmounts Amounts, string? Description, Guid AccountId, Guid? TaxCodeId, string? CustomPropertiesJson,
    IReadOnlyList<(string Column, object? Value)> Extra);

/// <summary>
/// Where one AP document type keeps its lines, and the line writes bills and credit notes share: insert at
/// the end, replace, delete, count, sum, and the header amount that is the lines' sum once there are any.
/// Table and column names come from code; every value travels as a parameter, every query is scoped to the company.
/// </summary>
/// <param name="HeaderAudit">Extra assignments when a line change touches the header (bills count versions).</param>
public sealed record PayableLineTable(string Lines, string Parent, string Gross, string Header, string HeaderAudit)
{
    public static readonly PayableLineTable Bills = new("invoice_payable_line_items", "invoice_payable_id", "amount", "invoice_payables", ", version = version + 1");
    public static readonly PayableLineTable CreditNotes = new("credit_note_lines", "credit_note_id", "gross_amount", "credit_notes", "");

    string OfDocument => $"company_id = @companyId AND {Parent} = @documentId";

    public Task<long> CountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId) =>
        conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {Lines} WHERE {OfDocument}", new { companyId, documentId }, tx);

    public Task<long?> SumAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId) =>
        conn.ExecuteScalarAsync<long?>($"SELECT sum({Gross}) FROM {Lines} WHERE {OfDocument}", new { companyId, documentId }, tx);

    public async Task<Guid> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, PayableLineValues line, DateTime now)
    {
        var id = Ids.New();
        var p = Parameters(line, companyId, documentId, now);
        p.Add("id", id);
        var extra = line.Extra.Select(e => e.Column).ToList();
        await conn.ExecuteAsync($"""
            INSERT INTO {Lines} (company_id, id, {Parent}, position, {Gross}, net_amount, tax_amount, description, tax_code_id, account_id,
                                 custom_properties, {string.Concat(extra.Select(c => c + ", "))}created_at, updated_at)
            VALUES (@companyId, @id, @documentId, (SELECT COALESCE(max(position), 0) + 1 FROM {Lines} WHERE {OfDocument}),
                    @gross, @net, @tax, @description, @taxCodeId, @accountId, @customProperties::jsonb,
                    {string.Concat(extra.Select(c => "@" + c + ", "))}@now, @now)
            """, p, tx);
        return id;
    }

    /// <summary>Replaces every stored field of the line; false when it is not a line of this document.</summary>
    public async Task<bool> ReplaceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, Guid lineId,
        PayableLineValues line, DateTime now)
    {
        var p = Parameters(line, companyId, documentId, now);
        p.Add("lineId", lineId);
        var extra = string.Concat(line.Extra.Select(e => $"{e.Column} = @{e.Column}, "));
        return await conn.ExecuteAsync($"""
            UPDATE {Lines}
               SET {Gross} = @gross, net_amount = @net, tax_amount = @tax, description = @description, tax_code_id = @taxCodeId,
                   account_id = @accountId, custom_properties = @customProperties::jsonb, {extra}updated_at = @now
             WHERE {OfDocument} AND id = @lineId
            """, p, tx) > 0;
    }

    public Task DeleteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, Guid lineId) =>
        conn.ExecuteAsync($"DELETE FROM {Lines} WHERE {OfDocument} AND id = @lineId", new { companyId, documentId, lineId }, tx);

    /// <summary>Once a document has lines, its amount is their sum.</summary>
    public Task RecomputeAmountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid documentId, DateTime now) =>
        conn.ExecuteAsync($"""
            UPDATE {Header} h SET amount = COALESCE((SELECT sum(l.{Gross}) FROM {Lines} l WHERE l.company_id = h.company_id AND l.{Parent} = h.id), h.amount),
                   updated_at = @now{HeaderAudit}
             WHERE h.company_id = @companyId AND h.id = @documentId
            """, new { companyId, documentId, now }, tx);

    static DynamicParameters Parameters(PayableLineValues line, Guid companyId, Guid documentId, DateTime now)
    {
        var p = new DynamicParameters(new
        {
            companyId, documentId, now, gross = line.Amounts.Gross, net = line.Amounts.Net, tax = line.Amounts.Tax, description = line.Description,
            taxCodeId = line.TaxCodeId, accountId = line.AccountId, customProperties = line.CustomPropertiesJson,
        });
        foreach (var (column, value) in line.Extra) p.Add(column, value);
        return p;
    }
}
