using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Engine.Policies.Reading;

namespace SlaPolicy.Engine.Examples;

/// <summary>
/// Reads the worked examples of a policy directory (<c>tests/*.json</c> below it, see docs/EXAMPLES.md), reporting
/// every problem with file, line and column as the policy reader does: unknown properties with the closest known
/// name, records that the input readers reject with their reason, expectations that name no case of their example.
/// </summary>
public static class ContractExampleReader
{
    internal static readonly string[] RootProperties = ["$schema", "description", "examples"];
    internal static readonly string[] ExampleProperties = ["name", "description", "asOf", "cases", "outages", "subscriptions", "measurements", "expect"];

    /// <summary>Fields of a decision expectation besides <c>case</c> and <c>target</c>, in the order they are checked.</summary>
    public static readonly ImmutableArray<string> DecisionFields = ["policy", "status", "dueAt", "elapsedMinutes", "pausedMinutes", "percentUsed", "escalationLevel", "rules"];

    /// <summary>Fields of a credit expectation that are checked (the others name the figure).</summary>
    public static readonly ImmutableArray<string> CreditFields = ["met", "measured", "percent", "amount", "currency"];

    /// <summary>The kinds of credit figure an expectation may name.</summary>
    public static readonly ImmutableArray<string> CreditKinds = ["availability", "performance", "attainment", "total"];

    /// <summary>The statuses a decision may have, as written in decisions.</summary>
    public static readonly ImmutableArray<string> Statuses = ["met", "breached", "running", "paused", "no-policy", "error", "pending", "cancelled"];

    private static readonly string[] CreditNaming = ["credit", "customer", "service", "region", "objective", "severity", "period"];

    private static readonly string[] ExpectationProperties =
        [.. new[] { "case", "target" }, .. DecisionFields, .. CreditNaming, .. CreditFields, "description"];

    /// <summary>The example files of <paramref name="policyDirectory"/> (<c>tests/**/*.json</c>), in byte order; empty when there is no such folder.</summary>
    public static IReadOnlyList<string> FilesOf(string policyDirectory)
    {
        var folder = Path.Join(policyDirectory, PolicyLoader.ExamplesFolder);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
                .Select(f => Path.Join(policyDirectory, Path.GetRelativePath(policyDirectory, f)))
                .Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Reads one example file; <paramref name="path"/> is also the name its diagnostics show.</summary>
    public static ContractExampleFile ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ContractExampleFile(path, [], [new Diagnostic(DiagnosticCatalog.UnreadableFile, new SourceLocation(path, 0, 0), $"cannot read the file: {e.Message}")]);
        }

        return Read(path, text);
    }

    /// <summary>Reads the text of an example file named <paramref name="file"/>.</summary>
    public static ContractExampleFile Read(string file, string text)
    {
        var source = new JsonSource(file, text);
        var bag = new DiagnosticBag();
        if (source.TryParse(bag) is not { } root)
        {
            return new ContractExampleFile(file, [], bag.Sorted());
        }

        var examples = ImmutableArray.CreateBuilder<ContractExample>();
        if (ObjectReader.Open(root, source, bag, string.Empty, RootProperties) is { } reader)
        {
            reader.String("description");
            if (!reader.Has("examples"))
            {
                reader.Missing("examples");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in reader.Objects("examples", "examples[]", ExampleProperties))
            {
                var before = bag.Items.Count(d => d.Severity == DiagnosticSeverity.Error);
                var example = ReadExample(item, bag);
                if (example is not null && !names.Add(example.Name))
                {
                    bag.Add(DiagnosticCatalog.BadExample, item.LocationOf("name"), $"two examples are named `{example.Name}` in this file");
                }

                if (example is not null && bag.Items.Count(d => d.Severity == DiagnosticSeverity.Error) == before)
                {
                    examples.Add(example);
                }
            }
        }

        return new ContractExampleFile(file, examples.ToImmutable(), bag.Sorted());
    }

    private static ContractExample? ReadExample(ObjectReader example, DiagnosticBag bag)
    {
        var name = example.String("name", required: true);
        example.String("description");
        var asOf = Instant(example, "asOf", required: true);
        var rejectedCases = new HashSet<string>(StringComparer.Ordinal);
        var cases = Records(example, "cases", bag, (stream, source) => CaseReader.Read(stream, source), rejectedCases);
        var outages = Records(example, "outages", bag, (stream, source) => OutageReader.Read(stream, source));
        var subscriptions = Records(example, "subscriptions", bag, (stream, source) => SubscriptionReader.Read(stream, source));
        var measurements = Records(example, "measurements", bag, (stream, source) => MeasurementReader.Read(stream, source));
        if (!example.Has("expect"))
        {
            example.Missing("expect");
        }

        var caseLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var (record, location) in cases)
        {
            if (!caseLocations.TryAdd(record.Id, location))
            {
                bag.Add(DiagnosticCatalog.BadExampleRecord, location, $"case `{record.Id}` is written twice in this example (first at {caseLocations[record.Id]})");
            }
        }

        var decisions = ImmutableArray.CreateBuilder<DecisionExpectation>();
        var credits = ImmutableArray.CreateBuilder<CreditExpectation>();
        foreach (var expect in example.Objects("expect", "expect[]", ExpectationProperties))
        {
            expect.String("description");
            if (expect.Has("case") == expect.Has("credit"))
            {
                bag.Add(DiagnosticCatalog.BadExample, expect.Location, "an expectation names either a `case` (with its `target`) or a `credit`");
                continue;
            }

            if (expect.Has("case"))
            {
                if (expect.Get("case") is JValue { Type: JTokenType.String } id && rejectedCases.Contains((string)id!))
                {
                    continue;
                }

                if (ReadDecisionExpectation(expect, caseLocations, bag) is { } decision)
                {
                    decisions.Add(decision);
                }
            }
            else if (asOf is { } at && ReadCreditExpectation(expect, at, bag) is { } credit)
            {
                credits.Add(credit);
            }
        }

        if (name is null || asOf is null)
        {
            return null;
        }

        if (example.Get("expect") is JArray { Count: 0 })
        {
            bag.Add(DiagnosticCatalog.BadExample, example.LocationOf("expect"), $"example `{name}` expects nothing: write at least one expectation");
        }

        return new ContractExample(
            name,
            example.Location,
            asOf.Value,
            [.. cases.Select(c => c.Record)],
            [.. outages.Select(o => o.Record)],
            [.. subscriptions.Select(s => s.Record)],
            [.. measurements.Select(m => m.Record)],
            decisions.ToImmutable(),
            credits.ToImmutable())
        {
            CaseLocations = caseLocations.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    private static DecisionExpectation? ReadDecisionExpectation(ObjectReader expect, Dictionary<string, SourceLocation> cases, DiagnosticBag bag)
    {
        var caseId = expect.String("case", required: true);
        var target = expect.String("target", required: true);
        foreach (var credit in CreditNaming.Concat(CreditFields).Where(expect.Has))
        {
            bag.Add(DiagnosticCatalog.BadExample, expect.LocationOf(credit), $"`{credit}` belongs to a credit expectation, not to one of case `{caseId}`");
        }

        if (caseId is not null && !cases.ContainsKey(caseId))
        {
            var suggestion = Suggestions.Closest(caseId, cases.Keys, 2);
            bag.Add(
                DiagnosticCatalog.UnknownExampleName,
                expect.LocationOf("case"),
                $"case `{caseId}` is not one of this example's cases ({(cases.Count == 0 ? "it has none" : string.Join(", ", cases.Keys))})",
                suggestion is null ? null : $"did you mean `{suggestion}`?");
            return null;
        }

        var fields = ReadFields(expect, DecisionFields, bag);

        if (caseId is null || target is null)
        {
            return null;
        }

        if (fields.IsEmpty)
        {
            bag.Add(DiagnosticCatalog.BadExample, expect.Location, $"the expectation of `{caseId}` `{target}` checks nothing: write one of {string.Join(", ", DecisionFields.Select(f => $"`{f}`"))}");
            return null;
        }

        return new DecisionExpectation(caseId, target, fields, expect.Location);
    }

    private static CreditExpectation? ReadCreditExpectation(ObjectReader expect, DateTimeOffset asOf, DiagnosticBag bag)
    {
        var kind = expect.String("credit", required: true);
        var customer = expect.String("customer", required: true);
        var service = expect.String("service");
        var region = expect.String("region");
        var objective = expect.String("objective");
        var severities = expect.Severities("severity");
        var period = expect.String("period") ?? asOf.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (expect.Has("period") && !DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            bag.Add(DiagnosticCatalog.BadDate, expect.LocationOf("period"), $"`{period}` is not a month of the form `YYYY-MM`");
            return null;
        }

        if (kind is not null && !CreditKinds.Contains(kind))
        {
            var suggestion = Suggestions.Closest(kind, CreditKinds, 3);
            bag.Add(DiagnosticCatalog.BadValue, expect.LocationOf("credit"), $"`{kind}` is not a kind of credit figure: write one of {string.Join(", ", CreditKinds.Select(k => $"`{k}`"))}", suggestion is null ? null : $"did you mean `{suggestion}`?");
            return null;
        }

        foreach (var field in DecisionFields.Append("target").Where(expect.Has))
        {
            bag.Add(DiagnosticCatalog.BadExample, expect.LocationOf(field), $"`{field}` belongs to a case's expectation, not to a credit");
        }

        if (kind == "performance" && objective is null)
        {
            expect.Missing("objective");
        }

        if (kind == "attainment")
        {
            if (objective is not null)
            {
                bag.Add(DiagnosticCatalog.BadExample, expect.LocationOf("objective"), "an attainment figure is named by its `severity`, e.g. `[1]`");
            }

            objective = severities is { IsDefaultOrEmpty: false } list ? "sev " + string.Join(",", list.Order()) : "all severities";
        }

        var fields = ReadFields(expect, CreditFields, bag);

        if (kind is null || customer is null)
        {
            return null;
        }

        if (fields.IsEmpty)
        {
            bag.Add(DiagnosticCatalog.BadExample, expect.Location, $"the {kind} expectation of `{customer}` checks nothing: write one of {string.Join(", ", CreditFields.Select(f => $"`{f}`"))}");
            return null;
        }

        return new CreditExpectation(kind, customer, service, region, objective, period, fields, expect.Location);
    }

    /// <summary>The fields of <paramref name="names"/> that the expectation writes, each read by <see cref="ReadField"/>.</summary>
    private static ImmutableArray<ExpectedField> ReadFields(ObjectReader expect, IEnumerable<string> names, DiagnosticBag bag) =>
        [.. names.Where(expect.Has).Select(field => ReadField(expect, field, bag)).OfType<ExpectedField>()];

    /// <summary>One checked field: validated for its kind, kept as written.</summary>
    private static ExpectedField? ReadField(ObjectReader expect, string field, DiagnosticBag bag)
    {
        var token = expect.Get(field)!;
        var location = expect.LocationOf(field);
        switch (field)
        {
            case "status":
                var status = expect.String(field);
                if (status is not null && !Statuses.Contains(status))
                {
                    var suggestion = Suggestions.Closest(status, Statuses, 3);
                    bag.Add(DiagnosticCatalog.BadValue, location, $"`{status}` is not a status: write one of {string.Join(", ", Statuses.Select(s => $"`{s}`"))}", suggestion is null ? null : $"did you mean `{suggestion}`?");
                    return null;
                }

                return status is null ? null : new ExpectedField(field, status, null, location);
            case "dueAt":
                if (token.Type == JTokenType.Null)
                {
                    return new ExpectedField(field, null, null, location);
                }

                return Instant(expect, field, required: false) is { } due ? new ExpectedField(field, Timestamps.Format(due), null, location) : null;
            case "rules":
                return expect.Strings(field) is { } rules ? new ExpectedField(field, string.Join(", ", rules.Order(StringComparer.Ordinal)), null, location) : null;
            case "met":
                return expect.Bool(field) is { } met ? new ExpectedField(field, met ? "true" : "false", null, location) : null;
            case "policy" or "currency":
                return expect.String(field) is { } text ? new ExpectedField(field, text, null, location) : null;
            case "escalationLevel":
                return expect.Integer(field) is { } level ? new ExpectedField(field, level.ToString(CultureInfo.InvariantCulture), level, location) : null;
            default:
                return expect.Number(field) is { } number ? new ExpectedField(field, number.ToString(CultureInfo.InvariantCulture), number, location) : null;
        }
    }

    private static DateTimeOffset? Instant(ObjectReader reader, string name, bool required)
    {
        var text = reader.String(name, required);
        if (text is null)
        {
            return null;
        }

        if (Timestamps.TryParse(Encoding.UTF8.GetBytes(text), name, out var value, out var reason))
        {
            return value;
        }

        reader.Bag.Add(DiagnosticCatalog.BadDate, reader.LocationOf(name), $"`{text}` is not an instant: {reason}");
        return null;
    }

    /// <summary>
    /// The records of one array, read by the input format's own reader (one compact JSON line per record), so an
    /// example accepts exactly what ingestion accepts; a rejected record is reported at its position in the file.
    /// </summary>
    private static List<(T Record, SourceLocation Location)> Records<T>(
        ObjectReader example, string name, DiagnosticBag bag, Func<Stream, string, IEnumerable<InputResult<T>>> read, HashSet<string>? rejectedIds = null)
        where T : class
    {
        var records = new List<(T, SourceLocation)>();
        if (example.Array(name) is not { } items)
        {
            return records;
        }

        foreach (var item in items)
        {
            var location = example.Source.Start(item);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(item.ToString(Formatting.None) + "\n"));
            foreach (var result in read(stream, example.Source.File))
            {
                if (result.Rejected is { } rejected)
                {
                    var field = rejected.Field is null ? string.Empty : $" field `{rejected.Field}`";
                    bag.Add(DiagnosticCatalog.BadExampleRecord, location, $"this record of `{name}` is rejected{field}: {rejected.Reason}");
                    if (item is JObject { } record && record.Value<JToken>("id") is JValue { Type: JTokenType.String } id)
                    {
                        rejectedIds?.Add((string)id!);
                    }
                }
                else if (result.Record is { } record)
                {
                    records.Add((record, location));
                }
            }
        }

        return records;
    }
}
