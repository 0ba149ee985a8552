namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>
/// The steps creating a bill or a credit note with its lines takes alike: every line's shape checked before anything
/// is read, the vendor the document names looked up, then every line resolved against that vendor's defaults with all
/// errors collected before any is thrown, and the header amount settled against the lines.
/// </summary>
public static class PayableDocumentCreation
{
    /// <summary>Checks each line of the body under its index in <paramref name="linesField"/> (null entries are left to the binder).</summary>
    public static void CheckLineShapes<TLine>(Validation v, IReadOnlyList<TLine>? lines, string linesField, Action<TLine, Validation, object[]> check)
        where TLine : class
    {
        for (var i = 0; i < (lines?.Count ?? 0); i++)
            if (lines![i] is { } line) check(line, v, [linesField, i]);
    }

    /// <summary>The vendor a new document names (null for none); an unknown one is an error under <paramref name="field"/>.</summary>
    public static async Task<VendorDefaults?> VendorAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? vendorId,
        Validation v, string field)
    {
        var vendor = await VendorDefaults.OfAsync(conn, tx, companyId, vendorId);
        if (vendorId is { } missing && vendor is null) v.Add($"Vendor {missing} does not exist", field);
        return vendor;
    }

    /// <summary>
    /// Every line resolved in order (an unusable one leaves its errors in <paramref name="v"/>), then every error thrown;
    /// the amount is the lines' gross sum once there are any (<see cref="PayableAmounts.FromLines"/>).
    /// </summary>
    public static async Task<(List<PayableLineValues> Lines, long? Amount)> ResolveLinesAsync<TLine>(IReadOnlyList<TLine>? requests,
        long? givenAmount, string linesName, Validation v, Func<TLine, int, Task<PayableLineValues?>> resolve)
    {
        var lines = new List<PayableLineValues>();
        for (var i = 0; i < (requests?.Count ?? 0); i++)
            if (await resolve(requests![i], i) is { } line) lines.Add(line);
        v.ThrowIfAny();
        return (lines, PayableAmounts.FromLines(givenAmount, lines.Select(l => l.Amounts.Gross).ToList(), linesName));
    }
}
