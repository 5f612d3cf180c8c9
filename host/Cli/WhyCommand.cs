using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy why CASE-ID</c>: the case, each decision of its latest evaluation (status, due, elapsed,
/// policy@version file:line, rule, explanation steps) and its escalation history, from the store. Exit 1 when the
/// case is unknown, the store does not exist (it is never created here) or the store configuration is bad (one line
/// naming the setting).
/// </summary>
public sealed class WhyCommand : ICliCommand
{
    public Command Create()
    {
        var caseArgument = new Argument<string>("case-id") { Description = "the id of the case, e.g. C-1001" };
        var storeOption = new Option<string?>("--store") { Description = "SQLite file to use instead of `Store:Path`" };
        var command = new Command("why", "explain a case's decisions from the store");
        command.Arguments.Add(caseArgument);
        command.Options.Add(storeOption);
        command.SetAction(parse =>
        {
            return Invoke(RunCommand.StoreOverride(parse.GetValue(storeOption)), parse.GetValue(caseArgument)!, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>Explains case <paramref name="id"/> from the configured store; exit 1 when it is unknown or the store configuration is bad.</summary>
    internal static int Invoke(IEnumerable<KeyValuePair<string, string?>>? overrides, string id, TextWriter error)
    {
        using var services = CoreServices.BuildCommandServices(overrides);
        if (StoreSetup.TryOpenExisting(services, error) is not { } store)
        {
            return 1;
        }

        if (store.GetCaseTrace(id) is not { } trace)
        {
            error.WriteLine($"error: case `{id}` is not in the store ({(store as SqliteStore)?.Path})");
            return 1;
        }

        // Decisions stored without an explanation (Run:Explain) get one built now; the policies are compiled only then.
        if (trace.Decisions.Any(d => d.Decision.Explanation.IsDefaultOrEmpty))
        {
            trace = OnRequestExplanations.Fill(trace, services.GetRequiredService<IEvaluatorProvider>().Current);
        }

        PipedWidth.Apply(AnsiConsole.Console, Console.IsOutputRedirected)
            .Write(Render(CaseZones.InCaseZone(trace, services.GetRequiredService<IEvaluatorProvider>().Current)));
        return 0;
    }

    /// <summary>
    /// The trace as Spectre renderables (also used to render to a string in tests); every instant in the case's zone
    /// (<see cref="CaseZones"/>), steps in the order the explanation tells them.
    /// </summary>
    internal static IRenderable Render((CaseTrace Trace, Engine.Calendars.CaseZone Zone) told)
    {
        var (trace, zone) = told;
        string Time(DateTimeOffset? at) => InstantText.Format(at, zone);
        var c = trace.Case;
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]case {Esc(c.Id)}[/]  {Esc(c.Customer)} / {Esc(c.Tier)} / {Esc(c.Region)} / {Esc(c.Service)}, severity {c.Severity}; times in {Esc(zone.Id)}"),
            new Markup($"opened {Time(c.OpenedAt)}, first response {Time(c.FirstResponseAt)}, resolved {Time(c.ResolvedAt)}"
                + (c.Tags.IsDefaultOrEmpty ? string.Empty : $", tags {Esc(string.Join(", ", c.Tags))}")),
        };
        foreach (var e in c.Events)
        {
            rows.Add(new Markup($"  {Time(e.At)}  {Esc(e.Status)}{Esc(EventDetails(e))}" + (e.Team is null ? string.Empty : $", assigned to team {Esc(e.Team)}")));
        }

        if (trace.Decisions.Count == 0)
        {
            rows.Add(new Markup("[yellow]no decisions yet: run `slapolicy run`[/]"));
        }

        foreach (var stored in trace.Decisions)
        {
            var d = stored.Decision;
            var color = d.Status switch
            {
                DecisionStatus.Met => "green",
                DecisionStatus.Breached or DecisionStatus.Error => "red",
                DecisionStatus.NoPolicy => "yellow",
                _ => d.PercentUsed >= SqliteStore.AtRiskPercent ? "darkorange" : "blue",
            };
            var tree = new Tree(new Markup($"[bold]{Esc(d.Target ?? "(no target)")}[/]: [{color}]{StoreText.Status(d.Status)}[/] as of {Time(d.AsOf)}"));
            tree.AddNode(new Markup(string.Create(CultureInfo.InvariantCulture,
                $"due {Time(d.DueAt)}; elapsed {d.ElapsedMinutes:0.#} min, paused {d.PausedMinutes:0.#} min, {d.PercentUsed:0.#}% used, escalation level {d.EscalationLevel}")));
            tree.AddNode(new Markup($"policy {Esc(d.Policy ?? "none")}@{Esc(d.PolicyVersion ?? "-")}"
                + (d.PolicyFile is null ? string.Empty : $"  {Esc(d.PolicyFile)}:{d.PolicyLine}")
                + (d.RuleName is null ? string.Empty : $"  rule {Esc(d.RuleName)}")));
            var steps = tree.AddNode(new Markup("explanation"));
            foreach (var step in d.Explanation)
            {
                var where = step.Location is { IsKnown: true } location ? $"  [grey]{Esc(location.ToString())}[/]" : string.Empty;
                // The sentence says what kind of step it is; the kind itself is in the JSON of the API.
                steps.AddNode(new Markup($"{Esc(step.Text)}{where}"));
            }

            rows.Add(tree);
        }

        rows.Add(new Markup("[bold]escalation history[/]"));
        if (trace.Escalations.Count == 0)
        {
            rows.Add(new Markup("  none"));
        }

        foreach (var e in trace.Escalations)
        {
            rows.Add(new Markup($"  level {e.Level} first reached at {Time(e.FirstReachedAt)} (recorded by run {e.RunId})"));
        }

        return new Rows(rows);
    }

    private static string Esc(string text) => Markup.Escape(text);

    /// <summary>What an event says besides its status: " (reply, public, severity 1, by agent)"; empty for an event of the older shape.</summary>
    private static string EventDetails(StatusEvent e)
    {
        var parts = new List<string>(4);
        if (e.Type is { } type)
        {
            parts.Add(type);
        }

        if (e.Public is { } isPublic)
        {
            parts.Add(isPublic ? "public" : "not public");
        }

        if (e.Severity is { } severity)
        {
            parts.Add($"severity {severity.ToString(CultureInfo.InvariantCulture)}");
        }

        if (e.Author is { } author)
        {
            parts.Add($"by {author}");
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})";
    }
}
