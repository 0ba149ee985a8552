using Ledgerlight.Platform.OpenApi;

namespace Ledgerlight.Ledger.JournalEntries;

public static class JournalEntryApi
{
    public static void MapJournalEntryApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/journal-entries", async (HttpContext ctx, JournalEntryStore store) =>
                ApiResults.Ok(await store.CreateAsync(ctx.Principal(), await RequestBody.ReadAsync<CreateJournalEntryRequest>(ctx))))
            .WithName("createJournalEntry")
            .RequirePermission(Permissions.Write("ledger"));

        app.MapPatch("/v1/journal-entries/{journalEntryId}", async (string journalEntryId, HttpContext ctx, JournalEntryStore store) =>
            {
                var id = Ids.Parse(journalEntryId, "journalEntryId");
                var (request, root) = await RequestBody.ReadWithRootAsync<UpdateJournalEntryRequest>(ctx);
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal(), id, request, root) ?? throw ApiException.NotFound("Journal entry"));
            })
            .WithName("updateJournalEntry")
            .RequirePermission(Permissions.Write("ledger"));

        app.MapPost("/v1/journal-entries/{journalEntryId}/archive", async (string journalEntryId, HttpContext ctx, JournalEntryStore store) =>
                ApiResults.Ok(await store.ArchiveAsync(ctx.Principal(), Ids.Parse(journalEntryId, "journalEntryId"))
                              ?? throw ApiException.NotFound("Journal entry")))
            .WithName("archiveJournalEntry")
            .RequirePermission(Permissions.Write("ledger"));

        app.MapGet("/v1/journal-entries/{journalEntryId}", async (string journalEntryId, HttpContext ctx, JournalEntryStore store) =>
                ApiResults.Ok(await store.GetAsync(ctx.Principal().CompanyId, Ids.Parse(journalEntryId, "journalEntryId"))
                              ?? throw ApiException.NotFound("Journal entry")))
            .WithName("getJournalEntry")
            .WithMetadata(new LedgerlightExtension("Get journal entry", "Returns one journal entry with its lines and totals."))
            .RequirePermission(Permissions.Read("ledger"));

        app.MapPost("/v1/journal-entries/{journalEntryId}/post", async (string journalEntryId, HttpContext ctx, JournalEntryStore store) =>
                ApiResults.Ok(await store.PostAsync(ctx.Principal(), Ids.Parse(journalEntryId, "journalEntryId"))
                              ?? throw ApiException.NotFound("Journal entry")))
            .WithName("postJournalEntry")
            .WithMetadata(new LedgerlightExtension("Post a draft journal entry",
                "Posts a DRAFT entry to the ledger (422 when unbalanced, incomplete or in a closed period; 409 when not a draft)."))
            .RequirePermission(Permissions.Write("ledger"));
    }
}
