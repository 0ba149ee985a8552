using Ledgerlight.Receivables.Products;
using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Contracts;

/// <summary>Contract lines: references checked on every write (a line is priced only when billed, by the invoice it becomes).</summary>
public sealed partial class ContractStore
{
    public Task<ContractLineModel?> CreateLineAsync(Principal principal, Guid contractId, ContractLineRequest r) =>
        Access.CreateLineAsync(db, principal.CompanyId, contractId, r.CustomProperties, async s =>
        {
            var lineId = await InsertLineAsync(s.Connection, s.Transaction, s.CompanyId, contractId, s.Row.Currency.Trim(), r, Now);
            await TouchAsync(s.Connection, s.Transaction, s.CompanyId, contractId);
            return lineId;
        });

    public Task<ContractLineModel?> UpdateLineAsync(Principal principal, Guid contractId, Guid lineId, ContractLineRequest r, JsonElement body) =>
        Access.UpdateLineAsync(db, clock, principal.CompanyId, contractId, lineId, body, r.CustomProperties, async s =>
        {
            var (conn, tx, companyId, row, line, patch) = (s.Connection, s.Transaction, s.CompanyId, s.Row, s.Line, s.Patch);
            var productId = r.ProductId ?? line.ProductId;
            var priceOverwrite = patch.Has("priceOverwrite") ? r.PriceOverwrite : line.PriceOverwrite;
            await CheckLineReferencesAsync(conn, tx, companyId, row.Currency.Trim(), productId, priceOverwrite,
                patch.Has("taxCodeId") ? r.TaxCodeId : null, patch.Has("accountId") ? r.AccountId : null);
            var billingStart = patch.Has("billingStart") ? r.BillingStart : line.BillingStart;
            var billingEnd = patch.Has("billingEnd") ? r.BillingEnd : line.BillingEnd;
            if (billingStart is { } bs && billingEnd is { } be && be < bs) throw ApiException.BadRequest("'billingEnd' must not be before 'billingStart'", "billingEnd");

            patch.Raw("updated_at = @now").Always("product_id", "productId", productId)
                .Columns(r, nameof(r.BillingStart), nameof(r.BillingEnd), nameof(r.AccountId), nameof(r.TaxCodeId), nameof(r.AvataxCode));
            if (r.BillingRecurrence is not null) patch.Columns(r, nameof(r.BillingRecurrence));
            if (patch.Has("discount"))
            {
                patch.Raw("discount = @discount::jsonb");
                patch.Parameters.Add("discount", DiscountJson(r.Discount));
            }
            if (r.Quantity is not null) patch.Columns(r, nameof(r.Quantity));
            patch.Columns(r, nameof(r.PriceOverwrite), nameof(r.ProductNameOverwrite), nameof(r.AmortizationTemplateId),
                    nameof(r.AmortizationStartDate), nameof(r.AmortizationEndDate))
                .CustomProperties(r.CustomProperties);
            await conn.ExecuteAsync($"UPDATE contract_lines SET {patch.Clause} WHERE company_id = @companyId AND id = @lineId", patch.Parameters, tx);
            await TouchAsync(conn, tx, companyId, contractId);
        });

    public Task<bool> DeleteLineAsync(Principal principal, Guid contractId, Guid lineId) =>
        DocumentCommand.TryRunAsync(db, Table, principal.CompanyId, contractId, async s =>
        {
            if (!(await LoadLinesAsync(s.Connection, s.Transaction, s.CompanyId, contractId)).Any(l => l.Id == lineId)) return false;
            LineRules.EnsureEditable(s.Row);
            await s.Connection.ExecuteAsync("DELETE FROM contract_lines WHERE company_id = @companyId AND id = @lineId",
                new { companyId = s.CompanyId, lineId }, s.Transaction);
            await TouchAsync(s.Connection, s.Transaction, s.CompanyId, contractId);
            return true;
        });

    async Task<Guid> InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid contractId, string currency,
        ContractLineRequest r, DateTime now, params object[] at)
    {
        var product = await CheckLineReferencesAsync(conn, tx, companyId, currency, r.ProductId!.Value, r.PriceOverwrite, r.TaxCodeId, r.AccountId, at);
        var id = Ids.New();
        await conn.ExecuteAsync("""
            INSERT INTO contract_lines (company_id, id, contract_id, product_id, billing_start, billing_end, billing_recurrence, account_id,
                                        tax_code_id, avatax_code, discount, quantity, price_overwrite, product_name_overwrite,
                                        amortization_template_id, amortization_start_date, amortization_end_date, custom_properties, created_at, updated_at)
            VALUES (@companyId, @id, @contractId, @ProductId, @BillingStart, @BillingEnd, @recurrence, @AccountId, @TaxCodeId, @AvataxCode,
                    @discount::jsonb, @quantity, @PriceOverwrite, @ProductNameOverwrite, @AmortizationTemplateId, @AmortizationStartDate,
                    @AmortizationEndDate, @customProperties::jsonb, @now, @now)
            """, new
        {
            companyId, id, contractId, r.ProductId, r.BillingStart, r.BillingEnd, recurrence = r.BillingRecurrence ?? Recurrence.DefaultFor(product.BillingRecurrence),
            r.AccountId, r.TaxCodeId, r.AvataxCode, discount = DiscountJson(r.Discount), quantity = r.Quantity ?? 1m, r.PriceOverwrite,
            r.ProductNameOverwrite, r.AmortizationTemplateId, r.AmortizationStartDate, r.AmortizationEndDate,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties), now,
        }, tx);
        return id;
    }

    static string? DiscountJson(JsonElement? discount) =>
        discount is { ValueKind: JsonValueKind.Object } d ? d.GetRawText() : null;

    /// <summary>
    /// The line's price is the product's price in the contract currency unless overwritten; the product must be ACTIVE, as on invoices and
    /// customer credits (the same rule, <see cref="SalesLineRules.UnitPrice"/>: a line billed later must not name a product that can no longer
    /// be invoiced); references must exist. Answers the product.
    /// </summary>
    static async Task<ProductRow> CheckLineReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, string currency, Guid productId,
        long? priceOverwrite, Guid? taxCodeId, Guid? accountId, params object[] at)
    {
        var product = await ProductStore.FindAsync(conn, tx, companyId, productId)
                      ?? throw ApiException.BadRequest($"Product {productId} does not exist", [.. at, "productId"]);
        SalesLineRules.UnitPrice(product, currency, priceOverwrite, SalesLineFields.Contract, at);
        if (taxCodeId is { } taxId && await Ledger.TaxCodes.TaxCodeStore.FindAsync(conn, tx, companyId, taxId) is null)
            throw ApiException.BadRequest($"Tax code {taxId} does not exist", [.. at, "taxCodeId"]);
        if (accountId is { } account && await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM ledger_accounts WHERE company_id = @companyId AND id = @account", new { companyId, account }, tx) == 0)
            throw ApiException.BadRequest($"Ledger account {account} does not exist", [.. at, "accountId"]);
        return product;
    }

    /// <summary>A contract's new currency: every line without its own price needs a product price in it (lines already there stay, whatever
    /// their product's state).</summary>
    static async Task RequirePricedProductAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid productId, string currency,
        params object[] path)
    {
        var product = await ProductStore.FindAsync(conn, tx, companyId, productId)
                      ?? throw ApiException.BadRequest($"Product {productId} does not exist", path);
        if (product.PriceIn(currency) is null)
            throw ApiException.Unprocessable($"Product {productId} has no price in {currency}; give priceOverwrite", path);
    }

    static Task TouchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid id) =>
        conn.ExecuteAsync("UPDATE contracts SET updated_at = now() WHERE company_id = @companyId AND id = @id", new { companyId, id }, tx);
}
