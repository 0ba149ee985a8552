using Ledgerlight.Payables.PayableDocuments;

namespace Ledgerlight.Payables.InvoicePayables;

public sealed class BillRow : PayableDocumentRow
{
    public string Type { get; set; } = "";
    public string State { get; set; } = "";
    public string? FailureReason { get; set; }
    public string ProcessingMode { get; set; } = "";
    public string? InvoiceNumber { get; set; }
    public Guid? SenderBankAccountId { get; set; }
    public string? FiNumber { get; set; }
    public string? NorKidReference { get; set; }
    public string? SwissPaymentReference { get; set; }
    public DateTime? PaymentAt { get; set; }
    public DateOnly? IssuedDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public string? ApprovalNote { get; set; }
    public Guid? PurchaseOrderId { get; set; }
    public bool LineItemsIncludeTax { get; set; }
    public string? CancellationReason { get; set; }
    public DateTime? CanceledAt { get; set; }
    public string? SenderEmail { get; set; }
    public DateTime? OcrCompletedAt { get; set; }
    public string? DocumentNumber { get; set; }
    public long? BookedLocalAmount { get; set; }
    public long? BookedGroupAmount { get; set; }
    public Guid? DuplicateOfId { get; set; }
    public int Version { get; set; }
    public Guid? CreatedBy { get; set; }
    // Joined in.
    public string? CompanyEntityName { get; set; }
    public string? VendorVatId { get; set; }
    public string? VendorEmail { get; set; }
    public string? VendorCountry { get; set; }
    public string? VendorCurrency { get; set; }
    public Guid? VendorAccountId { get; set; }
    public Guid? VendorTaxCodeId { get; set; }
    public string? SenderBankAccountName { get; set; }

    public const string Columns =
        "b.company_id, b.id, b.company_entity_id, b.vendor_id, b.type, b.state, b.failure_reason, b.processing_mode, b.invoice_number, " +
        "b.amount, b.currency, b.description, b.sender_bank_account_id, b.fi_number, b.nor_kid_reference, b.swiss_payment_reference, " +
        "b.payment_at, b.issued_date, b.due_date, b.approval_note, b.purchase_order_id, b.line_items_include_tax, b.local_fx_rate_override, " +
        "b.group_fx_rate_override, b.local_fx_rate, b.group_fx_rate, b.cancellation_reason, b.canceled_at, b.sender_email, b.ocr_completed_at, " +
        "b.document_number, b.posting_date, b.posted_transaction_id, b.booked_local_amount, b.booked_group_amount, b.duplicate_of_id, " +
        "b.version, b.created_by, b.created_at, b.updated_at, b.close_purchase_order, e.name AS company_entity_name, v.name AS vendor_name, v.vat_id AS vendor_vat_id, " +
        "v.email AS vendor_email, v.country AS vendor_country, v.currency AS vendor_currency, v.default_account_id AS vendor_account_id, " +
        "v.default_tax_code_id AS vendor_tax_code_id, ba.name AS sender_bank_account_name, b.custom_properties::text AS custom_properties_json, " +
        "b.purchase_order_exceeded, " +
        "(SELECT r.id FROM reimbursements r WHERE r.company_id = b.company_id AND r.invoice_payable_id = b.id) AS reimbursement_id, " +
        "(SELECT r.user_id FROM reimbursements r WHERE r.company_id = b.company_id AND r.invoice_payable_id = b.id) AS reimbursement_user_id";

    /// <summary>
    /// The approver whose decision the bill waits for: the lowest-priority pending step of its open approval (null when
    /// nobody is named or nothing is pending). An approver is a user or an API key acting as one; a key is named by its name.
    /// Statuses come from <see cref="ApprovalStatus"/>, not typed into the SQL.
    /// </summary>
    public const string NextApproverNameSql =
        "(SELECT COALESCE(NULLIF(concat_ws(' ', u.first_name, u.last_name), ''), k.name) FROM invoice_approvals ia " +
        "JOIN invoice_user_approvals s ON s.company_id = ia.company_id AND s.approval_id = ia.id " +
        "LEFT JOIN users u ON u.company_id = s.company_id AND u.id = s.user_id " +
        "LEFT JOIN api_keys k ON k.company_id = s.company_id AND k.id = s.user_id " +
        "WHERE ia.company_id = b.company_id AND ia.invoice_payable_id = b.id AND ia.status = '" + ApprovalStatus.InProgress + "' " +
        "AND s.status = '" + ApprovalStatus.Pending + "' AND s.user_id IS NOT NULL ORDER BY s.priority, s.created_at LIMIT 1)";

    /// <summary>Selected only by a list sorted by nextApproverName (its cursor key); the answer's nextApprover is read per page.</summary>
    public string? NextApproverName { get; set; }

    /// <summary>Asked at submit (closePurchaseOrder): the bill's purchase order is closed when the bill posts.</summary>
    public bool ClosePurchaseOrder { get; set; }

    /// <summary>
    /// The same columns over invoice_payables alone (joined names as correlated subqueries), so a
    /// <see cref="Documents.Kernel.DocumentTable{TRow}"/> can read and lock one bill without joins.
    /// </summary>
    public static readonly string OwnColumns = Columns
        .Replace("e.name AS company_entity_name", Sub("company_entities", "b.company_entity_id", "name") + " AS company_entity_name")
        .Replace("v.name AS vendor_name", Sub("vendors", "b.vendor_id", "name") + " AS vendor_name")
        .Replace("v.vat_id AS vendor_vat_id", Sub("vendors", "b.vendor_id", "vat_id") + " AS vendor_vat_id")
        .Replace("v.email AS vendor_email", Sub("vendors", "b.vendor_id", "email") + " AS vendor_email")
        .Replace("v.country AS vendor_country", Sub("vendors", "b.vendor_id", "country") + " AS vendor_country")
        .Replace("v.currency AS vendor_currency", Sub("vendors", "b.vendor_id", "currency") + " AS vendor_currency")
        .Replace("v.default_account_id AS vendor_account_id", Sub("vendors", "b.vendor_id", "default_account_id") + " AS vendor_account_id")
        .Replace("v.default_tax_code_id AS vendor_tax_code_id", Sub("vendors", "b.vendor_id", "default_tax_code_id") + " AS vendor_tax_code_id")
        .Replace("ba.name AS sender_bank_account_name", Sub("bank_accounts", "b.sender_bank_account_id", "name") + " AS sender_bank_account_name");

    static string Sub(string table, string key, string column) =>
        $"(SELECT x.{column} FROM {table} x WHERE x.company_id = b.company_id AND x.id = {key})";

    public const string From =
        "invoice_payables b JOIN company_entities e ON e.company_id = b.company_id AND e.id = b.company_entity_id " +
        "LEFT JOIN vendors v ON v.company_id = b.company_id AND v.id = b.vendor_id " +
        "LEFT JOIN bank_accounts ba ON ba.company_id = b.company_id AND ba.id = b.sender_bank_account_id";

    static readonly TypeModel BillMetadata = new("VENDOR_INVOICE_METADATA");

    /// <summary>Set on a REIMBURSEMENT bill: the reimbursement it pays and the user it pays.</summary>
    public Guid? ReimbursementId { get; set; }
    public Guid? ReimbursementUserId { get; set; }

    object Metadata() => Type == BillType.Reimbursement
        ? new ReimbursementMetadataModel("REIMBURSEMENT_METADATA", ReimbursementId, ReimbursementUserId)
        : BillMetadata;
    public bool PurchaseOrderExceeded { get; set; }

    UiExceptionModel? FailureContext() => DuplicateOfId is { } dup
        ? new UiExceptionModel("Conflict", "CONFLICT", $"Invoice number '{InvoiceNumber}' of this vendor is already used by invoice payable {dup}",
            [new FieldErrorModel("DUPLICATE_INVOICE", $"Duplicate of invoice payable {dup}", $"Duplicate of invoice payable {dup}", ["invoiceNumber"], null)])
        : PurchaseOrderExceeded
            ? new UiExceptionModel("UnprocessableContent", "UNPROCESSABLE_CONTENT", "Bills matched to the purchase order exceed the ordered amount",
                [new FieldErrorModel("PURCHASE_ORDER_EXCEEDED", "Billed more than ordered", "Billed more than ordered", ["purchaseOrderId"], null)])
            : null;

    public BillModel ToModel(IReadOnlyList<BillLineRow> lines, long? outstanding, IReadOnlyList<CustomPropertyModel>? customProperties = null,
        IReadOnlyList<IReadOnlyList<CustomPropertyModel>>? lineProperties = null) => new(
        Id, Type, Metadata(), Id, CompanyId, State, FailureReason, FailureContext(),
        ApprovalNote, CancellationReason, VendorId, CompanyEntityId, InvoiceNumber, Amount, outstanding, Currency.Trim(), Description,
        SenderBankAccountId, FiNumber, NorKidReference, SwissPaymentReference, PaymentAt, OcrCompletedAt, CanceledAt, IssuedDate, DueDate,
        CreatedAt, UpdatedAt, PurchaseOrderId, LineItemsIncludeTax, LocalFxRate ?? LocalFxRateOverride, GroupFxRate ?? GroupFxRateOverride,
        lines.Select((l, i) => l.ToModel(lineProperties?[i])).ToList(), customProperties ?? [], SenderEmail, DocumentNumber, ProcessingMode);

    public BffBillModel ToBffModel() => new(
        Id, Type, Metadata(), CompanyId, FailureReason, State, Version, ApprovalNote, InvoiceNumber, CompanyEntityId, CompanyEntityName,
        Amount, Currency.Trim(), IssuedDate, DueDate, PaymentAt, CanceledAt, Description, SenderBankAccountId, CancellationReason, SenderEmail,
        VendorId is { } vendorId
            ? new BffVendorModel(vendorId, VendorVatId, VendorAccountId, VendorTaxCodeId, VendorName, VendorEmail, VendorCountry, VendorCurrency?.Trim())
            : null,
        CreatedAt, UpdatedAt);
}

public sealed class BillLineRow : PayableDocuments.PayableLineRow
{
    public Guid InvoicePayableId { get; set; }
    public long Amount { get; set; }
    public DateOnly? AmortizationStartDate { get; set; }
    public DateOnly? AmortizationEndDate { get; set; }
    public Guid? AmortizationTemplateId { get; set; }

    public const string Columns =
        "id, invoice_payable_id, amount, net_amount, tax_amount, description, tax_code_id, account_id, amortization_start_date, " +
        "amortization_end_date, amortization_template_id, created_at, updated_at, custom_properties::text AS custom_properties_json, " +
        // A reimbursement bill's line: the expense line it pays (reimbursement_line_items), as the metadata's JSON.
        "(SELECT json_build_object('type', 'REIMBURSEMENT', 'expenseId', m.expense_id, 'reimbursementCategoryId', el.reimbursement_category_id, " +
        "'performedDate', e.performed_date, 'originalAmount', el.original_amount, 'originalCurrency', trim(e.original_currency))::text " +
        "FROM reimbursement_line_items m JOIN expense_line_items el ON el.company_id = m.company_id AND el.id = m.expense_line_id " +
        "JOIN expenses e ON e.company_id = m.company_id AND e.id = m.expense_id " +
        "WHERE m.company_id = invoice_payable_line_items.company_id AND m.invoice_payable_line_id = invoice_payable_line_items.id) AS reimbursement_json";

    static readonly TypeModel LineMetadata = new("VENDOR_INVOICE");

    /// <summary>Set on a reimbursement bill's line: ExternalReimbursementLineItemMetadataV1Model as JSON.</summary>
    public string? ReimbursementJson { get; set; }

    public BillLineModel ToModel(IReadOnlyList<CustomPropertyModel>? customProperties = null) => new(Id, InvoicePayableId,
        ReimbursementJson is null ? "VENDOR_INVOICE" : BillType.Reimbursement,
        ReimbursementJson is { } json ? System.Text.Json.JsonSerializer.Deserialize<ReimbursementLineMetadataModel>(json, Json.Options)! : LineMetadata, Amount, NetAmount, Description, TaxCodeId, TaxAmount, AccountId, AmortizationStartDate, AmortizationEndDate,
        AmortizationTemplateId, [], customProperties ?? [], CreatedAt, UpdatedAt);
}

public sealed class PaymentRow
{
    public Guid Id { get; set; }
    public Guid InvoicePayableId { get; set; }
    public string Type { get; set; } = "";
    public long Amount { get; set; }
    public string Currency { get; set; } = "";
    public DateOnly PaymentDate { get; set; }
    public Guid? BankAccountId { get; set; }
    public string? Comment { get; set; }
    public string DocumentNumber { get; set; } = "";
    public long BookedLocalAmount { get; set; }
    public long BookedGroupAmount { get; set; }
    public Guid TransactionId { get; set; }
    public DateTime? ReversedAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public const string Columns =
        "id, invoice_payable_id, type, amount, currency, payment_date, bank_account_id, comment, document_number, booked_local_amount, " +
        "booked_group_amount, transaction_id, reversed_at, created_at";

    public BillPaymentModel ToModel() => new(Id, InvoicePayableId, Amount, Currency.Trim(), PaymentDate,
        new PaymentEntryModel(Type, Id, DocumentNumber), Id, BankAccountId, Comment, CreatedAt);
}

public sealed class ApprovalRow : TimestampedRow
{
    public Guid InvoicePayableId { get; set; }
    public string Status { get; set; } = "";
    public string? Note { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? InvoiceNumber { get; set; }
    public long? InvoiceAmount { get; set; }
    public string InvoiceCurrency { get; set; } = "";
    public DateOnly? InvoiceIssuedDate { get; set; }
    public DateOnly? InvoiceDueDate { get; set; }
}

public sealed class StepRow : TimestampedRow
{
    public Guid ApprovalId { get; set; }
    public Guid? UserId { get; set; }
    public bool Named { get; set; }
    public int Priority { get; set; }
    public string Status { get; set; } = "";
    public string? Note { get; set; }
    public DateTime? CompletedAt { get; set; }

    public const string Columns = "id, approval_id, user_id, named, priority, status, note, completed_at, created_at, updated_at";

    public ApprovalStep ToStep() => new(Id, UserId, Named, Priority, Status);

    public UserApprovalModel ToModel() => new(Id, ApprovalId, UserId, Priority, Status, Note, CompletedAt, UpdatedAt, CreatedAt);
}
