using System.Numerics;
using System.Text.RegularExpressions;

namespace Ledgerlight.Banking;

/// <summary>ExternalBankAccountV1Model.</summary>
public sealed record BankAccountModel(
    Guid Id, Guid CompanyId, Guid CompanyEntityId, string Name, string Type, string BankProvider,
    string PaymentSchedulingEligibility, string? Iban, string? Bic, string? DomesticBankAccountNumber, string? DomesticBankCode,
    string Currency, string BankCountry, string? BankCity, string? BankAddress, string? BankZipcode, string BankName,
    string? BankState, int LedgerAccountCode, DateTime CreatedAt);

/// <summary>ExternalCreateBankLedgerAccountRequestV1Model. code is read wide so an out-of-range number gets the range message.</summary>
public sealed record BankLedgerAccountRequest(long? Code, string? Label);

/// <summary>ExternalCreateBankAccountRequestV1Model.</summary>
public sealed partial record CreateBankAccountRequest(
    Guid? CompanyEntityId, string? Name, string? BankProvider, string? Currency, string? BankCountry,
    BankLedgerAccountRequest? LedgerAccount, string? Iban, string? Bic, string? DomesticBankAccountNumber,
    string? DomesticBankCode, string? BankName, string? BankCity, string? BankAddress, string? BankZipcode,
    string? BankState, string? DefaultChargeBearerCode)
{
    public const int MinLedgerCode = 100_000;
    public const int MaxLedgerCode = 999_999;
    const int MaxText = 1000;
    static readonly string[] ChargeBearers = ["OUR", "SHAR"];

    /// <summary>Shape rules that need no database: required fields, codes, pairs, formats.</summary>
    public void Validate(Validation v)
    {
        v.Required(CompanyEntityId, "companyEntityId");
        v.Required(Name, "name");
        v.MaxLength(Name, 255, "name");
        v.Required(BankProvider, "bankProvider");
        if (BankProvider is not null && !BankProviders.IsKnown(BankProvider))
            v.Add($"'bankProvider' {BankProvider} is not a known bank provider (use OTHER)", "bankProvider");
        v.Required(Currency, "currency");
        v.Currency(Currency, "currency");
        v.Required(BankCountry, "bankCountry");
        v.Country(BankCountry, "bankCountry");
        v.Required(LedgerAccount, "ledgerAccount");
        if (LedgerAccount is not null)
        {
            v.Required(LedgerAccount.Code, "ledgerAccount", "code");
            if (LedgerAccount.Code is { } code && code is < MinLedgerCode or > MaxLedgerCode)
                v.Add($"'ledgerAccount.code' must be a 6-digit integer ({MinLedgerCode}..{MaxLedgerCode})", "ledgerAccount", "code");
            if (LedgerAccount.Label is not null && string.IsNullOrWhiteSpace(LedgerAccount.Label))
                v.Add("'ledgerAccount.label' must not be blank", "ledgerAccount", "label");
            v.MaxLength(LedgerAccount.Label, 255, "ledgerAccount", "label");
        }

        Pair(v, Iban, "iban", Bic, "bic");
        Pair(v, DomesticBankAccountNumber, "domesticBankAccountNumber", DomesticBankCode, "domesticBankCode");
        if (!IsBlank(Iban) && !IsValidIban(NormalizedIban!))
            v.Add("'iban' is not a valid IBAN (country code, check digits and account number; the check digits must match)", "iban");
        if (!IsBlank(Bic) && !BicPattern().IsMatch(NormalizedBic!))
            v.Add("'bic' is not a valid BIC (8 or 11 characters: bank, country, location, optional branch)", "bic");
        if (DefaultChargeBearerCode is not null && !ChargeBearers.Contains(DefaultChargeBearerCode))
            v.Add("'defaultChargeBearerCode' must be OUR or SHAR", "defaultChargeBearerCode");

        foreach (var (value, field) in TextFields()) v.MaxLength(value, MaxText, field);
    }

    /// <summary>Both halves of an account identifier or neither: one alone cannot route a payment.</summary>
    static void Pair(Validation v, string? a, string aName, string? b, string bName)
    {
        if (!IsBlank(a) && IsBlank(b)) v.Add($"'{bName}' is required together with '{aName}'", bName);
        if (IsBlank(a) && !IsBlank(b)) v.Add($"'{aName}' is required together with '{bName}'", aName);
    }

    static bool IsBlank(string? s) => string.IsNullOrWhiteSpace(s);

    /// <summary>IBANs are stored in their electronic form: no spaces, upper case.</summary>
    public string? NormalizedIban => IsBlank(Iban) ? null : Iban!.Replace(" ", "").ToUpperInvariant();
    public string? NormalizedBic => IsBlank(Bic) ? null : Bic!.Trim().ToUpperInvariant();
    public string? NormalizedDomesticNumber => IsBlank(DomesticBankAccountNumber) ? null : DomesticBankAccountNumber!.Trim();
    public string? NormalizedDomesticCode => IsBlank(DomesticBankCode) ? null : DomesticBankCode!.Trim();

    /// <summary>ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1.</summary>
    public static bool IsValidIban(string iban)
    {
        if (!IbanPattern().IsMatch(iban)) return false;
        var rearranged = iban[4..] + iban[..4];
        var digits = string.Concat(rearranged.Select(c => char.IsLetter(c) ? (c - 'A' + 10).ToString(CultureInfo.InvariantCulture) : c.ToString()));
        return BigInteger.Parse(digits, CultureInfo.InvariantCulture) % 97 == 1;
    }

    /// <summary>The response's bankName is non-nullable: the given name, else a readable form of the provider, else the account name.</summary>
    public string EffectiveBankName =>
        !IsBlank(BankName) ? BankName!.Trim()
        : BankProvider is { } p && p != BankProviders.Other ? ProviderDisplayName(p)
        : Name!.Trim();

    /// <summary>
    /// The ledger account's label: the one asked for, else the bank name the response shows (Light: "Defaults to the bank
    /// name when omitted"), so a bank named only by its provider labels its ledger account "JPM Chase", not the account name.
    /// </summary>
    public string EffectiveLedgerLabel => !IsBlank(LedgerAccount?.Label) ? LedgerAccount!.Label!.Trim() : EffectiveBankName;

    static readonly HashSet<string> SmallWords = ["OF", "DE", "DO", "DEL", "DI", "LA", "DU", "AND"];

    /// <summary>"BANK_OF_AMERICA" → "Bank of America"; short all-letter codes (BNP, UBS) stay upper case.</summary>
    public static string ProviderDisplayName(string provider) =>
        string.Join(' ', provider.Split('_', StringSplitOptions.RemoveEmptyEntries).Select((w, i) =>
            i > 0 && SmallWords.Contains(w) ? w.ToLowerInvariant()
            : w.Length <= 3 || w.Any(char.IsDigit) ? w
            : w[0] + w[1..].ToLowerInvariant()));

    IEnumerable<(string? Value, string Field)> TextFields() =>
    [
        (Iban, "iban"), (Bic, "bic"), (DomesticBankAccountNumber, "domesticBankAccountNumber"), (DomesticBankCode, "domesticBankCode"),
        (BankName, "bankName"), (BankCity, "bankCity"), (BankAddress, "bankAddress"), (BankZipcode, "bankZipcode"), (BankState, "bankState"),
    ];

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")]
    private static partial Regex IbanPattern();

    [GeneratedRegex("^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    private static partial Regex BicPattern();
}

public sealed class BankAccountRow
{
    public Guid CompanyId { get; set; }
    public Guid Id { get; set; }
    public Guid CompanyEntityId { get; set; }
    public Guid LedgerAccountId { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string BankProvider { get; set; } = "";
    public string PaymentSchedulingEligibility { get; set; } = "";
    public string Currency { get; set; } = "";
    public string BankCountry { get; set; } = "";
    public string BankName { get; set; } = "";
    public string? Iban { get; set; }
    public string? Bic { get; set; }
    public string? DomesticBankAccountNumber { get; set; }
    public string? DomesticBankCode { get; set; }
    public string? BankCity { get; set; }
    public string? BankAddress { get; set; }
    public string? BankZipcode { get; set; }
    public string? BankState { get; set; }
    public int LedgerAccountCode { get; set; }
    public DateTime CreatedAt { get; set; }

    public const string Columns =
        "b.company_id, b.id, b.company_entity_id, b.ledger_account_id, b.name, b.type, b.bank_provider, " +
        "b.payment_scheduling_eligibility, b.currency, b.bank_country, b.bank_name, b.iban, b.bic, b.domestic_bank_account_number, " +
        "b.domestic_bank_code, b.bank_city, b.bank_address, b.bank_zipcode, b.bank_state, a.code AS ledger_account_code, b.created_at";

    public const string From = "bank_accounts b JOIN ledger_accounts a ON a.company_id = b.company_id AND a.id = b.ledger_account_id";

    public BankAccountModel ToModel() => new(
        Id, CompanyId, CompanyEntityId, Name, Type, BankProvider, PaymentSchedulingEligibility, Iban, Bic,
        DomesticBankAccountNumber, DomesticBankCode, Currency, BankCountry, BankCity, BankAddress, BankZipcode, BankName,
        BankState, LedgerAccountCode, CreatedAt);
}

/// <summary>ExternalUpsertBankAccountBalanceRequestV1Model.</summary>
public sealed record UpsertBankAccountBalanceRequest(long? Balance, DateTime? BalanceAt)
{
    public void Validate(Validation v)
    {
        v.Required(Balance, "balance");
        if (Balance is { } b && Math.Abs((decimal)b) > BankAmounts.MaxAbsolute)
            v.Add($"'balance' must be between -{BankAmounts.MaxAbsolute} and {BankAmounts.MaxAbsolute} minor units", "balance");
    }
}

/// <summary>ExternalBankAccountBalanceV1Model: the opening balance.</summary>
public sealed record BankAccountBalanceModel(Guid Id, Guid BankAccountId, DateTime BalanceAt, long Balance);

/// <summary>ExternalBankAccountBalanceAsOfV1Model.</summary>
public sealed record BankAccountBalanceAsOfModel(Guid BankAccountId, string Currency, long? BankBalance, long LedgerBalance, DateOnly AsOf);

public static class BankAmounts
{
    /// <summary>
    /// The one maximum of every money field (<see cref="Limits.MaxAmount"/>, 10^15 minor units): far above
    /// any real statement line. Daily totals beyond int64 are refused with a 422 when written.
    /// </summary>
    public const long MaxAbsolute = Limits.MaxAmount;
}
