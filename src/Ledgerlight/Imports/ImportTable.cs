using CsvHelper;

namespace Ledgerlight.Imports;

/// <summary>One data row of a file: the line it starts on (1-based, as an editor shows it) and its fields.</summary>
public sealed record ImportRow(int Line, IReadOnlyList<string> Fields);

/// <summary>One problem found in a file, named by row (file line) and column header.</summary>
public sealed record ImportProblem(string File, int Line, string? Column, string Message)
{
    public override string ToString() =>
        Column is null ? $"{File} row {Line}: {Message}" : $"{File} row {Line}, column \"{Column}\": {Message}";
}

/// <summary>A generic import's mapping file: which source column each field is read from, and the date format.</summary>
public sealed record ImportMapping(Dictionary<string, string>? Columns, string? DateFormat)
{
    public static ImportMapping Parse(string json, ImportKind kind)
    {
        ImportMapping? mapping;
        try { mapping = JsonSerializer.Deserialize<ImportMapping>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true }); }
        catch (JsonException e) { throw new ArgumentException($"mapping file is not valid JSON: {e.Message}"); }
        if (mapping?.Columns is null) throw new ArgumentException("mapping file needs a \"columns\" object: {\"columns\": {\"field\": \"Source column\"}}");
        var known = ImportFormats.Fields(kind).Select(f => f.Name).ToHashSet();
        foreach (var field in mapping.Columns.Keys.Where(k => !known.Contains(k)))
            throw new ArgumentException($"mapping file: '{field}' is not a field of {ImportFormats.NameOf(kind)} (fields: {string.Join(", ", known)})");
        return mapping;
    }
}

/// <summary>
/// A CSV file read with CsvHelper (RFC 4180: quoted fields, embedded commas and line breaks). Report exports put title
/// lines above the table (QuickBooks' "Trial Balance / company / As of ..."), so the header is the first row that has
/// every required column; rows above it are skipped, blank rows anywhere are ignored.
/// </summary>
public sealed class ImportTable
{
    /// <summary>Bounds on one file (a limit on everything): years of a small company's data are far smaller.</summary>
    public const int MaxRows = 100_000;
    public const long MaxBytes = 50L * 1024 * 1024;

    public required string Source { get; init; }
    public required int HeaderLine { get; init; }
    public required IReadOnlyList<string> Headers { get; init; }
    public required IReadOnlyList<ImportRow> Rows { get; init; }
    /// <summary>Field name → column index and the header as written, for every mapped field present in the file.</summary>
    public required IReadOnlyDictionary<string, (int Index, string Header)> Columns { get; init; }

    /// <summary>Header cells compare without case, surrounding spaces or Xero's leading '*' (its "required" marker).</summary>
    public static string NormalizeHeader(string header) => header.Trim().TrimStart('*').Trim().ToLowerInvariant();

    /// <summary>Reads the file and finds its header; a file that has none is one problem at line 1 (nothing else is read).</summary>
    public static ImportTable Read(string text, string source, ImportKind kind, IReadOnlyDictionary<string, string[]> columns,
        List<ImportProblem> problems)
    {
        var records = ReadRecords(text, source);
        var required = ImportFormats.Fields(kind).Where(f => f.Required).Select(f => f.Name).ToList();
        for (var r = 0; r < records.Count; r++)
        {
            if (records[r].Fields.All(f => f.Length == 0)) continue;
            var map = Map(records[r].Fields, columns);
            // Two mapped columns at least: a title line with one cell is never mistaken for a one-column header.
            if (!required.All(map.ContainsKey) || map.Count < 2) continue;
            var rows = records.Skip(r + 1).Where(x => x.Fields.Any(f => f.Length > 0) && !IsTotal(x)).ToList();
            return new ImportTable { Source = source, HeaderLine = records[r].Line, Headers = records[r].Fields, Rows = rows, Columns = map };
        }
        var expected = required.Select(f => string.Join(" or ", columns.TryGetValue(f, out var c) ? c.Select(x => $"\"{x}\"") : [$"\"{f}\""]));
        problems.Add(new ImportProblem(source, 1, null, $"no header row with the columns {string.Join(", ", expected)}"));
        return new ImportTable { Source = source, HeaderLine = 0, Headers = [], Rows = [], Columns = new Dictionary<string, (int, string)>() };
    }

    static Dictionary<string, (int Index, string Header)> Map(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string[]> columns)
    {
        var normalized = headers.Select(NormalizeHeader).ToList();
        var map = new Dictionary<string, (int, string)>();
        foreach (var (field, candidates) in columns)
            foreach (var candidate in candidates)
            {
                var i = normalized.IndexOf(NormalizeHeader(candidate));
                if (i < 0) continue;
                map[field] = (i, headers[i]);
                break;
            }
        return map;
    }

    static List<ImportRow> ReadRecords(string text, string source)
    {
        if (text.Length > MaxBytes) throw new ArgumentException($"{source}: larger than {MaxBytes / 1024 / 1024} MB; split the file");
        // Excel and QuickBooks write a byte-order mark; it is not part of the first header.
        using var csv = CsvReader.FromText(text.TrimStart('\uFEFF'), new CsvReaderOptions { Separator = ',', HasHeader = false, TrackLineNumbers = true });
        var records = new List<ImportRow>();
        while (csv.Read())
        {
            if (records.Count > MaxRows) throw new ArgumentException($"{source}: more than {MaxRows} rows; split the file");
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i).Trim();
            records.Add(new ImportRow((int)csv.LineNumber, fields));
        }
        return records;
    }

    /// <summary>
    /// Report exports end with a totals row ("TOTAL" in QuickBooks, "Total" in Xero) and may have "Total for ..." rows;
    /// they are sums, not records. A name that merely starts with "Total" (Total Wine) is a record.
    /// </summary>
    public static bool IsTotal(ImportRow row)
    {
        var first = row.Fields.FirstOrDefault(f => f.Length > 0) ?? "";
        return first.Equals("total", StringComparison.OrdinalIgnoreCase) || first.StartsWith("total for ", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The row's value of a field: null when the column is absent or the cell is empty.</summary>
    public string? Get(ImportRow row, string field) =>
        Columns.TryGetValue(field, out var c) && c.Index < row.Fields.Count && row.Fields[c.Index].Length > 0 ? row.Fields[c.Index] : null;

    /// <summary>The header a field was read from (the field's name when the column is absent), for problem reports.</summary>
    public string HeaderOf(string field) => Columns.TryGetValue(field, out var c) ? (c.Header.Length > 0 ? c.Header : $"column {c.Index + 1}") : field;

    public bool Has(string field) => Columns.ContainsKey(field);
}
