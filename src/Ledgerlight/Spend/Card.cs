namespace Ledgerlight.Spend;

/// <summary>PhoneNumber.</summary>
public sealed record PhoneNumberModel(string? CountryCode, string? LocalNumber);

/// <summary>ExternalCardMetadataV1Model (vendorId for VENDOR cards).</summary>
public sealed record CardMetadataModel(string Type, Guid? VendorId);

/// <summary>ExternalCard3DsMetadataV1Model: contact details only; a 3DS password is never answered.</summary>
public sealed record CardThreeDsModel(PhoneNumberModel? PhoneNumber, string? Email);

/// <summary>ExternalCardLimitV1Model.</summary>
public sealed record CardLimitModel(Guid Id, Guid CompanyId, Guid CardId, long Amount, string Currency, string Interval, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// ExternalBffCardV1Model, and ExternalCardV1Model (its subset; the extra names are additive). Never a PAN: bin and lastFour only.
/// </summary>
public sealed record CardModel(
    Guid Id, Guid CompanyEntityId, string? CompanyEntityName, Guid CompanyId, Guid OwnerId, string? OwnerName, Guid CardBalanceAccountId,
    string? CardBalanceAccountLabel, string Currency, string Form, string Status, CardMetadataModel Metadata, CardThreeDsModel? ThreeDs,
    Guid? VendorId, string? VendorName, string? VendorAvatarUrl, string? Description, string Bin, string LastFour, string CardholderName,
    long LimitIntervalSpend, IReadOnlyList<CardLimitModel> Limits, DateTime CreatedAt, DateTime UpdatedAt, string Type);

public static class CardForms
{
    public const string Virtual = "VIRTUAL";
    public const string Physical = "PHYSICAL";
}

public static class CardTypes
{
    public const string Vendor = "VENDOR";
    public const string Employee = "EMPLOYEE";
}

/// <summary>The errors[].type codes Light's createCard schema text names for delivery mismatches.</summary>
public static class CardErrors
{
    public const string DeliveryContactRequired = "PHYSICAL_CARD_DELIVERY_CONTACT_REQUIRED";
    public const string DeliveryContactNotAllowed = "VIRTUAL_CARD_DELIVERY_CONTACT_NOT_ALLOWED";
    public const string StateOrProvinceRequired = "PHYSICAL_CARD_STATE_OR_PROVINCE_REQUIRED";
}

public sealed record CreateCardMetadata(string? Type, Guid? VendorId, Guid? EmployeeId);
public sealed record CardAuthenticationRequest(PhoneNumberModel? PhoneNumber, string? Email);
public sealed record CreateCardLimitRequest(long? Amount, string? Currency, string? Interval);
public sealed record DeliveryAddress(string? Street, string? HouseNumberOrName, string? City, string? PostalCode, string? Country, string? StateOrProvince);
public sealed record DeliveryName(string? FirstName, string? LastName);
public sealed record DeliveryContact(DeliveryAddress? Address, DeliveryName? Name, string? Company, string? Email, PhoneNumberModel? PhoneNumber);

/// <summary>ExternalCreateCardRequestV1Model.</summary>
public sealed record CreateCardRequest(
    Guid? BalanceAccountId, Guid? OwnerId, CreateCardMetadata? Metadata, string? Description, CardAuthenticationRequest? Authentication,
    IReadOnlyList<CreateCardLimitRequest>? Limits, string? FormFactor, DeliveryContact? DeliveryContact)
{
    const int MaxText = 1000;

    public string Form => FormFactor ?? CardForms.Virtual;

    /// <summary>Shape rules that need no database.</summary>
    public void Validate(Validation v)
    {
        v.Required(BalanceAccountId, "balanceAccountId");
        v.Required(OwnerId, "ownerId");
        v.Required(Metadata, "metadata");
        if (Metadata is not null)
        {
            v.Required(Metadata.Type, "metadata", "type");
            if (Metadata.Type is not null and not (CardTypes.Vendor or CardTypes.Employee))
                v.Add("'metadata.type' must be VENDOR or EMPLOYEE", "metadata", "type");
            if (Metadata.Type == CardTypes.Vendor) v.Required(Metadata.VendorId, "metadata", "vendorId");
        }
        v.MaxLength(Description, MaxText, "description");
        v.Email(Authentication?.Email, "authentication", "email");
        ValidateForm(v);
        ValidateLimits(v);
    }

    void ValidateForm(Validation v)
    {
        if (FormFactor is not null and not (CardForms.Virtual or CardForms.Physical))
            v.Add("'formFactor' must be PHYSICAL or VIRTUAL", "formFactor");
        if (Form == CardForms.Physical && DeliveryContact is null)
            v.AddCoded(CardErrors.DeliveryContactRequired, "A PHYSICAL card needs 'deliveryContact' (address and name)", "deliveryContact");
        if (Form == CardForms.Virtual && DeliveryContact is not null)
            v.AddCoded(CardErrors.DeliveryContactNotAllowed, "A VIRTUAL card is sent without 'deliveryContact'", "deliveryContact");
        if (DeliveryContact is not { } c) return;
        v.Required(c.Address, "deliveryContact", "address");
        v.Required(c.Name, "deliveryContact", "name");
        if (c.Address is { } a)
        {
            v.Required(a.Street, "deliveryContact", "address", "street");
            v.Required(a.City, "deliveryContact", "address", "city");
            v.Required(a.PostalCode, "deliveryContact", "address", "postalCode");
            v.Required(a.Country, "deliveryContact", "address", "country");
            v.Country(a.Country, "deliveryContact", "address", "country");
            if (a.Country is "US" or "CA" && string.IsNullOrWhiteSpace(a.StateOrProvince))
                v.AddCoded(CardErrors.StateOrProvinceRequired, "'deliveryContact.address.stateOrProvince' is required for US and CA",
                    "deliveryContact", "address", "stateOrProvince");
            foreach (var (value, field) in new[] { (a.Street, "street"), (a.HouseNumberOrName, "houseNumberOrName"), (a.City, "city"),
                         (a.PostalCode, "postalCode"), (a.StateOrProvince, "stateOrProvince") })
                v.MaxLength(value, MaxText, "deliveryContact", "address", field);
        }
        if (c.Name is { } n)
        {
            v.Required(n.FirstName, "deliveryContact", "name", "firstName");
            v.Required(n.LastName, "deliveryContact", "name", "lastName");
            v.MaxLength(n.FirstName, MaxText, "deliveryContact", "name", "firstName");
            v.MaxLength(n.LastName, MaxText, "deliveryContact", "name", "lastName");
        }
        v.Email(c.Email, "deliveryContact", "email");
        v.MaxLength(c.Company, MaxText, "deliveryContact", "company");
    }

    void ValidateLimits(Validation v)
    {
        if (Limits is null) return;
        var seen = new HashSet<string>();
        for (var i = 0; i < Limits.Count; i++)
        {
            var l = Limits[i];
            v.Required(l.Amount, "limits", i, "amount");
            v.Amount(l.Amount, "limits", i, "amount");
            v.Required(l.Interval, "limits", i, "interval");
            if (l.Interval is not null && !CardLimitIntervals.All.Contains(l.Interval))
                v.Add($"'limits.{i}.interval' must be one of {string.Join(", ", CardLimitIntervals.All)}", "limits", i, "interval");
            else if (l.Interval is not null && !seen.Add(l.Interval))
                v.Add($"'limits.{i}.interval' repeats {l.Interval}: one limit per interval", "limits", i, "interval");
            v.Currency(l.Currency, "limits", i, "currency");
        }
    }
}

public sealed class CardRow : TimestampedRow
{
    public Guid CompanyEntityId { get; set; }
    public string? CompanyEntityName { get; set; }
    public Guid CardBalanceAccountId { get; set; }
    public string? CardBalanceAccountLabel { get; set; }
    public string Currency { get; set; } = "";
    public Guid OwnerId { get; set; }
    public string? OwnerName { get; set; }
    public string Form { get; set; } = "";
    public string Status { get; set; } = "";
    public string Type { get; set; } = "";
    public Guid? VendorId { get; set; }
    public string? VendorName { get; set; }
    public string? VendorAvatarUrl { get; set; }
    public Guid? EmployeeId { get; set; }
    public string? Description { get; set; }
    public string Bin { get; set; } = "";
    public string LastFour { get; set; } = "";
    public string CardholderName { get; set; } = "";
    public string? AuthenticationEmail { get; set; }
    public string? AuthenticationPhone { get; set; }

    /// <summary>Related names as scalar subqueries, so the card row alone can be locked (FOR UPDATE OF c).</summary>
    public const string Columns = """
        c.company_id, c.id, c.company_entity_id,
        (SELECT e.name FROM company_entities e WHERE e.company_id = c.company_id AND e.id = c.company_entity_id) AS company_entity_name,
        c.card_balance_account_id,
        (SELECT b.label FROM card_balance_accounts b WHERE b.company_id = c.company_id AND b.id = c.card_balance_account_id) AS card_balance_account_label,
        (SELECT trim(b.currency) FROM card_balance_accounts b WHERE b.company_id = c.company_id AND b.id = c.card_balance_account_id) AS currency,
        c.owner_id,
        (SELECT COALESCE(NULLIF(trim(concat_ws(' ', u.first_name, u.last_name)), ''), u.email) FROM users u
          WHERE u.company_id = c.company_id AND u.id = c.owner_id) AS owner_name,
        c.form, c.status, c.type, c.vendor_id,
        (SELECT v.name FROM vendors v WHERE v.company_id = c.company_id AND v.id = c.vendor_id) AS vendor_name,
        (SELECT v.avatar_url FROM vendors v WHERE v.company_id = c.company_id AND v.id = c.vendor_id) AS vendor_avatar_url,
        c.employee_id, c.description, c.bin, c.last_four, c.cardholder_name, c.authentication_email,
        c.authentication_phone::text AS authentication_phone, c.created_at, c.updated_at
        """;

    public CardModel ToModel(IReadOnlyList<CardLimitModel> limits, long intervalSpend)
    {
        var phone = AuthenticationPhone is null ? null : System.Text.Json.JsonSerializer.Deserialize<PhoneNumberModel>(AuthenticationPhone, Json.Options);
        var threeDs = phone is null && AuthenticationEmail is null ? null : new CardThreeDsModel(phone, AuthenticationEmail);
        return new CardModel(Id, CompanyEntityId, CompanyEntityName, CompanyId, OwnerId, OwnerName, CardBalanceAccountId, CardBalanceAccountLabel,
            Currency, Form, Status, new CardMetadataModel(Type, VendorId), threeDs, VendorId, VendorName, VendorAvatarUrl, Description, Bin, LastFour,
            CardholderName, intervalSpend, limits, CreatedAt, UpdatedAt, Type);
    }
}

public sealed class CardLimitRow : TimestampedRow
{
    public Guid CardId { get; set; }
    public long Amount { get; set; }
    public string Currency { get; set; } = "";
    public string Interval { get; set; } = "";

    public const string Columns = "company_id, id, card_id, amount, trim(currency) AS currency, interval, created_at, updated_at";

    public CardLimitModel ToModel() => new(Id, CompanyId, CardId, Amount, Currency, Interval, CreatedAt, UpdatedAt);
}
