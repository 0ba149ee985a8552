using Ledgerlight.Documents;
using Ledgerlight.Receivables.SalesDocuments;
using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Receivables.Contracts;

/// <summary>Contracts ("v1 - Contracts") and the billing-run extension.</summary>
public static class ContractApi
{
    const string Area = "contracts";
    const string Id = "contractId";

    static readonly LinedDocumentEndpoints Documents = new(Id, "Contract", "Contract line",
        ["companyEntityId", "currency", "areLinesWithTax", "customerId"], ["productId", "quantity", "billingRecurrence"],
        "createContract", "getContract", "updateContract", "createContractLine", "updateContractLine", "deleteContractLine");

    static readonly QueryField State = new("state", "c.state", FieldType.Enum);
    static readonly QueryField UpdatedAt = ListFields.UpdatedAt("c");

    /// <summary>Sorts and filters as listed in listContracts' parameter descriptions.</summary>
    public static readonly ListSpec<ContractRow> Spec = ListFields.Spec<ContractRow>("contracts", "c", ContractRow.Columns, c => c.Id,
        sortable:
        [
            (new("activatedAt", "c.activated_at", FieldType.Timestamp, Nullable: true), c => c.ActivatedAt),
            (ListFields.EntityId("c"), c => c.CompanyEntityId),
            (new("companyEntityName", ContractRow.CompanyEntityNameSql, FieldType.Text), c => c.CompanyEntityName),
            (ListFields.CreatedAt("c"), c => c.CreatedAt),
            (new("customerId", "c.customer_id", FieldType.Uuid, Nullable: true), c => c.CustomerId),
            (new("customerName", ContractRow.CustomerNameSql, FieldType.Text, Nullable: true), c => c.CustomerName),
            (new("description", "c.description", FieldType.Text, Nullable: true), c => c.Description),
            (new("endDate", "c.end_date", FieldType.Date, Nullable: true), c => c.EndDate),
            (new("estimatedAmount", "c.estimated_amount", FieldType.Integer, Nullable: true), c => c.EstimatedAmount),
            (new("renewalDate", "c.renewal_date", FieldType.Date, Nullable: true), c => c.RenewalDate),
            (new("startDate", "c.start_date", FieldType.Date, Nullable: true), c => c.StartDate),
            (State, c => c.State),
            (new("terminatedAt", "c.terminated_at", FieldType.Timestamp, Nullable: true), c => c.TerminatedAt),
        ],
        filterable:
        [
            ListFields.Id("c"),
            new("customerId", "c.customer_id", FieldType.Uuid, Nullable: true),
            State,
            UpdatedAt,
        ],
        defaultSort: ("createdAt", SortDirection.Desc));

    public static void MapContractApi(this IEndpointRouteBuilder app)
    {
        var read = Permissions.Read(Area);
        var write = Permissions.Write(Area);
        var list = app.MapGroup("/v1/contracts");
        var item = app.MapGroup("/v1/contracts/{contractId}");
        MapListAndCreate(list, item, read, write);
        LinedDocumentApi.Map<ContractStore, ContractModel, ContractRequest, ContractLineModel, ContractLineRequest>(list, item, Documents, read, write);
        MapEditing(item, write);
        MapLifecycle(item, write);
        MapDocumentUpload(item, write);
    }

    static void MapListAndCreate(RouteGroupBuilder list, RouteGroupBuilder item, string read, string write)
    {
        // Lines are only returned when fetching a single contract (Light's model description).
        list.MapList("", async call => ApiResults.Ok(await DocumentCustomProperties.MapPageAsync(call, await call.PageAsync(Spec),
                c => c.Id, c => c.CustomPropertiesJson, (c, properties) => c.ToModel(null, properties))))
            .WithName("listContracts")
            .RequirePermission(read);

        // Registered before /{contractId} routes so "billing-runs" is never read as an id.
        list.MapPost("/billing-runs", async (HttpContext ctx, ContractBilling billing) =>
            {
                var request = await RequestBody.ReadAsync<BillingRunRequest>(ctx);
                var v = new Validation();
                v.Required(request.Date, "date");
                ContractDates.Check(v, request.Date, "date");
                v.ThrowIfAny();
                return ApiResults.Ok(await billing.RunAsync(request.Date!.Value, ctx.Principal().CompanyId, ctx.RequestAborted));
            })
            .WithName("runContractBilling")
            .WithMetadata(new LedgerlightExtension("Run contract billing",
                "Ledgerlight extension. Creates DRAFT sales invoices for the caller's ACTIVE (and pending-termination or terminated, up to " +
                "their end) contracts: one invoice per contract line and billing period (ONE_TIME, MONTHLY, QUARTERLY, HALF_YEARLY, " +
                "YEARLY from the line's billingStart, else the contract's billingStart or startDate) for every period starting on or " +
                "before `date`. Exactly once per (line, period), also when runs overlap on several server instances; a second run " +
                "for the same date creates nothing more once caught up. One run bills at most 24 periods per line (oldest first); " +
                "`periodsRemaining` counts the due periods left for the next run and `moreRemaining` says whether to run again. " +
                "Body: {\"date\": \"YYYY-MM-DD\"} (1900-01-01 to 2199-12-31). Response: date, invoicesCreated, invoiceIds, " +
                "failures (periods that could not be invoiced, with the reason), periodsRemaining, moreRemaining. The same run is available as the CLI command " +
                "`contracts bill --date` and as the daily job `contracts.billing`."))
            .RequirePermission(write);

    }

    static void MapEditing(RouteGroupBuilder item, string write)
    {
        item.MapDelete("", async (string contractId, HttpContext ctx, ContractStore store) =>
                await store.DeleteAsync(ctx.Principal(), Ids.Parse(contractId, Id)) ? ApiResults.Ok(new { }) : throw NotFound())
            .WithName("deleteContract")
            .RequirePermission(write);

        item.MapPost("/publish", async (string contractId, HttpContext ctx, ContractStore store) =>
                ApiResults.Ok(await store.PublishAsync(ctx.Principal(), Ids.Parse(contractId, Id)) ?? throw NotFound()))
            .WithName("publishContract")
            .RequirePermission(write);
    }

    static void MapLifecycle(RouteGroupBuilder item, string write)
    {
        item.MapPost("/renew", async (string contractId, HttpContext ctx, ContractStore store) =>
            {
                var id = Ids.Parse(contractId, Id);
                var request = await RequestBody.ReadAsync<RenewRequest>(ctx);
                var v = new Validation();
                v.Required(request.NextEndDate, "nextEndDate");
                ContractDates.Check(v, request.NextEndDate, "nextEndDate");
                ContractDates.Check(v, request.NextRenewalDate, "nextRenewalDate");
                if (request is { NextEndDate: { } end, NextRenewalDate: { } renewal } && renewal > end)
                    v.Add("'nextRenewalDate' must not be after 'nextEndDate'", "nextRenewalDate");
                v.ThrowIfAny();
                return ApiResults.Ok(await store.RenewAsync(ctx.Principal(), id, request) ?? throw NotFound());
            })
            .WithName("renewContract")
            .RequirePermission(write);

        item.MapPost("/terminate", async (string contractId, HttpContext ctx, ContractStore store) =>
            {
                var id = Ids.Parse(contractId, Id);
                var bytes = await RequestBody.ReadBytesAsync(ctx);
                var request = new TerminateRequest(null, null);
                if (bytes.Length > 0)
                {
                    ctx.Request.Body = new MemoryStream(bytes);
                    request = await RequestBody.ReadAsync<TerminateRequest>(ctx);
                }
                var v = new Validation();
                v.MaxLength(request.TerminationReason, 1000, "terminationReason");
                ContractDates.Check(v, request.TerminationDate, "terminationDate");
                v.ThrowIfAny();
                return ApiResults.Ok(await store.TerminateAsync(ctx.Principal(), id, request) ?? throw NotFound());
            })
            .WithName("terminateContract")
            .RequirePermission(write);

        item.MapPost("/cancel-termination", async (string contractId, HttpContext ctx, ContractStore store) =>
                ApiResults.Ok(await store.CancelTerminationAsync(ctx.Principal(), Ids.Parse(contractId, Id)) ?? throw NotFound()))
            .WithName("cancelContractTermination")
            .RequirePermission(write);

        item.MapPost("/reset", async (string contractId, HttpContext ctx, ContractStore store) =>
                ApiResults.Ok(await store.ResetAsync(ctx.Principal(), Ids.Parse(contractId, Id)) ?? throw NotFound()))
            .WithName("resetContract")
            .RequirePermission(write);
    }

    static void MapDocumentUpload(RouteGroupBuilder item, string write)
    {
        item.MapPost("/generate-document-upload-url", async (string contractId, HttpContext ctx, ContractStore store,
                SignedUrls urls) =>
            {
                var id = Ids.Parse(contractId, Id);
                var request = await RequestBody.ReadAsync<DocumentUploadRequest>(ctx);
                var v = new Validation();
                v.Required(request.Filename, "filename");
                v.MaxLength(request.Filename, 255, "filename");
                if (request.Filename is { } name && !name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
                    v.Add("The contract document is a PDF ('filename' ends in .pdf)", "filename");
                v.ThrowIfAny();
                var companyId = ctx.Principal().CompanyId;
                if (!await store.ExistsAsync(companyId, id)) throw NotFound();
                var upload = urls.ForUpload(companyId, "contracts", "application/pdf", SignedUrls.DefaultMaxBytes);
                await store.SetDocumentKeyAsync(companyId, id, upload.BlobKey);
                return ApiResults.Ok(new ContractDocumentUploadUrlModel(upload.Url, upload.BlobKey, new Dictionary<string, string?>
                {
                    ["filename"] = request.Filename,
                    ["contentType"] = "application/pdf",
                    ["expiresAt"] = upload.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                    ["maxBytes"] = upload.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }));
            })
            .WithName("generateContractDocumentUploadUrl")
            .RequirePermission(write);
    }

    static ApiException NotFound() => ApiException.NotFound("Contract");
}
