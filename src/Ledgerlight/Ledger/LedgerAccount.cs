using Ledgerlight.Organization.Entities;

namespace Ledgerlight.Ledger;

/// <summary>ExternalLedgerAccountV1Model.</summary>
public sealed record LedgerAccountModel(
    Guid Id, Guid CompanyId, Guid? BankAccountId, Guid? CardAccountId, Guid? CashAndEquivalentsAccountId,
    int Code, string Label, string Type, string Status, string? Context, bool RevaluateFxBalance,
    IReadOnlyList<EntityModel> CompanyEntities, IReadOnlyList<object>? CustomProperties,
    DateTime CreatedAt, DateTime UpdatedAt);

public sealed class LedgerAccountRow : TimestampedRow
{
    public int Code { get; set; }
    public string Label { get; set; } = "";
    public string Type { get; set; } = "";
    public string Category { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Context { get; set; }
    public string SourceType { get; set; } = "";
    public string? SystemRole { get; set; }
    public bool RevaluateFxBalance { get; set; }
    public Guid? BankAccountId { get; set; }
    public Guid? CardAccountId { get; set; }
    public Guid? CashAndEquivalentsAccountId { get; set; }

    public const string Columns = "company_id, id, code, label, type, category, status, context, source_type, system_role, " +
                                  "revaluate_fx_balance, bank_account_id, card_account_id, cash_and_equivalents_account_id, created_at, updated_at";

    public LedgerAccountModel ToModel(IReadOnlyList<EntityModel> entities, bool includeCustomProperties) =>
        new(Id, CompanyId, BankAccountId, CardAccountId, CashAndEquivalentsAccountId, Code, Label, Type, Status, Context,
            RevaluateFxBalance, entities, includeCustomProperties ? [] : null, CreatedAt, UpdatedAt);
}
