namespace Ledgerlight.Platform.Auth;

/// <summary>
/// Permissions are "area:read" or "area:write". Each endpoint declares exactly one; the startup
/// check refuses to run if a /v1 endpoint forgot, so nothing is reachable by accident.
/// </summary>
public static class Permissions
{
    public static string Read(string area) => $"{area}:read";
    public static string Write(string area) => $"{area}:write";
}

public sealed record RequiredPermission(string Name);

public static class Roles
{
    public const string Admin = "ADMIN";
    public const string Viewer = "VIEWER";
    public const string ApClerk = "AP_CLERK";
    public const string ArClerk = "AR_CLERK";
    public const string Accountant = "ACCOUNTANT";
    /// <summary>May approve or decline bills (and read everything); nothing else.</summary>
    public const string Approver = "APPROVER";

    public static readonly IReadOnlyList<string> All = [Admin, Viewer, ApClerk, ArClerk, Accountant, Approver];

    // Areas each clerk role may change; every role may read everything in its company.
    static readonly Dictionary<string, HashSet<string>> WritableAreas = new()
    {
        [ApClerk] = ["vendors", "payables", "purchase-orders", "credit-notes", "attachments", "comments"],
        [ArClerk] = ["customers", "products", "receivables", "contracts", "customer-credits", "attachments", "comments"],
        [Accountant] = ["ledger", "banking", "vendors", "customers", "attachments", "comments"],
        [Approver] = ["approvals", "comments"],
    };

    public static bool IsKnown(string role) => All.Contains(role);

    public static bool Allows(string role, string permission)
    {
        if (role == Admin) return true;
        var parts = permission.Split(':');
        if (parts.Length != 2) return false;
        if (parts[1] == "read") return IsKnown(role);
        return WritableAreas.TryGetValue(role, out var areas) && areas.Contains(parts[0]);
    }
}

public static class PermissionEndpointExtensions
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredPermission(permission));
}
