using Ledgerlight.Documents.Attachments;
using Ledgerlight.Documents.Comments;
using Ledgerlight.Documents.CustomProperties;

namespace Ledgerlight.Documents;

/// <summary>What any record can carry: files and attachments (blob store, signed URLs), custom properties and comments.</summary>
public static class DocumentsModule
{
    /// <param name="blobDirectory">Folder of the local blob store.</param>
    /// <param name="publicUrl">The address clients reach the server at (null: the first listening address).</param>
    public static IServiceCollection AddDocuments(this IServiceCollection services, string blobDirectory, string? publicUrl) => services
        .AddSingleton<IBlobStore>(new LocalFolderBlobStore(blobDirectory))
        .AddSingleton(sp => new PublicBaseUrl(publicUrl, sp.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()))
        .AddSingleton<SignedUrls>()
        .AddSingleton<CustomPropertyStore>()
        .AddSingleton<UserCommentStore>()
        .AddSingleton<AttachmentStore>();

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        app.MapFileApi();
        app.MapAttachmentApi();
        app.MapCustomPropertyApi();
        app.MapUserCommentApi();
        return app;
    }
}
