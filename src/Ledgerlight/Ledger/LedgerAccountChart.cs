namespace Ledgerlight.Ledger;

/// <summary>Body of the extension POST /v1/ledger-accounts.</summary>
public sealed record CreateLedgerAccountRequest(int? Code, string? Label, string? Type, string? Context, IReadOnlyList<Guid>? CompanyEntityIds,
    bool? RevaluateFxBalance)
{
    public void Validate(Validation v)
    {
        v.Required(Code, "code");
        if (Code is < 1 or > 999_999_999) v.Add("'code' must be a positive integer of at most 9 digits", "code");
        v.Required(Label, "label");
        v.MaxLength(Label, 255, "label");
        v.MaxLength(Context, 255, "context");
        v.Required(Type, "type");
        if (Type is not null && !AccountTypes.IsKnown(Type)) v.Add($"Unknown account type '{Type}'", "type");
        if (Type is "BANK") v.Add("Bank ledger accounts are created with their bank account (POST /v1/bank-accounts)", "type");
    }
}

/// <summary>Body of the extension PATCH /v1/ledger-accounts/{ledgerAccountId}.</summary>
public sealed record UpdateLedgerAccountRequest(string? Label, string? Status, string? Context)
{
    public void Validate(Validation v, JsonElement body)
    {
        v.RefuseClearing(body, ["label", "status"]);
        if (Status is not null && !LedgerAccountStatus.All.Contains(Status)) v.Add("'status' must be ACTIVE or DISABLED", "status");
        v.MaxLength(Label, 255, "label");
        v.MaxLength(Context, 255, "context");
    }
}

/// <summary>An account is ACTIVE or DISABLED (a disabled account refuses new postings; it is never deleted).</summary>
public static class LedgerAccountStatus
{
    public const string Active = "ACTIVE";
    public const string Disabled = "DISABLED";
    public static readonly string[] All = [Active, Disabled];
}
