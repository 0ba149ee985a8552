using Ledgerlight.Payables.Vendors;
using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Payables.InvoicePayables;

/// <summary>The bill approval API besides the bill's own approve/decline: the approvals list, the company rule, a vendor's approvers.</summary>
public static class BillApprovalApi
{
    /// <param name="vendor">The group at /v1/vendors/{vendorId}.</param>
    public static void MapBillApprovalApi(this IEndpointRouteBuilder app, IEndpointRouteBuilder vendor)
    {
        var read = Permissions.Read("payables");
        var approvals = app.MapGroup("/v1/invoice-approval");
        approvals.MapGet("", async (HttpContext ctx, BillApprovalStore store) =>
            {
                var ids = ctx.Request.Query["invoicePayableId"]
                    .SelectMany(raw => (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(raw => Ids.Parse(raw, "invoicePayableId")).ToArray();
                return ApiResults.Ok(await store.ListApprovalsAsync(ctx.Principal().CompanyId, ids));
            })
            .WithName("getInvoicePayableApprovals").RequirePermission(read);

        approvals.MapGet("/rules", async (HttpContext ctx, BillApprovalSettingsStore store) =>
                ApiResults.Ok(await store.GetRuleAsync(ctx.Principal().CompanyId)))
            .WithName("getInvoiceApprovalRule")
            .WithMetadata(new LedgerlightExtension("Get the bill approval rule",
                "The company's amount threshold: bills at or above it need approval before posting; below it they may be posted directly."))
            .RequirePermission(read);

        approvals.MapPut("/rules", async (HttpContext ctx, BillApprovalSettingsStore store) =>
                ApiResults.Ok(await store.SetRuleAsync(ctx.Principal().CompanyId, await RequestBody.ReadAsync<ApprovalRuleRequest>(ctx))))
            .WithName("setInvoiceApprovalRule")
            .WithMetadata(new LedgerlightExtension("Set the bill approval rule",
                "Body {\"amountThreshold\": 100000} (minor units, null for none). Bills at or above the threshold need approval before posting. ADMIN only."))
            .RequirePermission(Permissions.Write("settings"));

        vendor.MapPut("/approvers", async (string vendorId, HttpContext ctx, BillApprovalSettingsStore bills, VendorStore vendors) =>
            {
                var id = Ids.Parse(vendorId, "vendorId");
                var request = await RequestBody.ReadAsync<VendorApproversRequest>(ctx);
                if (!await bills.SetVendorApproversAsync(ctx.Principal().CompanyId, id, request)) throw ApiException.NotFound("Vendor");
                return ApiResults.Ok((await vendors.GetAsync(ctx.Principal().CompanyId, id))!.ToModel());
            })
            .WithName("setVendorApprovers")
            .WithMetadata(new LedgerlightExtension("Set a vendor's bill approvers",
                "Replaces the vendor's approvers: body {\"approvers\":[{\"userId\":...,\"priority\":1}]} (user or API key ids; lower priority approves first). " +
                "Bills of a vendor with approvers need every approver's approval before posting. ADMIN only.", "ExternalVendorV1Model"))
            .RequirePermission(Permissions.Write("settings"));
    }
}
