using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.CustomerCredits;

/// <summary>Inputs that decide a credit line's amounts. AmountOverwrite is the line total in the credit's mode (gross with tax, else net).</summary>
public sealed record CreditLineInput(Guid ProductId, decimal Quantity, Guid? TaxCodeId, Guid? AccountId, long? AmountOverwrite, long? TaxAmountOverwrite)
{
    /// <summary>A request's inputs; the amount in the other tax mode is a 400 (a credit line gives the amount its mode names).</summary>
    public static CreditLineInput From(CustomerCreditLineRequest r, bool linesWithTax, params object[] at)
    {
        var (given, other, otherName) = linesWithTax
            ? (r.GrossTransactionAmount, r.NetTransactionAmount, "netTransactionAmount")
            : (r.NetTransactionAmount, r.GrossTransactionAmount, "grossTransactionAmount");
        if (other is not null)
            throw ApiException.BadRequest(linesWithTax
                ? "Lines of this customer credit include tax (areLinesWithTax): give grossTransactionAmount, not netTransactionAmount"
                : "Lines of this customer credit exclude tax (areLinesWithTax false): give netTransactionAmount, not grossTransactionAmount",
                [.. at, otherName]);
        return new(r.ProductId ?? Guid.Empty, r.Quantity ?? 1m, r.LedgerTaxId, r.LedgerAccountId, given?.Amount, r.TaxTransactionAmount?.Amount);
    }

    /// <summary>As a sales line: a given line amount is the price of one unit; otherwise the product's price × quantity.</summary>
    public SalesLineInput ForPricing => AmountOverwrite is { } amount
        ? new(ProductId, 1m, TaxCodeId, AccountId, null, amount, TaxAmountOverwrite)
        : new(ProductId, Quantity, TaxCodeId, AccountId, null, null, TaxAmountOverwrite);
}

/// <summary>Customer credit lines: priced on every write, the credit total follows.</summary>
public sealed partial class CustomerCreditStore
{
    public Task<CustomerCreditLineModel?> CreateLineAsync(Principal principal, Guid creditId, CustomerCreditLineRequest r) =>
        Access.CreateLineAsync(db, principal.CompanyId, creditId, r.CustomProperties, async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var input = CreditLineInput.From(r, row.AreLinesWithTax);
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, input.ForPricing,
                SalesLineFields.Credit(row.AreLinesWithTax));
            var lineId = Ids.New();
            await InsertLineAsync(conn, tx, companyId, creditId, lineId, r, input, priced, Now);
            await SalesLineTable.Credit.UpdateTotalAsync(conn, tx, companyId, creditId);
            return lineId;
        });

    public Task<CustomerCreditLineModel?> UpdateLineAsync(Principal principal, Guid creditId, Guid lineId, CustomerCreditLineRequest r, JsonElement body) =>
        Access.UpdateLineAsync(db, clock, principal.CompanyId, creditId, lineId, body, r.CustomProperties, async s =>
        {
            var (conn, tx, companyId, row, patch) = (s.Connection, s.Transaction, s.CompanyId, s.Row, s.Patch);
            var merged = Merge(s.Line.Input, CreditLineInput.From(r, row.AreLinesWithTax), r, patch, row.AreLinesWithTax);
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, merged.ForPricing,
                SalesLineFields.Credit(row.AreLinesWithTax));
            patch.Always("product_id", "productId", merged.ProductId).Always("quantity", "quantity", merged.Quantity)
                .Always("tax_code_id", "taxCodeId", priced.TaxCodeId).Always("account_id", "accountId", merged.AccountId)
                .Always("amount_overwrite", "amountOverwrite", merged.AmountOverwrite).Always("tax_amount_overwrite", "taxAmountOverwrite", merged.TaxAmountOverwrite)
                .Always("unit_price", "unitPrice", priced.Amounts.UnitPrice).Always("net_amount", "netAmount", priced.Amounts.NetAmount)
                .Always("tax_amount", "taxAmount", priced.Amounts.TaxAmount).Always("gross_amount", "grossAmount", priced.Amounts.GrossAmount)
                .Raw("updated_at = @now")
                .Columns(r, nameof(r.Description), nameof(r.AvataxCode));
            await SalesLineTable.Credit.UpdateLineAsync(conn, tx, companyId, creditId, patch,
                new SalesLineAccrual(r.AccrualTemplateId, r.AccrualStartDate, r.AccrualEndDate), r.CustomProperties);
        });

    public Task<bool> DeleteLineAsync(Principal principal, Guid creditId, Guid lineId) =>
        SalesLineTable.Credit.DeleteLineCommandAsync(db, Table, principal.CompanyId, creditId, lineId, LineRules.EnsureEditable);

    /// <summary>A PATCH's inputs over the stored line's: present fields win (null clears), absent ones stay.</summary>
    static CreditLineInput Merge(CreditLineInput stored, CreditLineInput given, CustomerCreditLineRequest r, PatchSet patch, bool linesWithTax) => new(
        r.ProductId ?? stored.ProductId, r.Quantity ?? stored.Quantity,
        patch.Has("ledgerTaxId") ? r.LedgerTaxId : stored.TaxCodeId, patch.Has("ledgerAccountId") ? r.LedgerAccountId : stored.AccountId,
        patch.Has(linesWithTax ? "grossTransactionAmount" : "netTransactionAmount") ? given.AmountOverwrite : stored.AmountOverwrite,
        patch.Has("taxTransactionAmount") ? given.TaxAmountOverwrite : stored.TaxAmountOverwrite);

    static Task InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid creditId, Guid lineId, CustomerCreditLineRequest r,
        CreditLineInput input, PricedSalesLine priced, DateTime now) =>
        conn.ExecuteAsync("""
            INSERT INTO customer_credit_lines (company_id, id, customer_credit_id, product_id, quantity, tax_code_id, account_id, description, avatax_code,
                                               amount_overwrite, tax_amount_overwrite, unit_price, net_amount, tax_amount, gross_amount,
                                               accrual_template_id, accrual_start_date, accrual_end_date, custom_properties, created_at, updated_at)
            VALUES (@companyId, @lineId, @creditId, @ProductId, @Quantity, @taxCodeId, @AccountId, @Description, @AvataxCode, @AmountOverwrite,
                    @TaxAmountOverwrite, @UnitPrice, @NetAmount, @TaxAmount, @GrossAmount, @AccrualTemplateId, @AccrualStartDate, @AccrualEndDate,
                    @customProperties::jsonb, @now, @now)
            """, new
        {
            companyId, lineId, creditId, input.ProductId, input.Quantity, taxCodeId = priced.TaxCodeId, input.AccountId, r.Description, r.AvataxCode,
            input.AmountOverwrite, input.TaxAmountOverwrite, priced.Amounts.UnitPrice, priced.Amounts.NetAmount, priced.Amounts.TaxAmount,
            priced.Amounts.GrossAmount, r.AccrualTemplateId, r.AccrualStartDate, r.AccrualEndDate,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties), now,
        }, tx);
}
