namespace SlaPolicy.Host.Ingestion;

/// <summary>
/// What an input file holds, read from its name: it starts with <c>cases</c>, <c>outages</c>, <c>subscriptions</c>
/// or <c>measurements</c>, optionally after a <c>bad-</c> prefix (the samples' deliberately bad records, ingested
/// so that their rejections show in the quarantine), and ends in <c>.jsonl</c>, or <c>.csv</c> for cases.
/// Case-insensitive. Used by the inbox and by <c>slapolicy run --ingest DIR</c>.
/// </summary>
public static class InputFileNames
{
    /// <summary>The kind and format of <paramref name="fileName"/> (a name, not a path), or null when it is not an input file.</summary>
    public static (RecordKind Kind, RecordFormat Format)? Classify(string fileName)
    {
        RecordFormat format;
        if (fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            format = RecordFormat.JsonLines;
        }
        else if (fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            format = RecordFormat.Csv;
        }
        else
        {
            return null;
        }

        var name = fileName.StartsWith("bad-", StringComparison.OrdinalIgnoreCase) ? fileName[4..] : fileName;
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            if (name.StartsWith(kind.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return format == RecordFormat.Csv && kind != RecordKind.Cases ? null : (kind, format);
            }
        }

        return null;
    }

    /// <summary>The input files directly in <paramref name="directory"/>, in name order (ordinal).</summary>
    public static IReadOnlyList<(string Path, RecordKind Kind, RecordFormat Format)> InFolder(string directory) =>
        [.. Directory.EnumerateFiles(directory)
            .Order(StringComparer.Ordinal)
            .Select(path => (path, kind: Classify(Path.GetFileName(path))))
            .Where(x => x.kind is not null)
            .Select(x => (x.path, x.kind!.Value.Kind, x.kind.Value.Format))];
}
