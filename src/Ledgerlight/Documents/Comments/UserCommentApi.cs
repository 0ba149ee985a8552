namespace Ledgerlight.Documents.Comments;

/// <summary>
/// Comments on a record (resourceId: a vendor, bill...). Anyone who may write comments may add one;
/// only its author (the user, or the API key when no user is behind it) may change or delete it.
/// </summary>
public static class UserCommentApi
{
    static readonly QueryField CreatedAt = ListFields.CreatedAt("uc");

    public static readonly ListSpec<UserCommentRow> Spec = ListFields.Spec<UserCommentRow>("user_comments", "uc", UserCommentRow.Columns, c => c.Id,
        sortable: [(CreatedAt, c => c.CreatedAt)],
        filterable: [new("createdBy", "uc.created_by", FieldType.Uuid), CreatedAt],
        defaultSort: ("createdAt", SortDirection.Asc));

    public static void MapUserCommentApi(this IEndpointRouteBuilder app)
    {
        var comments = app.MapGroup("/v1/user-comments");
        comments.MapList("", async call =>
            {
                var raw = call.Http.Request.Query["resourceId"].ToString();
                Guid? resourceId = raw.Length == 0 ? null : Ids.Parse(raw, "resourceId");
                var page = await call.PageAsync(Spec, where => { if (resourceId is { } r) where.Add($"uc.resource_id = {where.Param(r)}"); });
                return ApiResults.Ok(page.Map(c => c.ToModel()));
            })
            .WithName("listUserComments")
            .RequirePermission(Permissions.Read("comments"));

        comments.MapPost("", async (HttpContext ctx, UserCommentStore store) =>
            {
                var r = await RequestBody.ReadValidAsync<CreateUserCommentRequest>(ctx, (x, v) => x.Validate(v));
                return ApiResults.Ok((await store.CreateAsync(ctx.Principal(), r)).ToModel());
            })
            .WithName("createUserComment")
            .RequirePermission(Permissions.Write("comments"));

        var comment = comments.MapGroup("/{userCommentId}");
        comment.MapPatch("", async (string userCommentId, HttpContext ctx, UserCommentStore store) =>
            {
                var id = Ids.Parse(userCommentId, "userCommentId");
                var r = await RequestBody.ReadValidAsync<UpdateUserCommentRequest>(ctx, (x, v) => x.Validate(v));
                return ApiResults.Ok((await store.UpdateAsync(ctx.Principal(), id, r) ?? throw NotFound()).ToModel());
            })
            .WithName("updateUserComment")
            .RequirePermission(Permissions.Write("comments"));

        comment.MapDelete("", async (string userCommentId, HttpContext ctx, UserCommentStore store) =>
                ApiResults.Ok((await store.DeleteAsync(ctx.Principal(), Ids.Parse(userCommentId, "userCommentId")) ?? throw NotFound()).ToModel()))
            .WithName("deleteUserComment")
            .RequirePermission(Permissions.Write("comments"));
    }

    static ApiException NotFound() => ApiException.NotFound("User comment");
}
