using System.Reflection;
using PdfSharp.Fonts;

namespace Ledgerlight.Documents.Pdf;

/// <summary>
/// The one font every PDF uses: DejaVu Sans (regular and bold, from Debian's fonts-dejavu-core, licence in
/// Fonts/LICENSE-DejaVu.txt), compiled into the assembly. Shipping the font keeps a rendered document the same on
/// every machine and covers Latin, Latin-Extended, Greek and Cyrillic; nothing is read from the system's font folders.
/// Italic requests get the upright face (PDFsharp simulates the slant).
/// </summary>
public sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    const string Regular = "DejaVuSans", Bold = "DejaVuSans-Bold";
    static readonly Lazy<bool> Registered = new(() =>
    {
        GlobalFontSettings.FontResolver = new EmbeddedFonts();
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);
    static readonly Dictionary<string, byte[]> Cache = new();

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global and set-once).</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(faceName, out var bytes)) return bytes;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"fonts/{faceName}.ttf")
                               ?? throw new InvalidOperationException($"font {faceName} is not embedded");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Cache[faceName] = copy.ToArray();
        }
    }
}
