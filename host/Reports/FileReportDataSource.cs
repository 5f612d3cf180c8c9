using System.Collections.Immutable;
using SlaPolicy.Engine.Availability;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Diagnostics;
using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Host.Reports;

/// <summary>
/// The report's data from a policy directory and four JSON Lines files: policies are loaded and compiled, the
/// cases are evaluated as of the request's time (without explanations: the report shows counts, not traces),
/// subscriptions are matched to policies with the <see cref="ScopeResolver"/>, and every rejected record becomes a
/// warning with its file, line, field and reason.
/// </summary>
/// <remarks>
/// Relative paths are resolved against the current directory. A member of <see cref="ReportRequest"/> left null
/// takes the default below, so that <c>slapolicy report --period 2026-11</c> from the repository root reports on
/// the samples. Files are read in one pass each; decisions are kept in memory for the month's figures.
/// </remarks>
public sealed class FileReportDataSource : IReportDataSource
{
    /// <summary>Default policy directory.</summary>
    public const string DefaultPolicies = "policies";

    /// <summary>Default cases file.</summary>
    public const string DefaultCases = "samples/cases.jsonl";

    /// <summary>Default outages file.</summary>
    public const string DefaultOutages = "samples/outages.jsonl";

    /// <summary>Default subscriptions file.</summary>
    public const string DefaultSubscriptions = "samples/subscriptions.jsonl";

    /// <summary>Default measurements file.</summary>
    public const string DefaultMeasurements = "samples/measurements.jsonl";

    /// <summary>Rejections listed one by one per file; beyond this a single line gives the count of the rest.</summary>
    public const int RejectionsListedPerFile = 20;

    /// <inheritdoc />
    public ReportData Load(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policyDir = request.PoliciesDirectory ?? DefaultPolicies;
        if (!Directory.Exists(policyDir))
        {
            throw new ReportDataException($"policy directory `{policyDir}` does not exist");
        }

        var casesFile = Existing(request.CasesFile ?? DefaultCases, "cases");
        var outagesFile = Existing(request.OutagesFile ?? DefaultOutages, "outages");
        var subscriptionsFile = Existing(request.SubscriptionsFile ?? DefaultSubscriptions, "subscriptions");
        var measurementsFile = Existing(request.MeasurementsFile ?? DefaultMeasurements, "measurements");

        var compilation = PolicyPipeline.LoadAndCompile(policyDir);
        if (compilation.HasErrors)
        {
            var errors = compilation.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).Select(d => d.ToString());
            throw new ReportDataException($"policies in `{policyDir}` have errors (run `slapolicy check`): {string.Join("; ", errors)}");
        }

        var warnings = new List<string>();
        var evaluator = compilation.CreateEvaluator();
        var cases = Read(CaseReader.ReadFile(casesFile), casesFile, warnings);
        var decisions = new List<Decision>();
        foreach (var ticket in cases)
        {
            decisions.AddRange(evaluator.Evaluate(ticket, request.AsOf, explain: false));
        }

        var inputs = ReportInputs.Create(
            compilation.Set,
            Read(SubscriptionReader.ReadFile(subscriptionsFile), subscriptionsFile, warnings),
            Read(OutageReader.ReadFile(outagesFile), outagesFile, warnings),
            Read(MeasurementReader.ReadFile(measurementsFile), measurementsFile, warnings),
            decisions,
            cases);
        if (request.CreditHistoryFile is { } historyFile)
        {
            inputs = inputs with { CreditHistory = ReadCreditHistory(Existing(historyFile, "credit history"), warnings) };
        }

        return new ReportData(inputs, [.. warnings]);
    }

    /// <summary>
    /// The <c>customerCredit</c> lines of a JSON Lines file written by <c>report --json</c> (other kinds are skipped), as
    /// earlier credits: <c>customer</c>, <c>policy</c>, <c>period</c> (<c>YYYY-MM</c>), <c>currency</c> and
    /// <c>creditAmount</c> (the payable total). A line that is not JSON, or misses one of them, is a warning
    /// (<c>file:line: rejected ...</c>) and is left out.
    /// </summary>
    internal static List<EarlierCredit> ReadCreditHistory(string path, List<string> warnings)
    {
        var credits = new List<EarlierCredit>();
        var number = 0;
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                string? problem;
                try
                {
                    using var json = System.Text.Json.JsonDocument.Parse(line);
                    var root = json.RootElement;
                    if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
                    {
                        problem = "a line is a JSON object";
                    }
                    else if (!root.TryGetProperty("kind", out var kind) || kind.ValueKind != System.Text.Json.JsonValueKind.String)
                    {
                        problem = "field `kind`: missing";
                    }
                    else if (kind.GetString() != "customerCredit")
                    {
                        continue;
                    }
                    else
                    {
                        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
                        problem = Text("customer") is null ? "field `customer`: missing"
                            : Text("policy") is null ? "field `policy`: missing"
                            : !ReportingMonth.TryParse(Text("period"), out _) ? "field `period`: a month is written YYYY-MM"
                            : !(root.TryGetProperty("creditAmount", out var amount) && amount.ValueKind == System.Text.Json.JsonValueKind.Number && amount.TryGetDecimal(out _)) ? "field `creditAmount`: a number is expected"
                            : null;
                        if (problem is null)
                        {
                            credits.Add(new EarlierCredit(Text("customer")!, Text("policy")!, Text("period")!, Text("currency") ?? string.Empty, root.GetProperty("creditAmount").GetDecimal()));
                            continue;
                        }
                    }
                }
                catch (System.Text.Json.JsonException e)
                {
                    problem = $"malformed JSON: {e.Message}";
                }

                warnings.Add($"{path}:{number}: rejected {problem}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportDataException($"cannot read `{path}`: {e.Message}");
        }

        return credits;
    }

    /// <summary>
    /// Reads every record of one file; rejected lines become warnings (<c>file:line: rejected field `f`: reason</c>),
    /// the first <see cref="RejectionsListedPerFile"/> one by one and the rest as a count.
    /// </summary>
    internal static List<T> Read<T>(IEnumerable<InputResult<T>> results, string path, List<string> warnings)
        where T : class
    {
        var records = new List<T>();
        var rejected = 0;
        try
        {
            foreach (var result in results)
            {
                if (result.Rejected is { } r)
                {
                    if (++rejected <= RejectionsListedPerFile)
                    {
                        warnings.Add(Describe(r));
                    }

                    continue;
                }

                records.Add(result.Record!);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportDataException($"cannot read `{path}`: {e.Message}");
        }

        if (rejected > RejectionsListedPerFile)
        {
            warnings.Add($"{path}: {rejected - RejectionsListedPerFile} more rejected record(s) not listed ({rejected} in all)");
        }

        return records;
    }

    /// <summary>A rejected record as one line: <c>file:line: rejected field `f`: reason</c>.</summary>
    internal static string Describe(RejectedRecord r) =>
        $"{r.Source}:{r.LineNumber}: rejected{(r.Field is null ? string.Empty : $" field `{r.Field}`")}: {r.Reason}";

    private static string Existing(string path, string what) =>
        File.Exists(path) ? path : throw new ReportDataException($"{what} file `{path}` does not exist");
}
