using Ledgerlight.Organization.Users.Reimbursements;

namespace Ledgerlight.Organization.Users;

/// <summary>
/// Light's user-management operations. Changing users is administration ("users:write": only ADMIN keys);
/// reading them is "users:read", as for listUsers. A user id of another company is unknown (404).
/// </summary>
public static class UserAdminApi
{
    static readonly string Read = Permissions.Read("users");
    static readonly string Write = Permissions.Write("users");

    public static void MapUserAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/users", async (HttpContext ctx, UserStore store) =>
            {
                var request = await RequestBody.ReadAsync<CreateUserRequest>(ctx);
                UserRules.Check(request).ThrowIfAny();
                return ApiResults.Ok(await store.CreateAsync(ctx.Principal().CompanyId, request));
            })
            .WithName("createUser").RequirePermission(Write);

        app.MapPatch("/v1/users/{userId}", async (string userId, HttpContext ctx, UserStore store) =>
            {
                var id = Ids.Parse(userId, "userId");
                var (request, body) = await RequestBody.ReadWithRootAsync<UpdateUserRequest>(ctx);
                UserRules.Check(request, body).ThrowIfAny();
                return ApiResults.Ok(await store.PatchAsync(ctx.Principal().CompanyId, id, request, body) ?? throw ApiException.NotFound("User"));
            })
            .WithName("updateUser").RequirePermission(Write);

        app.MapPut("/v1/users/{userId}/status", async (string userId, HttpContext ctx, UserStore store) =>
            {
                var id = Ids.Parse(userId, "userId");
                var status = UserRules.CheckStatus(await RequestBody.ReadAsync<UpdateUserStatusRequest>(ctx));
                return ApiResults.Ok(await store.SetStatusAsync(ctx.Principal().CompanyId, id, status) ?? throw ApiException.NotFound("User"));
            })
            .WithName("updateUserStatus").RequirePermission(Write);

        app.MapGet("/v1/users/{userId}/reimbursement-config", async (string userId, HttpContext ctx, ReimbursementStore store) =>
                ApiResults.Ok(await store.GetConfigAsync(ctx.Principal().CompanyId, Ids.Parse(userId, "userId"))))
            .WithName("getUserReimbursementConfig").RequirePermission(Read);

        app.MapPut("/v1/users/{userId}/reimbursement-config", async (string userId, HttpContext ctx, ReimbursementStore store) =>
            {
                var id = Ids.Parse(userId, "userId");
                var request = await RequestBody.ReadAsync<UpsertReimbursementConfigRequest>(ctx);
                ReimbursementConfigRules.Check(request);
                return ApiResults.Ok(await store.UpsertConfigAsync(ctx.Principal().CompanyId, id, request));
            })
            .WithName("upsertUserReimbursementConfig").RequirePermission(Write);

        app.MapGet("/v1/users/{userId}/reimbursements/latest", async (string userId, HttpContext ctx, ReimbursementStore store) =>
                ApiResults.Ok(await store.LatestAsync(ctx.Principal().CompanyId, Ids.Parse(userId, "userId"))))
            .WithName("getLatestReimbursement").RequirePermission(Read);
    }
}
