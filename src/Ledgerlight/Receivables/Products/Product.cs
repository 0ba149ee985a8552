namespace Ledgerlight.Receivables.Products;

public sealed record ProductPricing(string? Currency, long? Amount);

/// <summary>ExternalProductV1Model.</summary>
public sealed record ProductModel(
    Guid Id, Guid CompanyId, string Name, string PricingType, string BillingRecurrence, IReadOnlyList<ProductPricing> Pricings, string State,
    Guid? DefaultTaxId, string? DefaultAvataxCode, Guid? DefaultLedgerAccountId, object? ExternalSource, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<object>? CustomProperties);

/// <summary>ExternalCreateProductRequestV1Model / ExternalUpdateProductRequestV1Model.</summary>
public sealed record ProductRequest(
    string? Name, string? PricingType, string? BillingRecurrence, IReadOnlyList<ProductPricing>? Pricings, string? DefaultAvataxCode,
    Guid? DefaultTaxId, Guid? DefaultLedgerAccountId, IReadOnlyList<SetCustomPropertyRequest>? CustomProperties) : IReferenceRequest
{
    public static readonly string[] PricingTypes = ["FIXED", "PACKAGE"];
    public static readonly string[] Recurrences = ["ONE_TIME", "MONTHLY", "QUARTERLY", "HALF_YEARLY", "YEARLY"];

    public void Validate(Validation v, bool isCreate)
    {
        if (isCreate) v.Required(Name, "name");
        else if (Name is not null && string.IsNullOrWhiteSpace(Name)) v.Add("'name' must not be empty", "name");
        v.MaxLength(Name, 255, "name");
        v.MaxLength(DefaultAvataxCode, 100, "defaultAvataxCode");
        if (PricingType is not null && !PricingTypes.Contains(PricingType)) v.Add("'pricingType' must be FIXED or PACKAGE", "pricingType");
        if (BillingRecurrence is not null && !Recurrences.Contains(BillingRecurrence))
            v.Add($"'billingRecurrence' must be one of {string.Join(", ", Recurrences)}", "billingRecurrence");
        if (Pricings is not null)
        {
            if (Pricings.Count > 200) v.Add("At most 200 prices", "pricings");
            var seen = new HashSet<string>();
            for (var i = 0; i < Pricings.Count; i++)
            {
                v.Required(Pricings[i].Currency, "pricings", i, "currency");
                v.Currency(Pricings[i].Currency, "pricings", i, "currency");
                v.Required(Pricings[i].Amount, "pricings", i, "amount");
                v.Amount(Pricings[i].Amount, "pricings", i, "amount");
                if (Pricings[i].Currency is { } c && !seen.Add(c)) v.Add($"Only one price per currency ({c} twice)", "pricings", i, "currency");
            }
        }
        CustomPropertyRequests.CheckShape(v, CustomProperties, "customProperties");
    }

    public string PricingsJson() => JsonSerializer.Serialize(Pricings ?? [], Json.Options);
}

public sealed class ProductRow : CustomPropertiesRow
{
    public string Name { get; set; } = "";
    public string PricingType { get; set; } = "";
    public string BillingRecurrence { get; set; } = "";
    public string Pricings { get; set; } = "[]";
    public string State { get; set; } = "";
    public Guid? DefaultTaxId { get; set; }
    public string? DefaultAvataxCode { get; set; }
    public Guid? DefaultLedgerAccountId { get; set; }

    public const string Columns = "company_id, id, custom_properties::text AS custom_properties_json, name, pricing_type, billing_recurrence, pricings::text AS pricings, state, default_tax_id, " +
                                  "default_avatax_code, default_ledger_account_id, created_at, updated_at";

    public IReadOnlyList<ProductPricing> PriceList => JsonSerializer.Deserialize<List<ProductPricing>>(Pricings, Json.Options) ?? [];

    /// <summary>The unit price in a currency, if the product has one.</summary>
    public long? PriceIn(string currency) => PriceList.FirstOrDefault(p => p.Currency == currency)?.Amount;

    public ProductModel ToModel(IReadOnlyList<CustomPropertyModel>? customProperties = null) => new(Id, CompanyId, Name, PricingType,
        BillingRecurrence, PriceList, State, DefaultTaxId, DefaultAvataxCode, DefaultLedgerAccountId, null, CreatedAt, UpdatedAt,
        customProperties ?? []);
}
