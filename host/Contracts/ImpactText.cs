using System.Globalization;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Contracts;

/// <summary>The terminal form of an <see cref="ImpactResult"/>: the summary first (how many decisions change, how much money moves), then the details.</summary>
public static class ImpactText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the summary and the details of <paramref name="result"/>.</summary>
    public static void Write(ImpactResult result, string title, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(title);
        output.WriteLine($"{result.CasesReplayed} cases replayed: {result.DecisionsBefore} decisions under the baseline, {result.DecisionsAfter} under the new policies; "
            + (result.Changed == 1 ? "1 changes" : $"{result.Changed} change"));
        foreach (var (label, count) in result.ChangeCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {label}: {count}");
        }

        output.WriteLine(MoneyLine(result));
        var months = result.CustomerMonths.Where(c => c.Changed).ToList();
        output.WriteLine();
        output.WriteLine("per customer and month (targets met of those whose clock stopped in the month; credits payable after the customer's cap)");
        if (months.Count == 0)
        {
            output.WriteLine("  no customer's month changes");
        }

        foreach (var c in months)
        {
            output.WriteLine($"  {c.Customer} {c.Period}: targets met {Share(c.AttainmentBefore, c.MetBefore, c.BreachedBefore)} -> {Share(c.AttainmentAfter, c.MetAfter, c.BreachedAfter)}; "
                + $"credits {Credits(c)}");
        }

        var unchanged = result.CustomerMonths.Length - months.Count;
        if (unchanged > 0 && months.Count > 0)
        {
            output.WriteLine($"  {unchanged} other customer-month(s) unchanged");
        }

        Section(output, "credit figures that change", result.CreditChanges.Select(Describe));
        Section(output, "decisions that change (times in each case's own zone)", result.Changes.Select(Describe));
        if (result.NotListed > 0)
        {
            output.WriteLine($"  ... and {result.NotListed} more, counted above but not listed");
        }
    }

    /// <summary>A blank line, the title, then each line indented, or <c>none</c>.</summary>
    private static void Section(TextWriter output, string title, IEnumerable<string> lines)
    {
        output.WriteLine();
        output.WriteLine(title);
        var any = false;
        foreach (var line in lines)
        {
            output.WriteLine("  " + line);
            any = true;
        }

        if (!any)
        {
            output.WriteLine("  none");
        }
    }

    /// <summary><c>money: EUR +120.00 in credits (EUR 395.00 -> EUR 515.00)</c>, one part per currency.</summary>
    public static string MoneyLine(ImpactResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parts = result.MoneyByCurrency.Where(m => m.Currency.Length > 0 && (m.Before != 0 || m.After != 0))
            .Select(m => $"{m.Currency} {Signed(m.After - m.Before)} ({Money(m.Before, m.Currency)} -> {Money(m.After, m.Currency)})").ToList();
        return parts.Count == 0 ? "credits: none owed under either" : "credits payable: " + string.Join("; ", parts);
    }

    /// <summary>One changed decision on one line: case, target, policy, status, due time and level, before -> after.</summary>
    public static string Describe(DecisionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (b, a) = (change.Before, change.After);
        var text = $"{change.Case.Id} {change.Target} ({change.Case.Customer}): {Policy(b)} -> {Policy(a)}; "
            + $"{Status(b)} -> {Status(a)}; due {Time(b?.DueAt)} -> {Time(a?.DueAt)}; level {Level(b)} -> {Level(a)}";
        return text + $"; {string.Join(", ", ImpactReplay.Labels(change))}";
    }

    /// <summary>One changed credit figure on one line.</summary>
    public static string Describe(CreditChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var r = change.Any;
        var what = r.Kind switch
        {
            ServiceCreditKind.Availability => $"availability {r.Service} {r.Region}",
            ServiceCreditKind.Performance => $"performance `{r.Objective}` {r.Service} {r.Region}",
            ServiceCreditKind.Attainment => $"attainment {r.Objective}",
            _ => "total after the customer cap",
        };
        var measured = r.Kind == ServiceCreditKind.CustomerTotal ? string.Empty : $"measured {Num(change.Before?.Measured)} -> {Num(change.After?.Measured)}, ";
        return $"{r.Customer} {r.Period} {what}: {measured}{Money(change.Before?.Amount, r.Currency)} -> {Money(change.After?.Amount, r.Currency)} ({Signed(change.Delta)})";
    }

    /// <summary>Two explanations side by side, each column <paramref name="width"/> characters wide, wrapped.</summary>
    public static IEnumerable<string> SideBySide(string leftTitle, IEnumerable<ExplanationStep> left, string rightTitle, IEnumerable<ExplanationStep> right, int width = 70)
    {
        var l = Wrap(ExampleReport.ExplanationLines(left).Prepend(leftTitle), width).ToList();
        var r = Wrap(ExampleReport.ExplanationLines(right).Prepend(rightTitle), width).ToList();
        for (var i = 0; i < Math.Max(l.Count, r.Count); i++)
        {
            var lt = i < l.Count ? l[i] : string.Empty;
            var rt = i < r.Count ? r[i] : string.Empty;
            yield return $"{lt.PadRight(width)} | {rt}".TrimEnd();
        }
    }

    private static IEnumerable<string> Wrap(IEnumerable<string> lines, int width)
    {
        foreach (var line in lines)
        {
            var rest = line;
            var first = true;
            while (rest.Length > 0)
            {
                var room = first ? width : width - 2;
                var cut = rest.Length <= room ? rest.Length : rest.LastIndexOf(' ', room) is var space and > 0 ? space : room;
                yield return (first ? string.Empty : "  ") + rest[..cut].TrimEnd();
                rest = rest[cut..].TrimStart();
                first = false;
            }
        }
    }

    /// <summary>A customer-month's credits payable, per currency: <c>EUR 600.00 -> EUR 720.00 (+120.00)</c>.</summary>
    internal static string Credits(CustomerMonthImpact c) => c.Credits.All(p => p.Before == 0 && p.After == 0)
        ? "none owed"
        : string.Join("; ", c.Credits.Where(p => p.Before != 0 || p.After != 0).Select(p => $"{Money(p.Before, p.Currency)} -> {Money(p.After, p.Currency)} ({Signed(p.Delta)})"));

    internal static string Policy(Decision? d) => d is null ? "(no decision)" : d.Policy is null ? "no policy" : $"{d.Policy}@{d.PolicyVersion}";

    internal static string Status(Decision? d) => d is null ? "-" : DecisionJson.StatusName(d.Status);

    internal static string Level(Decision? d) => d is null ? "-" : d.EscalationLevel.ToString(Invariant);

    /// <summary>An instant as the decision carries it: in the case's own offset.</summary>
    internal static string Time(DateTimeOffset? at) => at is { } value ? value.ToString("yyyy-MM-dd HH:mm zzz", Invariant) : "none";

    internal static string Money(decimal? amount, string currency) =>
        amount is { } value ? (currency.Length > 0 ? currency + " " : string.Empty) + value.ToString("#,##0.00", Invariant) : "none";

    internal static string Signed(decimal delta) => (delta > 0 ? "+" : string.Empty) + delta.ToString("#,##0.00", Invariant);

    internal static string Share(decimal? percent, int met, int breached) =>
        percent is { } p ? $"{Math.Round(p, 1, MidpointRounding.AwayFromZero).ToString("0.0", Invariant)}% ({met}/{met + breached})" : "none stopped";

    private static string Num(decimal? value) => value is { } v ? Math.Round(v, 3, MidpointRounding.AwayFromZero).ToString("0.###", Invariant) : "-";
}
