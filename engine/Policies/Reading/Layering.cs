using System.Collections.Immutable;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>
/// Applies <c>extends</c>: a version inherits everything of the parent version in effect on its own
/// <c>effective.from</c>, overrides terms with the same key and adds the rest. Terms keep the location and
/// <c>DefinedBy</c> of the file that wrote them.
/// </summary>
internal sealed class Layering(List<PolicyDocument> documents, DiagnosticBag bag)
{
    private readonly Dictionary<PolicyDocument, Policy?> _resolved = [];
    private readonly List<PolicyDocument> _stack = [];

    public List<Policy> ResolveAll()
    {
        var policies = new List<Policy>();
        foreach (var document in documents)
        {
            if (Resolve(document) is { } policy)
            {
                policies.Add(policy);
            }
        }

        return policies;
    }

    private Policy? Resolve(PolicyDocument document)
    {
        if (_resolved.TryGetValue(document, out var done))
        {
            return done;
        }

        Policy? parent = null;
        if (document.Extends is { } parentId)
        {
            var versions = documents.Where(d => d.Id == parentId).ToList();
            var from = document.From!.Value;
            var parentDocument = versions
                .Where(d => from >= d.From!.Value && (d.To is null || from < d.To.Value))
                .OrderByDescending(d => d.From)
                .FirstOrDefault();
            if (versions.Count == 0)
            {
                var suggestion = ObjectReader.Suggest(parentId, documents.Select(d => d.Id!).Distinct());
                bag.Add(DiagnosticCatalog.MissingParent, document.ExtendsLocation, $"`{document.Id}` extends `{parentId}`, which is not defined", suggestion is null ? null : $"did you mean `{suggestion}`?");
                return Fail(document);
            }

            if (parentDocument is null)
            {
                bag.Add(
                    DiagnosticCatalog.MissingParent,
                    document.ExtendsLocation,
                    $"no version of `{parentId}` is in effect on {from:yyyy-MM-dd}, when `{document.Id}` {document.Version} takes effect");
                return Fail(document);
            }

            if (parentDocument == document)
            {
                bag.Add(DiagnosticCatalog.CyclicExtends, document.ExtendsLocation, $"`{document.Id}` extends itself");
                return Fail(document);
            }

            if (_stack.Contains(parentDocument))
            {
                var cycle = _stack.Skip(_stack.IndexOf(parentDocument)).Append(document).Append(parentDocument).Select(d => $"`{d.Id}`");
                bag.Add(DiagnosticCatalog.CyclicExtends, document.ExtendsLocation, $"`extends` runs in a cycle: {string.Join(" -> ", cycle)}");
                return Fail(document);
            }

            _stack.Add(document);
            parent = Resolve(parentDocument);
            _stack.RemoveAt(_stack.Count - 1);
            if (parent is null)
            {
                // The parent's own error is reported where it is; the child cannot be resolved without it.
                return Fail(document);
            }
        }

        var policy = Merge(document, parent);
        _resolved[document] = policy;
        return policy;
    }

    private Policy? Fail(PolicyDocument document)
    {
        _resolved[document] = null;
        return null;
    }

    private static Policy Merge(PolicyDocument document, Policy? parent)
    {
        var appliesTo = document.AppliesTo ?? parent?.AppliesTo;
        var isAbstract = document.AppliesTo is null && (parent?.IsAbstract ?? true);
        var targets = Override(parent?.Targets ?? [], document.Targets, t => t.Id);
        var escalations = Override(parent?.Escalations ?? [], document.Escalations.Select(e => e.Step), EscalationKey)
            .OrderBy(e => e.AtPercent)
            .ToImmutableArray();
        var attainment = Override(parent?.Attainment ?? [], document.Attainment, a => string.Join(",", a.Severities.Order()));
        var rules = Override(parent?.Rules ?? [], document.Rules, r => r.RuleName);
        var performance = Override(parent?.Performance ?? [], document.Performance, p => p.Id);
        return new Policy(
            document.Id!,
            document.Version!,
            document.From!.Value,
            document.To,
            document.Extends,
            appliesTo ?? PolicyScope.All,
            document.Calendar ?? parent?.Calendar,
            document.PauseOn ?? parent?.PauseOn ?? [],
            targets,
            escalations,
            attainment,
            document.Availability ?? parent?.Availability,
            rules,
            document.File,
            document.IdLocation)
        {
            IsAbstract = isAbstract,
            Performance = performance,
            CustomerCreditCapPercent = document.CustomerCreditCap ?? parent?.CustomerCreditCapPercent,
            Direction = document.Direction ?? parent?.Direction ?? AgreementDirection.Customer,
            Claims = document.Claims ?? parent?.Claims,
            RollingCreditCap = document.RollingCreditCap ?? parent?.RollingCreditCap,
            ReviewBy = document.ReviewBy,
            ReviewByLocation = document.ReviewBy is null ? SourceLocation.None : document.ReviewByLocation,
            ReviewNoticeDays = document.ReviewNoticeDays ?? Policy.DefaultReviewNoticeDays,
            EffectiveToLocation = document.To is null ? SourceLocation.None : document.ToLocation,
            CalendarFrom = document.CalendarFrom ?? parent?.CalendarFrom,
            ClockFrom = document.ClockFrom ?? parent?.ClockFrom,
            // A child's `availability`, one object or several, replaces the parent's as a whole.
            AvailabilityObjectives = document.AvailabilityObjectives is { } objectives ? [.. objectives]
                : document.Availability is null ? parent?.AvailabilityObjectives ?? default : default,
        };
    }

    /// <summary>Steps are keyed by id when written, else by threshold (the reader sets Id to <c>at-N%</c> then).</summary>
    private static string EscalationKey(EscalationStep step) => step.Id;

    /// <summary>Parent's terms in order with same-key ones replaced in place, then the child's new terms.</summary>
    private static ImmutableArray<T> Override<T>(ImmutableArray<T> inherited, IEnumerable<T> own, Func<T, string> key)
    {
        var result = inherited.IsDefault ? [] : inherited.ToList();
        foreach (var term in own)
        {
            var index = result.FindIndex(t => key(t) == key(term));
            if (index >= 0)
            {
                result[index] = term;
            }
            else
            {
                result.Add(term);
            }
        }

        return [.. result];
    }
}
