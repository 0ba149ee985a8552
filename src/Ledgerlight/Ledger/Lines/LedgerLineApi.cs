namespace Ledgerlight.Ledger.Lines;

public static class LedgerLineApi
{
    static readonly QueryField PostingDate = new("postingDate", "l.posting_date", FieldType.Date);
    static readonly QueryField CreatedAt = ListFields.CreatedAt("l");
    static readonly QueryField AccountCode = new("accountCode", LedgerLineSql.AccountCode, FieldType.Integer);
    static readonly QueryField DocumentSequenceId = new("documentSequenceId", "l.document_sequence_id", FieldType.Text, Nullable: true);
    static readonly QueryField TransactionSequenceId = new("transactionSequenceId", "l.transaction_sequence_id", FieldType.Text);
    static readonly QueryField DocumentType = new("documentType", "l.document_type", FieldType.Enum);
    static readonly QueryField AccountType = new("accountType", LedgerLineSql.AccountType, FieldType.Enum);

    /// <summary>Filters on an account or entity attribute become "the id is one of those matching", one index probe.</summary>
    static Func<FilterOperator, string, string> ViaIds(string idColumn, string table, string column) => (op, p) =>
        FilterSql.Apply(op, $"{idColumn} IN (SELECT x.id FROM {table} x WHERE x.company_id = l.company_id AND {FilterSql.Compare(op, "x." + column, p)})");
    static readonly QueryField TaxTagLabel = new("taxTagLabel", "l.tax_tag_label", FieldType.Text, Nullable: true);

    /// <summary>Sorts and filters as listed in listLedgerTransactionLines' parameter descriptions.</summary>
    public static readonly ListSpec<LedgerLineRow> Spec = new()
    {
        From = LedgerLineRow.From,
        Select = LedgerLineRow.Select,
        CompanyColumn = "l.company_id",
        Id = ListFields.Id("l"),
        IdOf = l => l.Id,
        Sortable =
        [
            (new("accountingDocumentNumber", "l.document_number", FieldType.Text, Nullable: true), l => l.DocumentNumber),
            (TransactionSequenceId, l => l.TransactionSequenceId),
            (DocumentSequenceId, l => l.DocumentSequenceId),
            (DocumentType, l => l.DocumentType),
            (AccountCode, l => (long)l.AccountCode),
            (new("accountLabel", LedgerLineSql.AccountLabel, FieldType.Text), l => l.AccountLabel),
            (PostingDate, l => l.PostingDate),
            (AccountType, l => l.AccountType),
            (TaxTagLabel, l => l.TaxTagLabel),
            (CreatedAt, l => l.CreatedAt),
        ],
        Filterable =
        [
            AccountCode with { CustomFilter = ViaIds("l.account_id", "ledger_accounts", "code") },
            new("accountId", "l.account_id", FieldType.Uuid),
            AccountType with { CustomFilter = ViaIds("l.account_id", "ledger_accounts", "type") },
            new("accDocId", "l.accounting_document_id", FieldType.Uuid),
            new("businessPartnerId", "l.business_partner_id", FieldType.Uuid, Nullable: true),
            new("businessPartnerName", "l.business_partner_name", FieldType.Text, Nullable: true),
            new("companyEntityCode", LedgerLineSql.EntityCode, FieldType.Text) { CustomFilter = ViaIds("l.company_entity_id", "company_entities", "code") },
            new("companyEntityId", "l.company_entity_id", FieldType.Uuid),
            CreatedAt,
            new("customPropertyValueId", "", FieldType.Uuid)
            {
                // Values are stored as the request's SetCustomProperty objects: {groupId, valueIds: [...]}.
                CustomFilter = (op, p) => op switch
                {
                    FilterOperator.Eq => $"jsonb_path_exists(l.custom_properties, '$[*].valueIds[*] ? (@ == $v)', jsonb_build_object('v', {p}::text))",
                    FilterOperator.Ne => $"NOT COALESCE(jsonb_path_exists(l.custom_properties, '$[*].valueIds[*] ? (@ == $v)', jsonb_build_object('v', {p}::text)), false)",
                    _ => throw ApiException.BadRequest("'customPropertyValueId' supports eq and ne", "filter"),
                },
            },
            DocumentSequenceId,
            DocumentType,
            new("eliminationOffset", "(l.ledger_name = 'ELIMINATION')", FieldType.Boolean),
            new("groupAmount", "l.group_amount", FieldType.Integer),
            new("groupCurrency", "l.group_currency::text", FieldType.Text),
            ListFields.Id("l"),
            new("ledgerName", "l.ledger_name", FieldType.Enum),
            new("lineType", "l.line_type", FieldType.Enum),
            new("localAmount", "l.local_amount", FieldType.Integer),
            new("localCurrency", "l.local_currency::text", FieldType.Text),
            PostingDate,
            TaxTagLabel,
            new("transactionCurrency", "l.transaction_currency::text", FieldType.Text),
            new("transactionId", "l.ledger_transaction_id", FieldType.Uuid),
            TransactionSequenceId,
        ],
        DefaultSort = ("postingDate", SortDirection.Asc),
    };

    /// <summary>The same list with each line's stored custom properties, for includeCustomProperties=true only.</summary>
    public static readonly ListSpec<LedgerLineRow> WithCustomProperties = Spec.AlsoSelecting(LedgerLineRow.CustomPropertiesColumn);

    public static void MapLedgerLineApi(this IEndpointRouteBuilder app)
    {
        // The overview seed spells the path /v1/ledger-transactions/lines; both are served.
        foreach (var (path, name) in new[] { ("/v1/ledger-transaction-lines", "listLedgerTransactionLines"), ("/v1/ledger-transactions/lines", "listLedgerTransactionLinesAlias") })
            app.MapList(path, async call =>
                {
                    var includeCustomProperties = QueryFlags.Bool(call.Http, "includeCustomProperties");
                    var includeMax = QueryFlags.Bool(call.Http, "includeMaxLineAmount");
                    var page = await call.PageAsync(includeCustomProperties ? WithCustomProperties : Spec);
                    // The page's values (carried from the journal entry at posting) resolve in one round trip for every line.
                    var properties = includeCustomProperties
                        ? await CustomPropertyRequests.ResolveAsync(call.Db, call.CompanyId, page.Records.Select(l => l.CustomProperties).ToList())
                        : null;
                    long? max = includeMax
                        ? await ListQuery.AggregateAsync<long?, LedgerLineRow>(call.Db, Spec, call.Request, call.CompanyId,
                            "max(l.transaction_amount)", ct: call.Http.RequestAborted)
                        : null;
                    return ApiResults.Ok(new LedgerLinePage(max, page.Records.Select((l, i) => l.ToModel(properties?[i])).ToList(),
                        page.HasMore, page.Total, page.NextCursor, page.PrevCursor));
                })
                .WithName(name)
                .RequirePermission(Permissions.Read("ledger"));
    }
}
