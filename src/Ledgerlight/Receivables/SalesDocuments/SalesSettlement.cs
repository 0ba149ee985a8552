using Ledgerlight.Currencies;

namespace Ledgerlight.Receivables.SalesDocuments;

/// <summary>The two currencies an open item is carried in besides its own, and a rate into each.</summary>
public sealed record LocalAndGroup<T>(T Local, T Group);

/// <summary>
/// What clearing part of a foreign-currency open item is worth: at the rate it was booked at, and at the rate of the clearing
/// date. No database; <see cref="SalesPosting.Payment"/> and the credit clearing turn a difference into a realised FX line.
/// </summary>
public static class SalesSettlement
{
    /// <summary>
    /// <paramref name="amount"/>'s share of an item of <paramref name="itemTotal"/> booked at <paramref name="rate"/>, after the
    /// <paramref name="prior"/> clearings. The clearing that completes the item takes what is left, so rounding never strands a cent.
    /// </summary>
    public static long Booked(long amount, long itemTotal, IReadOnlyList<long> prior, string currency, string target, decimal rate) =>
        prior.Sum() + amount == itemTotal
            ? Money.Convert(itemTotal, currency, target, rate) - prior.Sum(p => Money.Convert(p, currency, target, rate))
            : Money.Convert(amount, currency, target, rate);

    /// <summary>Booked and clearing-date amounts in the entity's local and the group currency.</summary>
    public static SettlementAmounts Amounts(long amount, long itemTotal, IReadOnlyList<long> prior, string currency, LocalAndGroup<string> currencies,
        LocalAndGroup<decimal> bookedRates, LocalAndGroup<decimal> clearingRates) => new(
        Booked(amount, itemTotal, prior, currency, currencies.Local, bookedRates.Local),
        Money.Convert(amount, currency, currencies.Local, clearingRates.Local),
        Booked(amount, itemTotal, prior, currency, currencies.Group, bookedRates.Group),
        Money.Convert(amount, currency, currencies.Group, clearingRates.Group));

    /// <summary>The stored rate of the clearing date; the booked rate when none is stored (then there is no difference to realise).</summary>
    public static async Task<LocalAndGroup<decimal>> ClearingRatesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string currency,
        LocalAndGroup<string> currencies, LocalAndGroup<decimal> booked, DateOnly date)
    {
        async Task<decimal> Rate(string target, decimal fallback) =>
            currency == target ? 1m : (await ExchangeRateStore.FindAsync(conn, tx, currency, target, date))?.Rate ?? fallback;
        return new(await Rate(currencies.Local, booked.Local), await Rate(currencies.Group, booked.Group));
    }

    /// <summary>The amounts already cleared on an invoice (payments and applied credits), each booked at the invoice's rate.</summary>
    public static async Task<List<long>> ClearedOnInvoiceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid invoiceId) =>
        (await conn.QueryAsync<long>("""
            SELECT amount FROM invoice_receivable_payments WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId
            UNION ALL
            SELECT amount FROM customer_credit_applications WHERE company_id = @companyId AND invoice_receivable_id = @invoiceId
            """, new { companyId, invoiceId }, tx)).ToList();
}
