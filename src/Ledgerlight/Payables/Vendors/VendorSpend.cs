namespace Ledgerlight.Payables.Vendors;

/// <summary>
/// A vendor's month-to-date spend (lastMtdSpendInGroupCurrency): its bills posted in the current calendar month (UTC), in
/// the group currency at the rate each was booked at. Kept on the vendor row by the bill's post and cancel, for the month it
/// names; a read in a later month sees 0 (<see cref="ReadSql"/>), so no job has to reset it.
/// </summary>
public static class VendorSpend
{
    /// <summary>The spend as a read sees it now (the vendor aliased v).</summary>
    public const string ReadSql =
        "CASE WHEN v.mtd_spend_month = date_trunc('month', now() AT TIME ZONE 'UTC')::date THEN v.last_mtd_spend ELSE 0 END";

    /// <summary>The first day of the month a posting date counts in.</summary>
    public static DateOnly MonthOf(DateOnly date) => new(date.Year, date.Month, 1);

    /// <summary>
    /// Adds a bill's booked group amount (negative when a posted bill is cancelled) to its vendor's spend, when the bill's
    /// posting date is in the current month: a bill dated in another month is not this month's spend.
    /// </summary>
    public static Task AddAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? vendorId, DateOnly postingDate, long groupAmount,
        DateOnly today)
    {
        if (vendorId is not { } id || MonthOf(postingDate) != MonthOf(today) || groupAmount == 0) return Task.CompletedTask;
        return conn.ExecuteAsync("""
            UPDATE vendors SET last_mtd_spend = CASE WHEN mtd_spend_month = @month THEN last_mtd_spend ELSE 0 END + @groupAmount, mtd_spend_month = @month
             WHERE company_id = @companyId AND id = @id
            """, new { companyId, id, month = MonthOf(today), groupAmount }, tx);
    }
}
