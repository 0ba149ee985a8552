namespace Ledgerlight.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The checkout's root: the folder holding Ledgerlight.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Light's OpenAPI document from the shared contract folder beside the checkout.</summary>
    public static string LightSpec => Path.Combine(Root, "..", "shared", "light-api", "openapi.json") is var shared && File.Exists(shared)
        ? shared
        : Path.Combine(Root, "src", "Ledgerlight", "Platform", "OpenApi", "light-openapi.json");

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledgerlight.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ledgerlight.slnx not found above the test binaries");
    }
}
