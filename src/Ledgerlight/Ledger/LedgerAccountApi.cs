using Ledgerlight.Organization.Entities;

namespace Ledgerlight.Ledger;

public static class LedgerAccountApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt("a");
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt("a");

    static string EntityFilter(FilterOperator op, string p)
    {
        var exists = op is FilterOperator.In or FilterOperator.NotIn
            ? $"EXISTS (SELECT 1 FROM ledger_account_entities e WHERE e.company_id = a.company_id AND e.ledger_account_id = a.id AND e.company_entity_id = ANY({p}))"
            : $"EXISTS (SELECT 1 FROM ledger_account_entities e WHERE e.company_id = a.company_id AND e.ledger_account_id = a.id AND e.company_entity_id = {p})";
        return op switch
        {
            FilterOperator.Eq or FilterOperator.In => exists,
            FilterOperator.Ne or FilterOperator.NotIn => "NOT " + exists,
            _ => throw ApiException.BadRequest("'companyEntityId' supports only eq, ne, in and not_in", "filter"),
        };
    }

    /// <summary>Sorts and filters as listed in getLedgerAccounts' parameter descriptions.</summary>
    public static readonly ListSpec<LedgerAccountRow> Spec = ListFields.Spec<LedgerAccountRow>("ledger_accounts", "a", string.Join(", ", LedgerAccountRow.Columns.Split(", ").Select(c => "a." + c)), a => a.Id,
        sortable:
        [
            (new("code", "a.code", FieldType.Integer), a => (long)a.Code),
            (new("label", "a.label", FieldType.Text), a => a.Label),
            (new("context", "a.context", FieldType.Text, Nullable: true), a => a.Context),
            (new("type", "a.type", FieldType.Enum), a => a.Type),
            (new("category", "a.category", FieldType.Enum), a => a.Category),
            (new("status", "a.status", FieldType.Enum), a => a.Status),
            (CreatedAt, a => a.CreatedAt),
            (UpdatedAt, a => a.UpdatedAt),
        ],
        filterable:
        [
            ListFields.Id("a"),
            new("companyEntityId", "", FieldType.Uuid) { CustomFilter = EntityFilter },
            new("code", "a.code", FieldType.Integer),
            new("sourceType", "a.source_type", FieldType.Enum),
            new("status", "a.status", FieldType.Enum),
            new("type", "a.type", FieldType.Enum),
            new("category", "a.category", FieldType.Enum),
            CreatedAt,
            UpdatedAt,
        ],
        defaultSort: ("code", SortDirection.Asc));

    static readonly string[] LedgerFeatures =
        ["ALL", "CARD_TRANSACTIONS", "INVOICE_PAYABLES", "INVOICE_RECEIVABLES", "JOURNAL_ENTRIES", "PURCHASE_ORDERS", "REIMBURSEMENTS"];

    /// <summary>
    /// Accounts a feature may book to: spend documents take expense and asset accounts, sales take
    /// income accounts; journal entries take any. Control accounts (AP, AR, bank) are excluded from
    /// document lines because the posting rules book them.
    /// </summary>
    static string[]? TypesFor(string? feature) => feature switch
    {
        "INVOICE_PAYABLES" or "PURCHASE_ORDERS" or "CARD_TRANSACTIONS" or "REIMBURSEMENTS" =>
            AccountTypes.OfCategory("EXPENSE", "ASSET").Except(["BANK", "CARD", "ACCOUNTS_RECEIVABLE", "CASH_AND_EQUIVALENTS"]).ToArray(),
        "INVOICE_RECEIVABLES" => AccountTypes.OfCategory("INCOME").ToArray(),
        _ => null,
    };

    /// <summary>The entities each account is used by, as entity models.</summary>
    static async Task<ILookup<Guid, EntityModel>> EntitiesOfAsync(NpgsqlConnection conn, Guid companyId, Guid[] ids)
    {
        var links = (await conn.QueryAsync<(Guid AccountId, Guid EntityId)>(
            "SELECT ledger_account_id, company_entity_id FROM ledger_account_entities WHERE company_id = @companyId AND ledger_account_id = ANY(@ids)",
            new { companyId, ids })).ToList();
        var entityIds = links.Select(l => l.EntityId).Distinct().ToArray();
        var entities = (await conn.QueryAsync<EntityRow>(
                $"SELECT {EntityRow.Columns} FROM company_entities WHERE company_id = @companyId AND id = ANY(@entityIds)",
                new { companyId, entityIds }))
            .ToDictionary(e => e.Id, e => e.ToModel());
        return links.ToLookup(l => l.AccountId, l => entities[l.EntityId]);
    }

    /// <summary>One account as the API shows it.</summary>
    public static async Task<LedgerAccountModel> GetModelAsync(NpgsqlConnection conn, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleAsync<LedgerAccountRow>(
            $"SELECT {LedgerAccountRow.Columns} FROM ledger_accounts WHERE company_id = @companyId AND id = @id", new { companyId, id });
        return row.ToModel((await EntitiesOfAsync(conn, companyId, [id]))[id].ToList(), includeCustomProperties: false);
    }

    public static void MapLedgerAccountApi(this IEndpointRouteBuilder app)
    {
        app.MapList("/v1/ledger-accounts", async call =>
            {
                var feature = QueryFlags.OneOf(call.Http, "ledgerFeature", LedgerFeatures);
                var includeCustomProperties = QueryFlags.Bool(call.Http, "includeCustomProperties");
                var types = TypesFor(feature);
                var page = await call.PageAsync(Spec,
                    where => { if (types is not null) where.Add($"a.type = ANY({where.ArrayParam(types, FieldType.Text)})"); });

                await using var conn = await call.Db.OpenConnectionAsync(call.Http.RequestAborted);
                var byAccount = await EntitiesOfAsync(conn, call.CompanyId, page.Records.Select(a => a.Id).ToArray());
                return ApiResults.Ok(page.Map(a => a.ToModel(byAccount[a.Id].ToList(), includeCustomProperties)));
            })
            .WithName("getLedgerAccounts")
            .RequirePermission(Permissions.Read("ledger"));
    }
}
