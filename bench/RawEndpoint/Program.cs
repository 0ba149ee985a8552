// The ceiling issue 12 measures against: a raw ASP.NET Core endpoint returning a small JSON object
// (minimal API, source-generated JSON, no middleware). Usage: RawEndpoint <url>
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args.Length > 0 ? args[0] : "http://127.0.0.1:18090");
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RawJson.Default));
var app = builder.Build();
var created = DateTime.UtcNow;
app.MapGet("/", () => new Health("UP", "raw", created));
app.Run();

record Health(string Status, string Name, DateTime StartedAt);

[JsonSerializable(typeof(Health))]
partial class RawJson : JsonSerializerContext;
