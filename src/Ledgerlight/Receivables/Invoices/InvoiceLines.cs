using Ledgerlight.Receivables.SalesDocuments;

namespace Ledgerlight.Receivables.Invoices;

/// <summary>Invoice lines: priced on every write (<see cref="SalesLinePricing"/>), the invoice total follows.</summary>
public sealed partial class InvoiceStore
{
    public Task<InvoiceLineModel?> CreateLineAsync(Principal principal, Guid invoiceId, InvoiceLineRequest r) =>
        Access.CreateLineAsync(db, principal.CompanyId, invoiceId, r.CustomProperties, async s =>
        {
            var (conn, tx, companyId, row) = (s.Connection, s.Transaction, s.CompanyId, s.Row);
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, InputOf(r), SalesLineFields.Invoice);
            var lineId = Ids.New();
            await InsertLineAsync(conn, tx, companyId, invoiceId, lineId, r, priced, Now);
            await SalesLineTable.Invoice.UpdateTotalAsync(conn, tx, companyId, invoiceId);
            return lineId;
        });

    public Task<InvoiceLineModel?> UpdateLineAsync(Principal principal, Guid invoiceId, Guid lineId, InvoiceLineRequest r, JsonElement body) =>
        Access.UpdateLineAsync(db, clock, principal.CompanyId, invoiceId, lineId, body, r.CustomProperties, async s =>
        {
            var (conn, tx, companyId, row, patch) = (s.Connection, s.Transaction, s.CompanyId, s.Row, s.Patch);
            var merged = Merge(s.Line.Input, r, patch);
            var priced = await SalesLinePricing.PriceAsync(conn, tx, companyId, row.Currency, row.AreLinesWithTax, merged, SalesLineFields.Invoice);
            AmountColumns(patch, merged, priced)
                .Columns(r, nameof(r.ProductNameOverwrite), nameof(r.AvataxCode), nameof(r.BillingStart), nameof(r.BillingEnd));
            await SalesLineTable.Invoice.UpdateLineAsync(conn, tx, companyId, invoiceId, patch,
                new SalesLineAccrual(r.AccrualTemplateId, r.AccrualStartDate, r.AccrualEndDate), r.CustomProperties);
        });

    public Task<bool> DeleteLineAsync(Principal principal, Guid invoiceId, Guid lineId) =>
        SalesLineTable.Invoice.DeleteLineCommandAsync(db, Table, principal.CompanyId, invoiceId, lineId, LineRules.EnsureEditable);

    /// <summary>A line request's pricing inputs (quantity 1 when not given).</summary>
    static SalesLineInput InputOf(InvoiceLineRequest r) =>
        new(r.ProductId!.Value, r.Quantity ?? 1m, r.TaxCodeId, r.AccountId, r.Discount, r.PriceOverwrite, r.TaxAmountOverwrite);

    /// <summary>A PATCH's pricing inputs over the stored line's: present fields win (null clears), absent ones stay.</summary>
    static SalesLineInput Merge(SalesLineInput stored, InvoiceLineRequest r, PatchSet patch) => new(
        r.ProductId ?? stored.ProductId, r.Quantity ?? stored.Quantity,
        patch.Has("taxCodeId") ? r.TaxCodeId : stored.TaxCodeId, patch.Has("accountId") ? r.AccountId : stored.AccountId,
        patch.Has("discount") ? r.Discount : stored.Discount, patch.Has("priceOverwrite") ? r.PriceOverwrite : stored.PriceOverwrite,
        patch.Has("taxAmountOverwrite") ? r.TaxAmountOverwrite : stored.TaxAmountOverwrite);

    /// <summary>The columns a line's pricing decides, always written (a repriced line changes even when its inputs did not).</summary>
    static PatchSet AmountColumns(PatchSet patch, SalesLineInput m, PricedSalesLine priced) => patch
        .Always("product_id", "productId", m.ProductId).Always("quantity", "quantity", m.Quantity).Always("tax_code_id", "taxCodeId", priced.TaxCodeId)
        .Always("account_id", "accountId", m.AccountId).Always("discount_type", "discountType", m.Discount?.Type)
        .Always("discount_value", "discountValue", m.Discount?.Value).Always("price_overwrite", "priceOverwrite", m.PriceOverwrite)
        .Always("tax_amount_overwrite", "taxAmountOverwrite", m.TaxAmountOverwrite).Always("unit_price", "unitPrice", priced.Amounts.UnitPrice)
        .Always("discount_amount", "discountAmount", priced.Amounts.DiscountAmount).Always("net_amount", "netAmount", priced.Amounts.NetAmount)
        .Always("tax_amount", "taxAmount", priced.Amounts.TaxAmount).Always("gross_amount", "grossAmount", priced.Amounts.GrossAmount)
        .Raw("updated_at = @now");


    static Task InsertLineAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid invoiceId, Guid lineId, InvoiceLineRequest r,
        PricedSalesLine priced, DateTime now) =>
        conn.ExecuteAsync("""
            INSERT INTO invoice_receivable_lines (company_id, id, invoice_receivable_id, product_id, quantity, tax_code_id, account_id, discount_type,
                                                  discount_value, unit_price, discount_amount, net_amount, tax_amount, gross_amount, price_overwrite,
                                                  product_name_overwrite, tax_amount_overwrite, avatax_code, billing_start, billing_end,
                                                  accrual_template_id, accrual_start_date, accrual_end_date, custom_properties, created_at, updated_at)
            VALUES (@companyId, @lineId, @invoiceId, @ProductId, @quantity, @taxCodeId, @AccountId, @discountType, @discountValue, @UnitPrice,
                    @DiscountAmount, @NetAmount, @TaxAmount, @GrossAmount, @PriceOverwrite, @ProductNameOverwrite, @TaxAmountOverwrite, @AvataxCode,
                    @BillingStart, @BillingEnd, @AccrualTemplateId, @AccrualStartDate, @AccrualEndDate, @customProperties::jsonb, @now, @now)
            """, new
        {
            companyId, lineId, invoiceId, r.ProductId, quantity = r.Quantity ?? 1m, taxCodeId = priced.TaxCodeId, r.AccountId,
            discountType = r.Discount?.Type, discountValue = r.Discount?.Value, priced.Amounts.UnitPrice, priced.Amounts.DiscountAmount,
            priced.Amounts.NetAmount, priced.Amounts.TaxAmount, priced.Amounts.GrossAmount, r.PriceOverwrite, r.ProductNameOverwrite,
            r.TaxAmountOverwrite, r.AvataxCode, r.BillingStart, r.BillingEnd, r.AccrualTemplateId, r.AccrualStartDate, r.AccrualEndDate,
            customProperties = CustomPropertyRequests.ToJson(r.CustomProperties), now,
        }, tx);
}
