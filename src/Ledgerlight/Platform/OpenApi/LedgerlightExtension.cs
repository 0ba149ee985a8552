namespace Ledgerlight.Platform.OpenApi;

/// <summary>
/// Marks a route that is not in Light's API. The published OpenAPI document lists it under the tag
/// "Ledgerlight extensions" with x-ledgerlight-extension: true, so clients can tell the two apart.
/// </summary>
/// <param name="ResponseSchema">A schema name from Light's components, or null for a described object.</param>
public sealed record LedgerlightExtension(string Summary, string Description, string? ResponseSchema = null);
