using System.Collections.Immutable;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Policies.Reading;

namespace SlaPolicy.Engine.Policies;

/// <summary>
/// The outcome of loading a policy directory: the policies and calendars that could be read and resolved,
/// and every diagnostic of every file. A policy version with an error in itself or in its <c>extends</c>
/// chain is left out of <see cref="Set"/>; the rest is still usable (for example to print a matrix).
/// </summary>
public sealed record PolicyLoadResult(PolicySet Set, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when at least one diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Reads a policy directory (<c>calendars/*.json</c> and every other <c>*.json</c> below it, except
/// <c>*.schema.json</c> and the worked examples in <c>tests/</c>) into the canonical model, in named stages that collect diagnostics:
/// read files → check calendars → check versions → resolve <c>extends</c> → check calendars of clocks →
/// check scopes. See docs/POLICY-FORMAT.md.
/// </summary>
public static class PolicyLoader
{
    /// <summary>The folder of a policy directory that holds worked examples (read by <c>slapolicy test</c>), not policies.</summary>
    public const string ExamplesFolder = "tests";

    /// <summary>
    /// Loads <paramref name="directory"/>. Diagnostic paths are <paramref name="directory"/> as given joined
    /// with the file's path below it (for example <c>policies/acme-gold.json</c>). Never throws for bad
    /// content; an unreadable directory is reported as SLA1005.
    /// </summary>
    public static PolicyLoadResult Load(string directory)
    {
        var bag = new DiagnosticBag();
        if (!Directory.Exists(directory))
        {
            bag.Add(DiagnosticCatalog.UnreadableFile, new SourceLocation(directory, 0, 0), $"policy directory `{directory}` does not exist");
            return new PolicyLoadResult(new PolicySet([], ImmutableDictionary<string, CalendarDefinition>.Empty), bag.Sorted());
        }

        var calendars = ReadCalendars(directory, bag);
        var documents = ReadPolicies(directory, bag);
        CheckCalendarReferences(documents, calendars, bag);
        var usable = CheckVersions(documents, bag);
        var policies = new Layering(usable, bag).ResolveAll();
        policies = CheckClockCalendars(policies, bag);
        CheckScopes(policies, usable, bag);
        var set = new PolicySet(
            [.. policies.OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.EffectiveFrom)],
            calendars.ToImmutableDictionary(StringComparer.Ordinal));
        return new PolicyLoadResult(set, bag.Sorted());
    }

    private static Dictionary<string, CalendarDefinition> ReadCalendars(string directory, DiagnosticBag bag)
    {
        var calendars = new Dictionary<string, CalendarDefinition>(StringComparer.Ordinal);
        var folder = Path.Join(directory, "calendars");
        if (!Directory.Exists(folder))
        {
            return calendars;
        }

        foreach (var path in EnumerateJson(folder, SearchOption.TopDirectoryOnly))
        {
            var source = Open(directory, path, bag);
            if (source is null || CalendarReader.Read(source, bag, out var files) is not { } read)
            {
                continue;
            }

            if (ReadHolidayFiles(directory, path, read, files, bag) is not { } calendar)
            {
                continue;
            }

            if (calendars.TryGetValue(calendar.Id, out var first))
            {
                bag.Add(DiagnosticCatalog.DuplicateCalendarId, calendar.Location, $"calendar `{calendar.Id}` is already defined in {first.Location}");
                continue;
            }

            calendars.Add(calendar.Id, calendar);
        }

        return calendars;
    }

    /// <summary>
    /// Adds the days of the holiday files a calendar names to its holiday rules. A file is named relative to the
    /// calendar file and must lie inside the policy directory. Null when a file cannot be used (reported).
    /// </summary>
    private static CalendarDefinition? ReadHolidayFiles(
        string directory, string calendarPath, CalendarDefinition calendar, List<(string File, SourceLocation Where, bool Closures)> files, DiagnosticBag bag)
    {
        if (files.Count == 0)
        {
            return calendar;
        }

        var root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var rules = ImmutableArray.CreateBuilder<Calendars.DateRule>();
        rules.AddRange(calendar.HolidayRules.IsDefault ? [] : calendar.HolidayRules);
        var closures = ImmutableArray.CreateBuilder<Calendars.TimedClosure>();
        var ok = true;
        foreach (var (file, where, forClosures) in files)
        {
            var full = Path.GetFullPath(Path.Join(Path.GetDirectoryName(calendarPath), file));
            if (!full.StartsWith(root, StringComparison.Ordinal))
            {
                bag.Add(DiagnosticCatalog.BadHolidayFile, where, $"holiday file `{file}` lies outside the policy directory");
                ok = false;
                continue;
            }

            var display = Path.Join(directory, Path.GetRelativePath(directory, full));
            string text;
            try
            {
                text = File.ReadAllText(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                bag.Add(DiagnosticCatalog.BadHolidayFile, where, $"holiday file `{file}` cannot be read: {e.Message}");
                ok = false;
                continue;
            }

            if (HolidayFileReader.Read(display, text, bag, forClosures) is { } read)
            {
                rules.AddRange(read.Days);
                closures.AddRange(read.Closures);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? calendar with { HolidayRules = rules.ToImmutable(), Closures = closures.Count == 0 ? default : closures.ToImmutable() } : null;
    }

    private static List<PolicyDocument> ReadPolicies(string directory, DiagnosticBag bag)
    {
        var calendarsFolder = Path.GetFullPath(Path.Join(directory, "calendars")) + Path.DirectorySeparatorChar;
        var examplesFolder = Path.GetFullPath(Path.Join(directory, ExamplesFolder)) + Path.DirectorySeparatorChar;
        var documents = new List<PolicyDocument>();
        foreach (var path in EnumerateJson(directory, SearchOption.AllDirectories))
        {
            var full = Path.GetFullPath(path);
            if (full.StartsWith(calendarsFolder, StringComparison.Ordinal) || full.StartsWith(examplesFolder, StringComparison.Ordinal))
            {
                continue;
            }

            var source = Open(directory, path, bag);
            if (source is not null && PolicyReader.Read(source, bag) is { } document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    private static IEnumerable<string> EnumerateJson(string folder, SearchOption option) =>
        Directory.EnumerateFiles(folder, "*.json", option)
            .Where(f => !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    private static JsonSource? Open(string directory, string path, DiagnosticBag bag)
    {
        var display = Path.Join(directory, Path.GetRelativePath(directory, path));
        try
        {
            return new JsonSource(display, File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            bag.Add(DiagnosticCatalog.UnreadableFile, new SourceLocation(display, 0, 0), $"cannot read the file: {e.Message}");
            return null;
        }
    }

    private static void CheckCalendarReferences(List<PolicyDocument> documents, Dictionary<string, CalendarDefinition> calendars, DiagnosticBag bag)
    {
        foreach (var document in documents)
        {
            if (document.Calendar is { } id && !calendars.ContainsKey(id))
            {
                var suggestion = ObjectReader.Suggest(id, calendars.Keys);
                bag.Add(DiagnosticCatalog.UnknownCalendar, document.CalendarLocation, $"calendar `{id}` is not defined in `calendars/`", suggestion is null ? null : $"did you mean `{suggestion}`?");
            }

            foreach (var entry in document.CalendarFrom is { } from ? from.Tags.Concat(from.Customers).Concat(from.Teams.IsDefault ? [] : from.Teams) : [])
            {
                if (!calendars.ContainsKey(entry.Value))
                {
                    var suggestion = ObjectReader.Suggest(entry.Value, calendars.Keys);
                    bag.Add(DiagnosticCatalog.UnknownCalendar, entry.Location, $"`calendarFrom` names calendar `{entry.Value}` for `{entry.Key}`, which is not defined in `calendars/`", suggestion is null ? null : $"did you mean `{suggestion}`?");
                }
            }
        }
    }

    /// <summary>Duplicate versions (SLA3003) and overlapping effective ranges of one id (SLA3001).</summary>
    private static List<PolicyDocument> CheckVersions(List<PolicyDocument> documents, DiagnosticBag bag)
    {
        var usable = new List<PolicyDocument>();
        foreach (var versions in documents.Where(d => d.HasIdentity).GroupBy(d => d.Id!, StringComparer.Ordinal))
        {
            var ordered = versions.OrderBy(d => d.From!.Value).ThenBy(d => d.File, StringComparer.Ordinal).ToList();
            var kept = new List<PolicyDocument>();
            foreach (var document in ordered)
            {
                if (kept.FirstOrDefault(k => k.Version == document.Version) is { } same)
                {
                    bag.Add(DiagnosticCatalog.DuplicateVersion, document.VersionLocation, $"version `{document.Version}` of `{document.Id}` is already defined in {same.VersionLocation}");
                    continue;
                }

                if (kept.FirstOrDefault(k => k.To is null || document.From!.Value < k.To.Value) is { } overlapping)
                {
                    var until = overlapping.To is { } to ? $"until {to:yyyy-MM-dd}" : "with no end";
                    bag.Add(
                        DiagnosticCatalog.OverlappingVersions,
                        document.FromLocation,
                        $"version `{document.Version}` of `{document.Id}` takes effect {document.From:yyyy-MM-dd} while version `{overlapping.Version}` ({overlapping.File}) is in effect {until}",
                        $"end version `{overlapping.Version}` with `\"to\": \"{document.From:yyyy-MM-dd}\"`");
                    continue;
                }

                kept.Add(document);
            }

            usable.AddRange(kept);
        }

        return usable;
    }

    /// <summary>A governing policy whose business-hours target has no calendar cannot count its clock (SLA2012).</summary>
    private static List<Policy> CheckClockCalendars(List<Policy> policies, DiagnosticBag bag)
    {
        var kept = new List<Policy>();
        foreach (var policy in policies)
        {
            var businessByCase = policy.ClockFrom is { } clocks && clocks.Tags.Concat(clocks.Customers).Any(c => c.Value == "business");
            if (!policy.IsAbstract && policy.Calendar is null && policy.Targets.FirstOrDefault(t => t.Clock == ClockKind.Business || businessByCase) is { } target)
            {
                bag.Add(
                    DiagnosticCatalog.MissingCalendar,
                    policy.Location,
                    $"target `{target.Id}` of `{policy.Id}` {policy.Version} counts business hours but neither the policy nor a parent names a `calendar`");
                continue;
            }

            if (!policy.IsAbstract && policy.Calendar is null && policy.AvailabilityTerms.FirstOrDefault(t => t.BusinessHoursOnly) is { } term)
            {
                bag.Add(
                    DiagnosticCatalog.BusinessHoursWithoutCalendar,
                    term.HoursLocation,
                    $"availability {(term.Id is null ? string.Empty : $"`{term.Id}` ")}of `{policy.Id}` {policy.Version} is measured over business hours but neither the policy nor a parent names a `calendar`");
                continue;
            }

            kept.Add(policy);
        }

        return kept;
    }

    private static void CheckScopes(List<Policy> policies, List<PolicyDocument> documents, DiagnosticBag bag)
    {
        foreach (var (first, second) in ScopeConflicts.Find(policies))
        {
            var firstScope = ScopeLocation(first, documents);
            var secondScope = ScopeLocation(second, documents);
            bag.Add(
                DiagnosticCatalog.AmbiguousScope,
                secondScope,
                $"`{second.Id}` {second.Version} ({second.File}) and `{first.Id}` {first.Version} ({firstScope}) are equally specific "
                + $"({ScopeRules.DescribeDimensions(second.AppliesTo)}), in effect at the same time, and their scopes overlap");
        }
    }

    /// <summary>The <c>appliesTo</c> that gave a policy its scope: its own, or the nearest parent's.</summary>
    private static SourceLocation ScopeLocation(Policy policy, List<PolicyDocument> documents)
    {
        var document = documents.FirstOrDefault(d => d.Id == policy.Id && d.Version == policy.Version);
        var guard = 0;
        while (document is not null && document.AppliesTo is null && document.Extends is not null && guard++ < 64)
        {
            var from = document.From!.Value;
            document = documents.FirstOrDefault(d => d.Id == document.Extends && from >= d.From!.Value && (d.To is null || from < d.To.Value));
        }

        return document?.AppliesTo is not null ? document.AppliesToLocation : policy.Location;
    }
}
