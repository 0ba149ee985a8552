namespace Ledgerlight.Ledger.TaxCodes;

/// <summary>A company's tax code (Ledgerlight extension model; Light refers to them as ledgerTaxId / taxCodeId).</summary>
public sealed record TaxCodeModel(Guid Id, Guid CompanyId, string Code, string Label, decimal RatePercent, Guid? InputAccountId,
    Guid? OutputAccountId, string Status, DateTime CreatedAt, DateTime UpdatedAt);

public sealed class TaxCodeRow : TimestampedRow
{
    public string Code { get; set; } = "";
    public string Label { get; set; } = "";
    public decimal RatePercent { get; set; }
    public Guid? InputAccountId { get; set; }
    public Guid? OutputAccountId { get; set; }
    public string Status { get; set; } = "";

    public const string Columns = "company_id, id, code, label, rate_percent, input_account_id, output_account_id, status, created_at, updated_at";

    public TaxCodeModel ToModel() => new(Id, CompanyId, Code, Label, RatePercent, InputAccountId, OutputAccountId, Status, CreatedAt, UpdatedAt);
}

/// <summary>The set every company starts with.</summary>
public static class StandardTaxCodes
{
    public static readonly IReadOnlyList<(string Code, string Label, decimal Rate)> All =
    [
        ("STANDARD", "Standard rate 20%", 20m),
        ("REDUCED", "Reduced rate 10%", 10m),
        ("SUPER_REDUCED", "Super-reduced rate 5%", 5m),
        ("ZERO", "Zero rate 0%", 0m),
        ("EXEMPT", "Exempt", 0m),
    ];
}

/// <summary>
/// Tax arithmetic in minor units, rounded half away from zero once per line (the currency's minor
/// unit is the line's unit, so no currency argument is needed).
/// </summary>
public static class TaxMath
{
    /// <summary>Tax on a net amount: net × rate / 100.</summary>
    public static long FromNet(long net, decimal ratePercent) =>
        (long)decimal.Round(net * ratePercent / 100m, 0, MidpointRounding.AwayFromZero);

    /// <summary>Tax contained in a gross amount: gross − gross / (1 + rate / 100); net + tax = gross exactly.</summary>
    public static long FromGross(long gross, decimal ratePercent)
    {
        var net = (long)decimal.Round(gross / (1m + ratePercent / 100m), 0, MidpointRounding.AwayFromZero);
        return gross - net;
    }
}
