namespace Ledgerlight.Documents.CustomProperties;

/// <summary>ExternalCustomPropertyGroupV1Model.</summary>
public sealed record CustomPropertyGroupModel(
    Guid Id, Guid CompanyId, string Label, string InternalName, string InputType, string ObjectLevel, IReadOnlyList<string> ObjectTypes,
    IReadOnlyDictionary<string, string> ObjectTypeStatuses, string? Context, IReadOnlyList<CustomPropertyValueModel>? Values,
    DateTime CreatedAt, DateTime UpdatedAt, bool Required);

/// <summary>Body of the extension POST /v1/custom-properties/groups.</summary>
public sealed record CreateCustomPropertyGroupRequest(
    string? InternalName, string? Label, string? InputType, string? ObjectLevel, IReadOnlyList<string>? ObjectTypes, string? Context, bool? Required)
{
    static readonly string[] ObjectLevels = ["HEADER", "LINE"];

    /// <summary>The records a group may apply to (Light's object types).</summary>
    public static readonly string[] KnownObjectTypes =
    [
        "BILL", "CARD_TRANSACTION", "CREDIT_NOTE", "CONTRACT", "CUSTOMER", "CUSTOMER_CREDIT", "INVOICE", "JOURNAL_ENTRY", "LEDGER_ACCOUNT",
        "PRODUCT", "PURCHASE_ORDER", "PURCHASE_REQUEST", "REIMBURSEMENT", "VENDOR",
    ];

    public void Validate(Validation v)
    {
        CustomPropertyNames.Check(v, InternalName, Label, Context);
        v.Required(InputType, "inputType");
        if (InputType is not null && !CustomPropertyRequests.InputTypes.Contains(InputType))
            v.Add($"inputType must be one of {string.Join(", ", CustomPropertyRequests.InputTypes)}", "inputType");
        if (ObjectLevel is not null && !ObjectLevels.Contains(ObjectLevel)) v.Add("objectLevel must be HEADER or LINE", "objectLevel");
        for (var i = 0; i < (ObjectTypes?.Count ?? 0); i++)
            if (!KnownObjectTypes.Contains(ObjectTypes![i])) v.Add($"Unknown object type '{ObjectTypes[i]}'", "objectTypes", i);
    }
}

public sealed record CreateCustomPropertyValueRequest(string? InternalName, string? Label, string? Context)
{
    public void Validate(Validation v) => CustomPropertyNames.Check(v, InternalName, Label, Context);
}

public sealed record UpdateCustomPropertyValueRequest(string? Label, string? Context)
{
    public void Validate(Validation v, JsonElement body)
    {
        v.RefuseClearing(body, ["label"]);
        if (Label is not null) v.Required(Label, "label");
        v.MaxLength(Label, 255, "label");
        v.MaxLength(Context, 1000, "context");
    }
}

/// <summary>The name rules groups and values share.</summary>
static class CustomPropertyNames
{
    public static void Check(Validation v, string? internalName, string? label, string? context)
    {
        v.Required(internalName, "internalName");
        v.MaxLength(internalName, 100, "internalName");
        v.Required(label, "label");
        v.MaxLength(label, 255, "label");
        v.MaxLength(context, 1000, "context");
    }
}

public sealed class GroupRow : TimestampedRow
{
    public string InternalName { get; set; } = "";
    public string Label { get; set; } = "";
    public string InputType { get; set; } = "";
    public string ObjectLevel { get; set; } = "";
    public string[] ObjectTypes { get; set; } = [];
    public string? Context { get; set; }
    public bool IsRequired { get; set; }
    public bool IsDeleted { get; set; }

    public const string Columns = "g.company_id, g.id, g.internal_name, g.label, g.input_type, g.object_level, g.object_types, g.context, " +
                                  "g.is_required, g.is_deleted, g.created_at, g.updated_at";

    public CustomPropertyGroupModel ToModel(IReadOnlyList<CustomPropertyValueModel>? values) => new(
        Id, CompanyId, Label, InternalName, InputType, ObjectLevel, ObjectTypes,
        ObjectTypes.ToDictionary(t => t, _ => IsDeleted ? "DELETED" : "ACTIVE"), Context, values, CreatedAt, UpdatedAt, IsRequired);
}

public sealed class ValueRow : TimestampedRow
{
    public Guid GroupId { get; set; }
    public string GroupInternalName { get; set; } = "";
    public string InternalName { get; set; } = "";
    public string Label { get; set; } = "";
    public string? Context { get; set; }

    public const string Columns = "cv.company_id, cv.id, cv.group_id, g.internal_name AS group_internal_name, cv.internal_name, cv.label, " +
                                  "cv.context, cv.created_at, cv.updated_at";
    public const string From = "custom_property_values cv JOIN custom_property_groups g ON g.company_id = cv.company_id AND g.id = cv.group_id";

    public CustomPropertyValueModel ToModel() => new(Id, GroupId, GroupInternalName, CompanyId, InternalName, Label, Context, CreatedAt, UpdatedAt);
}
