using System.Collections.Immutable;
using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SlaPolicy.Engine.Diagnostics;

namespace SlaPolicy.Engine.Policies.Reading;

/// <summary>Reads one agreement file into a <see cref="PolicyDocument"/>, reporting every problem it finds.</summary>
internal static class PolicyReader
{
    internal static readonly string[] RootProperties =
        ["$schema", "id", "version", "description", "effective", "extends", "appliesTo", "calendar", "calendarFrom", "clockFrom", "pauseOn", "targets", "escalations", "attainment", "availability", "performance", "customerCreditCap", "rollingCreditCap", "direction", "claims", "reviewBy", "reviewNoticeDays", "rules"];

    internal static readonly string[] EffectiveProperties = ["from", "to"];
    internal static readonly string[] ChoiceProperties = ["tags", "customers"];
    internal static readonly string[] CalendarChoiceProperties = ["tags", "customers", "teams"];
    internal static readonly string[] ScopeProperties = ["customers", "tiers", "regions", "services"];
    internal static readonly string[] TargetProperties = ["id", "description", "metric", "severity", "within", "clock", "start", "stop", "pause", "cancel", "reopen", "severityChange"];
    internal static readonly string[] ConditionProperties = ["status", "type", "public", "author", "field"];
    internal static readonly string[] ConditionFields = ["openedAt", "firstResponseAt", "resolvedAt"];
    internal static readonly string[] EscalationProperties = ["id", "at", "action", "level", "to"];
    internal static readonly string[] AttainmentProperties = ["severity", "atLeast", "credit"];
    internal static readonly string[] AvailabilityProperties =
        ["id", "services", "objective", "window", "exclude", "credits", "creditCap", "monthlyFee", "currency", "downtime", "minimumDowntime", "measure", "scope", "downWhen", "excludeFromWindow", "hours", "maxOutage", "zone", "denominator"];

    internal static readonly string[] MetricDowntimeProperties = ["metric", "above", "minRequests", "interval", "weight"];
    internal static readonly string[] RedundancyProperties = ["resourcesDown", "resources"];
    internal static readonly string[] MaxOutageProperties = ["longerThan", "credit", "perHourDown"];
    internal static readonly string[] CreditProperties = ["below", "atOrBelow", "credit", "daysOfFee", "perHourDown", "proportional"];
    internal static readonly string[] CreditForms = ["credit", "daysOfFee", "perHourDown", "proportional"];
    internal static readonly string[] ClaimsProperties = ["deadline", "minimumCredit", "futureBillsOnly", "capPerPeriod"];
    internal static readonly string[] DeadlineProperties = ["months", "days"];
    internal static readonly string[] RollingCapProperties = ["months", "cap"];
    internal static readonly string[] PerformanceProperties = ["id", "metric", "statistic", "atMost", "atLeast", "services", "credits", "creditCap"];
    internal static readonly string[] PerformanceCreditProperties = ["above", "atOrAbove", "below", "atOrBelow", "credit"];
    internal static readonly string[] RuleProperties =
        ["RuleName", "Expression", "RuleExpressionType", "SuccessEvent", "ErrorMessage", "Enabled", "Operator", "Rules", "LocalParams", "Actions"];

    internal static readonly string[] LocalParamProperties = ["Name", "Expression"];
    internal static readonly string[] ActionsProperties = ["OnSuccess", "OnFailure"];
    internal static readonly string[] ActionProperties = ["Name", "Context"];
    internal static readonly string[] Operators = ["And", "AndAlso", "Or", "OrElse"];

    public static PolicyDocument? Read(JsonSource source, DiagnosticBag bag)
    {
        if (source.TryParse(bag) is not { } root)
        {
            return null;
        }

        var reader = ObjectReader.Open(root, source, bag, string.Empty, RootProperties);
        if (reader is null)
        {
            return null;
        }

        var document = new PolicyDocument { File = source.File };
        document.Id = reader.String("id", required: true);
        document.IdLocation = reader.LocationOf("id");
        document.Version = reader.String("version", required: true);
        document.VersionLocation = reader.LocationOf("version");
        reader.String("description");
        ReadEffective(reader, document);
        document.Extends = reader.String("extends");
        document.ExtendsLocation = reader.LocationOf("extends");
        if (reader.Get("appliesTo") is { } appliesTo)
        {
            document.AppliesTo = ReadScope(ObjectReader.Open(appliesTo, source, bag, "appliesTo", ScopeProperties));
            document.AppliesToLocation = source.Start(appliesTo);
        }

        document.Calendar = reader.String("calendar");
        document.CalendarLocation = reader.LocationOf("calendar");
        document.PauseOn = reader.Strings("pauseOn");
        document.CalendarFrom = ReadChoices(reader, "calendarFrom", null);
        document.ClockFrom = ReadChoices(reader, "clockFrom", ["24x7", "business"]);

        var definedBy = document.Id ?? string.Empty;
        ReadTargets(reader, document, definedBy);
        ReadEscalations(reader, document, definedBy);
        ReadAttainment(reader, document, definedBy);
        if (reader.Get("availability") is JArray objectives)
        {
            ReadAvailabilityObjectives(objectives, source, bag, document, definedBy);
        }
        else if (reader.Get("availability") is { } availability)
        {
            document.Availability = ReadAvailability(ObjectReader.Open(availability, source, bag, "availability", AvailabilityProperties), definedBy);
        }

        ReadPerformance(reader, document, definedBy);
        document.CustomerCreditCap = reader.Percentage("customerCreditCap");
        document.RollingCreditCap = ReadRollingCreditCap(reader);
        ReadClaimTerms(reader, document);
        ReadReview(reader, document);

        if (reader.Array("rules") is { } rules)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in rules)
            {
                if (ReadRule(item, source, bag, "rules[]", definedBy) is { } rule)
                {
                    if (!names.Add(rule.RuleName))
                    {
                        bag.Add(DiagnosticCatalog.DuplicateRuleName, rule.Location, $"rule `{rule.RuleName}` is defined twice in this policy");
                        continue;
                    }

                    document.Rules.Add(rule);
                }
            }
        }

        return document;
    }

    internal static string Describe(JsonReaderException e)
    {
        // Newtonsoft appends "Path '…', line n, position m." which the location already says.
        var message = e.Message;
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(", line ", StringComparison.Ordinal);
        }

        message = (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : "malformed JSON";
    }

    private static void ReadEffective(ObjectReader reader, PolicyDocument document)
    {
        var token = reader.Get("effective");
        if (token is null)
        {
            reader.Missing("effective.from");
            return;
        }

        var effective = ObjectReader.Open(token, reader.Source, reader.Bag, "effective", EffectiveProperties);
        if (effective is null)
        {
            return;
        }

        document.From = effective.Date("from", required: true);
        document.FromLocation = effective.LocationOf("from");
        document.To = effective.Date("to");
        document.ToLocation = effective.LocationOf("to");
        if (document.From is { } from && document.To is { } to && to <= from)
        {
            reader.Bag.Add(DiagnosticCatalog.BadDate, effective.LocationOf("to"), $"`effective.to` {to:yyyy-MM-dd} must be after `effective.from` {from:yyyy-MM-dd}");
            document.To = null;
        }
    }

    private static void ReadReview(ObjectReader reader, PolicyDocument document)
    {
        document.ReviewBy = reader.Date("reviewBy");
        document.ReviewByLocation = reader.LocationOf("reviewBy");
        var notice = reader.Integer("reviewNoticeDays");
        if (notice is < 0 or > 3650)
        {
            reader.Bag.Add(DiagnosticCatalog.BadValue, reader.LocationOf("reviewNoticeDays"), $"`reviewNoticeDays` is {notice}: write a number of days from 0 to 3650");
            notice = null;
        }
        else if (notice is not null && document.ReviewBy is null && !reader.Has("reviewBy"))
        {
            reader.Bag.Add(DiagnosticCatalog.MissingProperty, reader.LocationOf("reviewNoticeDays"), "`reviewNoticeDays` needs a `reviewBy` date to count back from");
        }

        document.ReviewNoticeDays = notice;
    }

    private static PolicyScope? ReadScope(ObjectReader? scope)
    {
        if (scope is null)
        {
            return null;
        }

        return new PolicyScope(
            scope.Strings("customers") ?? [],
            scope.Strings("tiers") ?? [],
            scope.Strings("regions") ?? [],
            scope.Strings("services") ?? []);
    }

    /// <summary>
    /// <c>calendarFrom</c> or <c>clockFrom</c>: objects from a tag or a customer to a calendar id, or to one of
    /// <paramref name="values"/>. Entries keep the order written: the first tag a case carries decides.
    /// </summary>
    private static CaseChoices? ReadChoices(ObjectReader reader, string name, string[]? values)
    {
        if (reader.Get(name) is not { } token)
        {
            return null;
        }

        var choices = ObjectReader.Open(token, reader.Source, reader.Bag, name, values is null ? CalendarChoiceProperties : ChoiceProperties);
        if (choices is null)
        {
            return null;
        }

        ImmutableArray<CaseChoice> Entries(string part)
        {
            var entries = ImmutableArray.CreateBuilder<CaseChoice>();
            if (choices.Get(part) is not { } map)
            {
                return entries.ToImmutable();
            }

            if (map is not JObject obj)
            {
                reader.Bag.Add(DiagnosticCatalog.WrongType, reader.Source.Start(map), $"`{name}.{part}` must be an object such as `{{ \"site:berlin\": \"berlin-site\" }}`");
                return entries.ToImmutable();
            }

            foreach (var property in obj.Properties())
            {
                if (property.Value.Type != JTokenType.String || (string?)property.Value is not { Length: > 0 } value)
                {
                    reader.Bag.Add(DiagnosticCatalog.WrongType, reader.Source.Start(property.Value), $"`{name}.{part}.{property.Name}` must be a {(values is null ? "calendar id" : "clock")} written as a string");
                    continue;
                }

                if (values is not null && !values.Contains(value, StringComparer.Ordinal))
                {
                    var suggestion = ObjectReader.Suggest(value, values);
                    reader.Bag.Add(
                        DiagnosticCatalog.BadValue,
                        reader.Source.StringContentStart(property.Value),
                        $"`{name}.{part}.{property.Name}` is `{value}`; allowed: {string.Join(", ", values.Select(v => $"`{v}`"))}",
                        suggestion is null ? null : $"did you mean `{suggestion}`?");
                    continue;
                }

                entries.Add(new CaseChoice(property.Name, value, reader.Source.StringContentStart(property.Value)));
            }

            return entries.ToImmutable();
        }

        var teams = values is null ? Entries("teams") : [];
        return new CaseChoices(Entries("tags"), Entries("customers"), reader.Source.Start(token)) { Teams = teams.IsEmpty ? default : teams };
    }

    private static void ReadTargets(ObjectReader reader, PolicyDocument document, string definedBy)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in reader.Objects("targets", "targets[]", TargetProperties))
        {
            var id = target.String("id", required: true);
            target.String("description");
            var metric = Choice(target, "metric", required: true, ("firstResponse", TargetMetric.FirstResponse), ("resolution", TargetMetric.Resolution), ("update", TargetMetric.Update), ("nextReply", TargetMetric.NextReply));
            var severities = target.Severities("severity");
            var within = target.Within("within", out var businessDays, required: true);
            var clock = Choice(target, "clock", required: false, ("24x7", ClockKind.TwentyFourSeven), ("business", ClockKind.Business));
            var (start, stop, pause, cancel) = (Condition(target, "start", document), Condition(target, "stop", document), Condition(target, "pause", document), Condition(target, "cancel", document));
            var conditionsOk = (start.Ok && stop.Ok && pause.Ok && cancel.Ok);
            if (pause.Value?.Field is not null)
            {
                reader.Bag.Add(DiagnosticCatalog.FieldPause, target.LocationOf("pause"), $"target `{id}` pauses on the case timestamp `{pause.Value.Field}`, which is an instant, not a stretch of time");
                conditionsOk = false;
            }

            var reopen = Choice(target, "reopen", required: false, ("resume", ReopenRule.Resume), ("newCycle", ReopenRule.NewCycle));
            var severityChange = Choice(target, "severityChange", required: false, ("fromOpening", SeverityChangeRule.FromOpening), ("fromChange", SeverityChangeRule.FromChange));
            if (reopen is not null && metric == TargetMetric.FirstResponse)
            {
                reader.Bag.Add(
                    DiagnosticCatalog.ReopenOnFirstResponse,
                    target.LocationOf("reopen"),
                    $"target `{id}` is a first-response target; `reopen` says what a reopen does to a resolution clock",
                    "remove `reopen`, or set `\"metric\": \"resolution\"`");
                conditionsOk = false;
            }

            if (metric == TargetMetric.Update)
            {
                conditionsOk &= NoResolutionRules(target, DiagnosticCatalog.UpdateRule, $"target `{id}` is an update target, judged on every gap between updates");

                if (stop.Value?.Field is { } field)
                {
                    reader.Bag.Add(DiagnosticCatalog.UpdateOnField, target.LocationOf("stop"), $"update target `{id}` counts updates on the case timestamp `{field}`, which happens once, not at every update");
                    conditionsOk = false;
                }
            }

            if (metric == TargetMetric.NextReply)
            {
                conditionsOk &= NoResolutionRules(target, DiagnosticCatalog.NextReplyRule, $"target `{id}` is a next-reply target, judged on every wait from a customer message to its reply");

                foreach (var (name, condition, what) in new[] { ("start", start.Value, "customer messages"), ("stop", stop.Value, "replies") })
                {
                    if (condition?.Field is { } field)
                    {
                        reader.Bag.Add(DiagnosticCatalog.NextReplyOnField, target.LocationOf(name), $"next-reply target `{id}` counts {what} on the case timestamp `{field}`, which happens once, not at every message");
                        conditionsOk = false;
                    }
                }
            }

            if (!conditionsOk || (target.Has("reopen") && reopen is null) || (target.Has("severityChange") && severityChange is null))
            {
                continue;
            }

            if (id is not null && !ids.Add(id))
            {
                reader.Bag.Add(DiagnosticCatalog.DuplicateTargetId, target.LocationOf("id"), $"target id `{id}` is used twice in this policy");
                continue;
            }

            if (id is null || metric is null || within is null || (target.Has("clock") && clock is null) || (target.Has("severity") && severities is null))
            {
                continue;
            }

            if (businessDays > 0 && clock != ClockKind.Business)
            {
                reader.Bag.Add(
                    DiagnosticCatalog.BusinessDaysOn24x7,
                    target.LocationOf("within"),
                    $"target `{id}` counts `{businessDays}bd` (business days) on the 24x7 clock, which has no business days",
                    "add `\"clock\": \"business\"`, or write the time in `d` or `h`");
                continue;
            }

            document.Targets.Add(new TargetTerm(id, metric.Value, severities ?? [], within.Value, clock ?? ClockKind.TwentyFourSeven, target.Location, definedBy)
            {
                BusinessDays = businessDays,
                Start = start.Value,
                Stop = stop.Value,
                Pause = pause.Value,
                Cancel = cancel.Value,
                Reopen = reopen ?? ReopenRule.None,
                ReopenLocation = reopen is null ? SourceLocation.None : target.LocationOf("reopen"),
                SeverityChange = severityChange ?? SeverityChangeRule.None,
                SeverityChangeLocation = severityChange is null ? SourceLocation.None : target.LocationOf("severityChange"),
            });
        }
    }

    /// <summary>
    /// Reports each <c>reopen</c> and <c>severityChange</c> of a target that judges many stretches (updates, next replies),
    /// where they mean nothing; false when there was one.
    /// </summary>
    private static bool NoResolutionRules(ObjectReader target, DiagnosticDescriptor descriptor, string what)
    {
        var ok = true;
        foreach (var name in new[] { "reopen", "severityChange" }.Where(target.Has))
        {
            target.Bag.Add(
                descriptor,
                target.LocationOf(name),
                $"{what}; `{name}` says what a reopen or a severity change does to a resolution clock",
                $"remove `{name}`, or set `\"metric\": \"resolution\"`");
            ok = false;
        }

        return ok;
    }

    /// <summary>
    /// A target's <c>start</c>, <c>stop</c>, <c>pause</c> or <c>cancel</c> (docs/CLOCKS.md "Start, stop, pause and cancel
    /// conditions"): null and ok when absent; not ok when written wrongly (reported).
    /// </summary>
    private static (ClockCondition? Value, bool Ok) Condition(ObjectReader target, string name, PolicyDocument document)
    {
        if (target.Get(name) is not { } token || token.Type == JTokenType.Null)
        {
            return (null, true);
        }

        var path = target.Path(name);
        if (ObjectReader.Open(token, target.Source, target.Bag, path, ConditionProperties) is not { } condition)
        {
            return (null, false);
        }

        var location = target.Source.Start(token);
        ImmutableArray<string> statuses = [];
        var ok = true;
        if (condition.Get("status") is { Type: JTokenType.String } single)
        {
            statuses = [(string)single!];
        }
        else if (condition.Has("status"))
        {
            if (condition.Strings("status") is { } many)
            {
                statuses = many;
            }
            else
            {
                ok = false;
            }
        }

        var type = condition.String("type");
        var isPublic = condition.Bool("public");
        var author = condition.String("author");
        var field = condition.String("field");
        ok &= (!condition.Has("type") || type is not null) && (!condition.Has("public") || isPublic is not null) && (!condition.Has("author") || author is not null) && (!condition.Has("field") || field is not null);
        if (!ok)
        {
            return (null, false);
        }

        if (field is not null)
        {
            if (!ConditionFields.Contains(field, StringComparer.Ordinal))
            {
                var suggestion = ObjectReader.Suggest(field, ConditionFields);
                target.Bag.Add(
                    DiagnosticCatalog.BadClockCondition,
                    condition.LocationOf("field"),
                    $"`{path}.field` is `{field}`; a condition names one of the case's timestamps: {string.Join(", ", ConditionFields.Select(f => $"`{f}`"))}",
                    suggestion is null ? null : $"did you mean `{suggestion}`?");
                return (null, false);
            }

            if (condition.Has("status") || condition.Has("type") || condition.Has("public") || condition.Has("author"))
            {
                target.Bag.Add(
                    DiagnosticCatalog.BadClockCondition,
                    location,
                    $"`{path}` names the case timestamp `{field}` and event properties; a condition is on one or the other",
                    "write two targets, or keep only `field` or only `status`, `type`, `public` and `author`");
                return (null, false);
            }
        }
        else if (statuses.IsDefaultOrEmpty && type is null && isPublic is null && author is null)
        {
            if (token is JObject { Count: > 0 })
            {
                // Only unknown properties, reported with the name meant: saying it is empty too would be noise.
                return (null, false);
            }


            target.Bag.Add(DiagnosticCatalog.BadClockCondition, location, $"`{path}` is empty: it would match every event");
            return (null, false);
        }

        var known = Evaluation.StatusCensus.KnownStatuses.Concat(document.PauseOn ?? []).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var status in statuses)
        {
            if (!known.Contains(status, StringComparer.Ordinal) && ObjectReader.Suggest(status, known) is { } closest)
            {
                target.Bag.Add(
                    DiagnosticCatalog.ConditionStatusTypo,
                    location,
                    $"`{path}` names status `{status}`, which no known status is, but `{closest}` is a small edit away",
                    $"did you mean `{closest}`? statuses compare exactly");
            }
        }

        return (new ClockCondition(statuses, type, isPublic, field, location) { Author = author }, true);
    }

    private static void ReadEscalations(ObjectReader reader, PolicyDocument document, string definedBy)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in reader.Objects("escalations", "escalations[]", EscalationProperties))
        {
            var id = step.String("id");
            var at = step.Percentage("at", required: true, allowOver100: true);
            var action = Word(step, "action", required: true, "notify", "escalate");
            var level = step.Integer("level");
            var to = step.String("to");
            if (level is < 1)
            {
                reader.Bag.Add(DiagnosticCatalog.BadValue, step.LocationOf("level"), $"escalation level `{level}` must be 1 or more");
                continue;
            }

            if (action == "escalate" && level is null && !step.Has("level"))
            {
                step.Missing("level");
                continue;
            }

            if (at is null || action is null)
            {
                continue;
            }

            // Steps are matched across layers by id, or by their threshold when they have none.
            var key = id ?? $"at-{at.Value.ToString("0.####", CultureInfo.InvariantCulture)}%";
            if (!keys.Add(key))
            {
                reader.Bag.Add(DiagnosticCatalog.BadValue, id is null ? step.LocationOf("at") : step.LocationOf("id"), id is null
                    ? $"two escalation steps at `{at.Value.ToString("0.####", CultureInfo.InvariantCulture)}%` without ids; give them ids"
                    : $"escalation id `{id}` is used twice in this policy");
                continue;
            }

            document.Escalations.Add((key, new EscalationStep(key, at.Value, action, level, to, step.Location, definedBy)));
        }
    }

    private static void ReadAttainment(ObjectReader reader, PolicyDocument document, string definedBy)
    {
        foreach (var term in reader.Objects("attainment", "attainment[]", AttainmentProperties))
        {
            var severities = term.Severities("severity");
            var atLeast = term.Percentage("atLeast", required: true);
            var credit = term.Percentage("credit", required: true);
            if (atLeast is null || credit is null || (term.Has("severity") && severities is null))
            {
                continue;
            }

            document.Attainment.Add(new AttainmentTerm(severities ?? [], atLeast.Value, credit.Value, term.Location, definedBy));
        }
    }

    /// <summary>
    /// <c>availability</c> written as an array: several objectives (per storage class, deployment type, ...), each with an
    /// <c>id</c> unique in the file. The first is <see cref="PolicyDocument.Availability"/>, whose fee and currency are the
    /// policy's defaults.
    /// </summary>
    private static void ReadAvailabilityObjectives(JArray objectives, JsonSource source, DiagnosticBag bag, PolicyDocument document, string definedBy)
    {
        var read = new List<AvailabilityTerm>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (objectives.Count == 0)
        {
            bag.Add(DiagnosticCatalog.AvailabilityObjectiveId, source.Start(objectives), "`availability` is an empty array: write one objective, or several each with an `id`");
        }

        foreach (var item in objectives)
        {
            if (ObjectReader.Open(item, source, bag, "availability[]", AvailabilityProperties) is not { } objective)
            {
                continue;
            }

            if (!objective.Has("id"))
            {
                bag.Add(DiagnosticCatalog.AvailabilityObjectiveId, objective.Location, "an objective of an `availability` array needs an `id` (e.g. the storage class it is for)");
                continue;
            }

            if (ReadAvailability(objective, definedBy) is not { Id: { } id } term)
            {
                continue;
            }

            if (!ids.Add(id))
            {
                bag.Add(DiagnosticCatalog.AvailabilityObjectiveId, objective.LocationOf("id"), $"availability objective `{id}` is written twice in this policy");
                continue;
            }

            read.Add(term);
        }

        document.AvailabilityObjectives = read;
        document.Availability = read.FirstOrDefault();
    }

    private static AvailabilityTerm? ReadAvailability(ObjectReader? availability, string definedBy)
    {
        if (availability is null)
        {
            return null;
        }

        var services = availability.Strings("services");
        var objective = availability.Percentage("objective", required: true);
        var window = Word(availability, "window", required: false, "calendarMonth", "calendarQuarter", "calendarWeek");
        var exclude = availability.Strings("exclude");
        var creditCap = availability.Percentage("creditCap");
        var fee = availability.Number("monthlyFee");
        if (fee is < 0)
        {
            availability.Bag.Add(DiagnosticCatalog.BadValue, availability.LocationOf("monthlyFee"), "`availability.monthlyFee` must not be negative");
        }

        var currency = availability.String("currency");
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            availability.Bag.Add(DiagnosticCatalog.BadValue, availability.LocationOf("currency"), $"`{currency}` is not an ISO 4217 currency code such as `EUR`");
        }

        var credits = ImmutableArray.CreateBuilder<CreditTier>();
        foreach (var tier in availability.Objects("credits", "availability.credits[]", CreditProperties))
        {
            if (ReadCreditTier(tier) is { } read)
            {
                credits.Add(read);
            }
        }

        var id = availability.String("id", required: false);
        var (downtime, weightLocation) = ReadMetricDowntime(availability);
        var minimum = availability.Duration("minimumDowntime"); // a zero duration is refused by the parser (SLA2001)

        var measure = Choice(
            availability, "measure", required: false, ("time", AvailabilityMeasure.Time), ("requests", AvailabilityMeasure.Requests), ("meanErrorRate", AvailabilityMeasure.MeanErrorRate));
        if (measure is AvailabilityMeasure.Requests or AvailabilityMeasure.MeanErrorRate && !(availability.Get("downtime") is JObject written && written.Property("metric", StringComparison.Ordinal) is not null))
        {
            var what = measure == AvailabilityMeasure.Requests ? "counts the requests of a metric" : "averages the error rate of a metric";
            availability.Bag.Add(
                DiagnosticCatalog.RequestsWithoutMetric,
                availability.LocationOf("measure"),
                $"`\"measure\": \"{(measure == AvailabilityMeasure.Requests ? "requests" : "meanErrorRate")}\"` {what}: name it in `availability.downtime.metric`");
        }

        var scope = Choice(availability, "scope", required: false, ("aggregated", AvailabilityScope.Aggregated), ("resource", AvailabilityScope.Resource));
        var downWhen = ReadRedundancy(availability);
        if (scope == AvailabilityScope.Resource && downWhen is not null)
        {
            availability.Bag.Add(
                DiagnosticCatalog.BadRedundancy, availability.LocationOf("downWhen"), "`downWhen` counts resources down at once, which a term judging each resource alone (`\"scope\": \"resource\"`) cannot");
            downWhen = null;
        }

        var fromWindow = availability.Get("excludeFromWindow") is { Type: JTokenType.String } single
            ? ((string)single!).Length > 0 ? [(string)single!] : null
            : availability.Strings("excludeFromWindow");
        if (availability.Get("excludeFromWindow") is { Type: JTokenType.String } empty && ((string)empty!).Length == 0)
        {
            availability.Bag.Add(DiagnosticCatalog.WrongType, availability.LocationOf("excludeFromWindow"), "`availability.excludeFromWindow` must name outage kinds, e.g. `\"maintenance\"`");
        }

        var hours = Word(availability, "hours", required: false, "all", "business");
        var maxOutage = ReadMaxOutage(availability);
        var zone = availability.String("zone");
        if (zone is not null && window != "calendarWeek")
        {
            availability.Bag.Add(
                DiagnosticCatalog.BadWeekZone, availability.LocationOf("zone"), "`availability.zone` says where the weeks of a weekly window start; write it with `\"window\": \"calendarWeek\"`");
            zone = null;
        }
        else if (zone is not null && NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            availability.Bag.Add(DiagnosticCatalog.BadWeekZone, availability.LocationOf("zone"), $"`{zone}` is not an IANA time zone such as `Europe/Berlin`");
            zone = null;
        }

        var denominator = Choice(availability, "denominator", required: false, ("window", AvailabilityDenominator.Window), ("deployed", AvailabilityDenominator.Deployed));
        if (denominator == AvailabilityDenominator.Deployed && measure == AvailabilityMeasure.Requests)
        {
            availability.Bag.Add(
                DiagnosticCatalog.DeployedByRequests,
                availability.LocationOf("denominator"),
                "`\"denominator\": \"deployed\"` shares time out, and `\"measure\": \"requests\"` counts requests, not minutes: write one or the other");
            denominator = null;
        }

        if (objective is null)
        {
            return null;
        }

        return new AvailabilityTerm(
            services ?? [],
            objective.Value,
            window ?? "calendarMonth",
            exclude ?? [],
            credits.ToImmutable(),
            creditCap,
            fee is < 0 ? null : fee,
            currency,
            availability.Location,
            definedBy)
        {
            Id = id,
            DowntimeFrom = downtime,
            MinimumDowntime = minimum,
            MinimumDowntimeLocation = minimum is null ? default : availability.LocationOf("minimumDowntime"),
            Measure = measure ?? AvailabilityMeasure.Time,
            MeasureLocation = measure is null ? default : availability.LocationOf("measure"),
            Scope = scope ?? AvailabilityScope.Aggregated,
            ScopeLocation = scope is null ? default : availability.LocationOf("scope"),
            DownWhen = downWhen,
            WindowLocation = window is null or "calendarMonth" ? default : availability.LocationOf("window"),
            ExcludeFromWindow = fromWindow is { Length: > 0 } kinds ? kinds : default,
            ExcludeFromWindowLocation = fromWindow is { Length: > 0 } ? availability.LocationOf("excludeFromWindow") : default,
            BusinessHoursOnly = hours == "business",
            HoursLocation = hours == "business" ? availability.LocationOf("hours") : default,
            MaxOutage = maxOutage,
            WeekZone = zone,
            WeightByAffected = weightLocation is not null,
            WeightLocation = weightLocation ?? default,
            Denominator = denominator ?? AvailabilityDenominator.Window,
            DenominatorLocation = denominator is AvailabilityDenominator.Deployed ? availability.LocationOf("denominator") : default,
        };
    }

    /// <summary>
    /// <c>availability.maxOutage</c>: <c>longerThan</c> (a duration) and one credit per violating outage, <c>credit</c> (a
    /// percent of the fee) or <c>perHourDown</c> (an amount per hour of the whole outage).
    /// </summary>
    private static MaxOutageRule? ReadMaxOutage(ObjectReader availability)
    {
        if (ObjectReader.Open(availability.Get("maxOutage"), availability.Source, availability.Bag, "availability.maxOutage", MaxOutageProperties) is not { } rule)
        {
            return null;
        }

        var longerThan = rule.Duration("longerThan", required: true);
        if (rule.Has("credit") == rule.Has("perHourDown"))
        {
            rule.Bag.Add(
                DiagnosticCatalog.BadMaxOutage,
                rule.Location,
                rule.Has("credit") ? "`availability.maxOutage` has both `credit` and `perHourDown`; it credits an outage one way" : "`availability.maxOutage` names no credit: write `credit` (a percent of the fee per outage) or `perHourDown`");
            return null;
        }

        var credit = rule.Percentage("credit");
        var rate = rule.Number("perHourDown");
        if (rate is not null and (< 0 or > 1_000_000_000))
        {
            rule.Bag.Add(DiagnosticCatalog.BadMaxOutage, rule.LocationOf("perHourDown"), "`availability.maxOutage.perHourDown` must be an amount from 0 to 10^9");
            return null;
        }

        return longerThan is null || (credit is null && rate is null) ? null : new MaxOutageRule(longerThan.Value, credit, rate, rule.Location);
    }

    /// <summary>
    /// <c>availability.downWhen</c>: <c>{ "resourcesDown": N }</c> (N at least 1, at most the resources listed), or
    /// <c>{ "resourcesDown": "all", "resources": [...] }</c>; <c>"downWhen": "all"</c> is short for the latter's first half
    /// and needs the resources too, so that "all" never depends on which resources happened to fail in a month.
    /// </summary>
    private static RedundancyRule? ReadRedundancy(ObjectReader availability)
    {
        var token = availability.Get("downWhen");
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type == JTokenType.String)
        {
            if ((string)token! != "all")
            {
                var suggestion = ObjectReader.Suggest((string)token!, ["all"]);
                availability.Bag.Add(
                    DiagnosticCatalog.BadRedundancy, availability.Source.Start(token), $"`availability.downWhen` is `{(string)token!}`; write `{{ \"resourcesDown\": N }}` or `{{ \"resourcesDown\": \"all\", \"resources\": [...] }}`",
                    suggestion is null ? null : $"did you mean `{suggestion}`?");
                return null;
            }

            availability.Bag.Add(
                DiagnosticCatalog.BadRedundancy, availability.Source.Start(token), "`\"downWhen\": \"all\"` needs the resources it means: write `{ \"resourcesDown\": \"all\", \"resources\": [\"zone-a\", \"zone-b\"] }`");
            return null;
        }

        if (ObjectReader.Open(token, availability.Source, availability.Bag, "availability.downWhen", RedundancyProperties) is not { } rule)
        {
            return null;
        }

        var resources = rule.Strings("resources");
        var count = rule.Get("resourcesDown");
        if (count is null)
        {
            rule.Missing("resourcesDown");
            return null;
        }

        if (count.Type == JTokenType.String && (string)count! == "all")
        {
            if (resources is not { Length: > 0 } all)
            {
                rule.Bag.Add(DiagnosticCatalog.BadRedundancy, rule.Location, "`\"resourcesDown\": \"all\"` needs `resources`, the resources that must all be down");
                return null;
            }

            return new RedundancyRule(all.Length, true, all, rule.Location);
        }

        if (rule.Integer("resourcesDown") is not { } n)
        {
            return null;
        }

        if (n < 1 || (resources is { } listed && n > listed.Length))
        {
            rule.Bag.Add(
                DiagnosticCatalog.BadRedundancy,
                rule.LocationOf("resourcesDown"),
                n < 1 ? "`availability.downWhen.resourcesDown` must be 1 or more" : $"`availability.downWhen.resourcesDown` is {n}, more than the {resources!.Value.Length} resources listed");
            return null;
        }

        return rule.Has("resources") && resources is null ? null : new RedundancyRule(n, false, resources ?? [], rule.Location);
    }

    /// <summary>
    /// <c>availability.downtime</c>: the metric whose intervals count as down (<c>metric</c>, <c>above</c>, optional
    /// <c>minRequests</c>, <c>interval</c>). The interval is from 1 minute to 1 day and divides a day into whole intervals, so
    /// that every day and month starts an interval. Or, for downtime from outages, <c>{ "weight": "affected" }</c>: each
    /// outage's minutes count in proportion to the share of users it affected; the location of <c>weight</c> is returned
    /// then. The two forms do not mix (SLA2056): a measured interval affects no recorded share of users.
    /// </summary>
    private static (MetricDowntime? Rule, SourceLocation? Weight) ReadMetricDowntime(ObjectReader availability)
    {
        if (ObjectReader.Open(availability.Get("downtime"), availability.Source, availability.Bag, "availability.downtime", MetricDowntimeProperties) is not { } downtime)
        {
            return (null, null);
        }

        if (downtime.Has("weight"))
        {
            var weight = Word(downtime, "weight", required: true, "affected");
            if (MetricDowntimeProperties.FirstOrDefault(p => p != "weight" && downtime.Has(p)) is { } metricPart)
            {
                downtime.Bag.Add(
                    DiagnosticCatalog.BadDowntimeWeight,
                    downtime.LocationOf("weight"),
                    $"`availability.downtime.weight` weights outages by the share of users they affected, and `{metricPart}` reads downtime from a metric, whose intervals carry no such share: write one or the other");
                return (null, null);
            }

            return (null, weight is null ? null : downtime.LocationOf("weight"));
        }

        var metric = downtime.String("metric", required: true);

        // Under `"measure": "meanErrorRate"` availability is read from the rates themselves: `above` only marks intervals
        // down (for formulas that count downtime), and without it none is.
        var averaged = availability.Get("measure") is { Type: JTokenType.String } measure && (string)measure! == "meanErrorRate";
        var above = downtime.NumberOrPercentage("above", required: !averaged) ?? (averaged ? decimal.MaxValue : null);
        var minRequests = downtime.Integer("minRequests");
        if (minRequests is < 0)
        {
            downtime.Bag.Add(DiagnosticCatalog.BadDowntimeRule, downtime.LocationOf("minRequests"), "`availability.downtime.minRequests` must not be negative");
            minRequests = null;
        }

        var interval = downtime.Duration("interval", required: true);
        if (interval is { } i && (i < TimeSpan.FromMinutes(1) || i > TimeSpan.FromDays(1) || TimeSpan.FromDays(1).Ticks % i.Ticks != 0))
        {
            downtime.Bag.Add(
                DiagnosticCatalog.BadDowntimeRule,
                downtime.LocationOf("interval"),
                $"`availability.downtime.interval` `{(string)downtime.Get("interval")!}` must be from 1 minute to 1 day and divide a day into whole intervals (`1m`, `5m`, `15m`, `1h`, `1d`, ...)");
            interval = null;
        }

        return (metric is null || above is null || interval is null || (downtime.Has("minRequests") && minRequests is null)
            ? null
            : new MetricDowntime(metric, above.Value, minRequests ?? 0, interval.Value, downtime.Location), null);
    }

    /// <summary>
    /// An availability credit tier: its bound, <c>below</c> (strictly under) or <c>atOrBelow</c> (under or equal), and one
    /// credit form: <c>credit</c> (percent of the fee), <c>daysOfFee</c>, <c>perHourDown</c> or <c>proportional</c>.
    /// </summary>
    private static CreditTier? ReadCreditTier(ObjectReader tier)
    {
        var inclusive = tier.Has("atOrBelow");
        if (inclusive && tier.Has("below"))
        {
            tier.Bag.Add(DiagnosticCatalog.CreditTierBound, tier.Source.Start(tier.Get("atOrBelow")!.Parent!), "this credit tier has both `below` and `atOrBelow`; a tier has one bound");
            return null;
        }

        var bound = tier.Percentage(inclusive ? "atOrBelow" : "below", required: true);
        var forms = CreditForms.Where(tier.Has).ToList();
        if (forms.Count > 1)
        {
            tier.Bag.Add(
                DiagnosticCatalog.CreditTierForm, tier.Source.Start(tier.Get(forms[1])!.Parent!), $"this credit tier has both `{forms[0]}` and `{forms[1]}`; a tier computes its credit one way");
            return null;
        }

        switch (forms.FirstOrDefault() ?? "credit")
        {
            case "credit":
                var credit = tier.Percentage("credit", required: true);
                return bound is null || credit is null ? null : new CreditTier(bound.Value, credit.Value, tier.Location) { Inclusive = inclusive };
            case "daysOfFee":
                var days = tier.Number("daysOfFee");
                if (days is not null and (<= 0 or > 366))
                {
                    tier.Bag.Add(DiagnosticCatalog.BadValue, tier.LocationOf("daysOfFee"), "`daysOfFee` must be more than 0 and at most 366");
                    return null;
                }

                return bound is null || days is null
                    ? null
                    : new CreditTier(bound.Value, 0m, tier.Location) { Inclusive = inclusive, Formula = CreditFormula.DaysOfFee, FormulaValue = days.Value };
            case "perHourDown":
                var rate = tier.Number("perHourDown");
                if (rate is not null and (< 0 or > 1_000_000_000))
                {
                    tier.Bag.Add(DiagnosticCatalog.BadValue, tier.LocationOf("perHourDown"), "`perHourDown` must be an amount from 0 to 10^9");
                    return null;
                }

                return bound is null || rate is null
                    ? null
                    : new CreditTier(bound.Value, 0m, tier.Location) { Inclusive = inclusive, Formula = CreditFormula.PerHourDown, FormulaValue = rate.Value };
            default:
                var factor = tier.Percentage("proportional", allowOver100: true);
                return bound is null || factor is null
                    ? null
                    : new CreditTier(bound.Value, 0m, tier.Location) { Inclusive = inclusive, Formula = CreditFormula.Proportional, FormulaValue = factor.Value };
        }
    }

    /// <summary>
    /// The top-level <c>direction</c> (<c>customer</c> or <c>supplier</c>) and <c>claims</c>: deadline, minimum credit,
    /// future bills only, cap per billing period (a percent string of the fee base, or an amount).
    /// </summary>
    private static void ReadClaimTerms(ObjectReader reader, PolicyDocument document)
    {
        if (Word(reader, "direction", required: false, "customer", "supplier") is { } direction)
        {
            document.Direction = direction == "supplier" ? AgreementDirection.Supplier : AgreementDirection.Customer;
            if (document.Direction == AgreementDirection.Supplier && document.Attainment.Count > 0)
            {
                reader.Bag.Add(DiagnosticCatalog.SupplierAttainment, reader.LocationOf("direction"), "a supplier agreement's attainment terms count the provider's own cases");
            }
        }

        if (ObjectReader.Open(reader.Get("claims"), reader.Source, reader.Bag, "claims", ClaimsProperties) is not { } claims)
        {
            return;
        }

        ClaimDeadline? deadline = null;
        if (ObjectReader.Open(claims.Get("deadline"), claims.Source, claims.Bag, "claims.deadline", DeadlineProperties) is { } written)
        {
            var months = written.Has("months");
            if (months == written.Has("days"))
            {
                claims.Bag.Add(
                    DiagnosticCatalog.BadClaimDeadline, written.Location, months ? "`claims.deadline` has both `months` and `days`" : "`claims.deadline` names neither `months` nor `days`");
            }
            else if (written.Integer(months ? "months" : "days") is { } count)
            {
                if (count is < 1 or > 3660)
                {
                    claims.Bag.Add(DiagnosticCatalog.BadClaimDeadline, written.LocationOf(months ? "months" : "days"), $"`claims.deadline.{(months ? "months" : "days")}` must be from 1 to 3660");
                }
                else
                {
                    deadline = new ClaimDeadline(months ? ClaimDeadlineKind.MonthsAfter : ClaimDeadlineKind.DaysAfter, count, written.Location);
                }
            }
        }

        var minimum = claims.Number("minimumCredit");
        if (minimum is < 0)
        {
            claims.Bag.Add(DiagnosticCatalog.BadValue, claims.LocationOf("minimumCredit"), "`claims.minimumCredit` must not be negative");
            minimum = null;
        }

        var futureBillsOnly = claims.Bool("futureBillsOnly") ?? false;
        decimal? capPercent = null;
        decimal? capAmount = null;
        if (claims.Get("capPerPeriod") is { Type: JTokenType.Integer or JTokenType.Float })
        {
            capAmount = claims.Number("capPerPeriod");
            if (capAmount is < 0)
            {
                claims.Bag.Add(DiagnosticCatalog.BadValue, claims.LocationOf("capPerPeriod"), "`claims.capPerPeriod` must not be negative");
                capAmount = null;
            }
        }
        else
        {
            capPercent = claims.Percentage("capPerPeriod");
        }

        document.Claims = new ClaimTerms(deadline, minimum, futureBillsOnly, capPercent, capAmount, claims.Location);
    }

    /// <summary>
    /// The top-level <c>rollingCreditCap</c>: <c>months</c> (the run's length, 2 to 120) and <c>cap</c> (a percent of the
    /// customer's monthly fee base under the policy).
    /// </summary>
    private static RollingCreditCap? ReadRollingCreditCap(ObjectReader reader)
    {
        if (ObjectReader.Open(reader.Get("rollingCreditCap"), reader.Source, reader.Bag, "rollingCreditCap", RollingCapProperties) is not { } rolling)
        {
            return null;
        }

        var months = rolling.Integer("months");
        if (!rolling.Has("months"))
        {
            rolling.Missing("months");
        }

        var cap = rolling.Percentage("cap", required: true, allowOver100: true);
        if (months is < 2 or > 120)
        {
            rolling.Bag.Add(
                DiagnosticCatalog.BadRollingCreditCap,
                rolling.LocationOf("months"),
                months == 1 ? "`rollingCreditCap.months` of 1 is a month's cap: write `customerCreditCap` instead" : "`rollingCreditCap.months` must be from 2 to 120");
            return null;
        }

        return months is { } m && cap is { } c ? new RollingCreditCap(m, c, rolling.Location) : null;
    }

    private static void ReadPerformance(ObjectReader reader, PolicyDocument document, string definedBy)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in reader.Objects("performance", "performance[]", PerformanceProperties))
        {
            var id = term.String("id");
            if (id is { Length: 0 })
            {
                reader.Bag.Add(DiagnosticCatalog.BadValue, term.LocationOf("id"), "`performance[].id` must not be empty");
                id = null;
            }

            var metric = term.String("metric", required: true);
            var statistic = ReadStatistic(term);
            var (direction, threshold) = ReadBound(term);
            var services = term.Strings("services");
            var creditCap = term.Percentage("creditCap");
            var credits = ReadPerformanceCredits(term, direction, threshold, out var creditsOk);
            if (metric is null || statistic is null || direction is null || threshold is null || !creditsOk
                || (term.Has("services") && services is null) || (term.Has("creditCap") && creditCap is null) || (term.Has("id") && id is null))
            {
                continue;
            }

            // Objectives are matched across layers by id; the default id names the metric and the statistic in
            // its canonical spelling, so `median` in a parent and `p50` in a child are the same objective.
            var key = id ?? $"{metric}-{statistic.Value}";
            if (!ids.Add(key))
            {
                reader.Bag.Add(DiagnosticCatalog.BadValue, id is null ? term.LocationOf("statistic") : term.LocationOf("id"), id is null
                    ? $"two performance objectives on the {statistic.Value} of `{metric}` without ids; give them ids"
                    : $"performance id `{id}` is used twice in this policy");
                continue;
            }

            document.Performance.Add(new PerformanceTerm(
                key, metric, statistic.Value, direction.Value, threshold.Value, services ?? [], credits, creditCap, term.Location, definedBy));
        }
    }

    private static readonly string[] StatisticWords = ["mean", "min", "max", "median"];

    private static PerformanceStatistic? ReadStatistic(ObjectReader term)
    {
        var text = term.String("statistic", required: true);
        if (text is null)
        {
            return null;
        }

        if (PerformanceStatistic.TryParse(text, out var statistic))
        {
            return statistic;
        }

        string? help;
        if (text.Length > 1 && char.ToLowerInvariant(text[0]) == 'p' && decimal.TryParse(text.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            help = "a percentile must be above 0 and at most 100, e.g. `p95` or `p99.9`";
        }
        else
        {
            help = ObjectReader.Suggest(text, StatisticWords) is { } suggestion ? $"did you mean `{suggestion}`?" : null;
        }

        term.Bag.Add(
            DiagnosticCatalog.BadValue,
            term.LocationOf("statistic"),
            $"`performance[].statistic` is `{text}`; allowed: `mean`, `min`, `max`, `median`, or a percentile `pNN` / `pNN.N` with 0 < NN <= 100",
            help);
        return null;
    }

    /// <summary>Exactly one of <c>atMost</c> and <c>atLeast</c>.</summary>
    private static (ObjectiveDirection? Direction, decimal? Threshold) ReadBound(ObjectReader term)
    {
        var hasAtMost = term.Has("atMost");
        var hasAtLeast = term.Has("atLeast");
        if (hasAtMost && hasAtLeast)
        {
            term.Bag.Add(DiagnosticCatalog.BadValue, term.LocationOf("atLeast"), "a performance objective has both `atMost` and `atLeast`; keep one");
            return (null, null);
        }

        if (!hasAtMost && !hasAtLeast)
        {
            term.Bag.Add(DiagnosticCatalog.MissingProperty, term.Location, "missing required property `performance[].atMost` or `performance[].atLeast`");
            return (null, null);
        }

        var direction = hasAtMost ? ObjectiveDirection.AtMost : ObjectiveDirection.AtLeast;
        var threshold = term.NumberOrPercentage(hasAtMost ? "atMost" : "atLeast", required: true);
        return (direction, threshold);
    }

    /// <summary>
    /// Credit tiers: <c>above</c> for an <c>atMost</c> objective, <c>below</c> for an <c>atLeast</c> one. A tier
    /// inside the objective (above 100 for "at most 120") would owe credit on a month that met it, so it is refused.
    /// </summary>
    private static ImmutableArray<PerformanceCreditTier> ReadPerformanceCredits(ObjectReader term, ObjectiveDirection? direction, decimal? threshold, out bool ok)
    {
        ok = true;
        var credits = ImmutableArray.CreateBuilder<PerformanceCreditTier>();
        var array = term.Array("credits");
        if (array is null && term.Get("credits") is { Type: not JTokenType.Null })
        {
            ok = false;
            return [];
        }

        foreach (var item in array ?? [])
        {
            var tier = ObjectReader.Open(item, term.Source, term.Bag, "performance[].credits[]", PerformanceCreditProperties);
            if (tier is null)
            {
                ok = false;
                continue;
            }

            var credit = tier.Percentage("credit", required: true);
            var expected = direction == ObjectiveDirection.AtLeast ? "below" : "above";
            var other = direction == ObjectiveDirection.AtLeast ? "above" : "below";
            // An inclusive bound (`atOrAbove` / `atOrBelow`) is read as the strict one's, with Inclusive set.
            var inclusiveName = direction == ObjectiveDirection.AtLeast ? "atOrBelow" : "atOrAbove";
            var otherInclusive = direction == ObjectiveDirection.AtLeast ? "atOrAbove" : "atOrBelow";
            var inclusive = direction is not null && tier.Has(inclusiveName);
            if (inclusive && tier.Has(expected))
            {
                tier.Bag.Add(DiagnosticCatalog.CreditTierBound, tier.Source.Start(tier.Get(inclusiveName)!.Parent!), $"this credit tier has both `{expected}` and `{inclusiveName}`; a tier has one bound");
                ok = false;
                continue;
            }

            if (direction is not null && tier.Has(otherInclusive))
            {
                other = otherInclusive;
            }

            if (inclusive)
            {
                expected = inclusiveName;
            }

            decimal? bound = null;
            if (direction is null)
            {
                // The objective's own error is reported; still check the tier's values.
                bound = tier.Has("above") ? tier.NumberOrPercentage("above") : tier.NumberOrPercentage("below", required: true);
                ok = false;
            }
            else if (tier.Has(other))
            {
                tier.Bag.Add(
                    DiagnosticCatalog.BadValue,
                    tier.Source.Start(tier.Get(other)!.Parent!),
                    $"an `{(direction == ObjectiveDirection.AtMost ? "atMost" : "atLeast")}` objective's credit tiers use `{expected}`, not `{other}`");
                ok = false;
            }
            else
            {
                bound = tier.NumberOrPercentage(expected, required: true);
                if (bound is { } b && threshold is { } t
                    && (direction == ObjectiveDirection.AtMost ? b < t || (inclusive && b == t) : b > t || (inclusive && b == t)))
                {
                    var number = b.ToString("0.####", CultureInfo.InvariantCulture);
                    var objective = t.ToString("0.####", CultureInfo.InvariantCulture);
                    tier.Bag.Add(
                        DiagnosticCatalog.BadValue,
                        tier.LocationOf(expected),
                        direction == ObjectiveDirection.AtMost
                            ? $"credit tier `{expected}` {number} is {(inclusive ? "at or under" : "under")} the objective `atMost` {objective}; a month that met the objective would owe credit"
                            : $"credit tier `{expected}` {number} is {(inclusive ? "at or over" : "over")} the objective `atLeast` {objective}; a month that met the objective would owe credit");
                    bound = null;
                }
            }

            if (bound is null || credit is null)
            {
                ok = false;
                continue;
            }

            credits.Add(new PerformanceCreditTier(bound.Value, credit.Value, tier.Location) { Inclusive = inclusive });
        }

        return credits.ToImmutable();
    }

    internal static RuleDefinition? ReadRule(JToken item, JsonSource source, DiagnosticBag bag, string path, string definedBy)
    {
        var rule = ObjectReader.Open(item, source, bag, path, RuleProperties);
        if (rule is null)
        {
            return null;
        }

        var name = rule.String("RuleName", required: true);
        var expression = rule.String("Expression");
        var expressionLocation = rule.Get("Expression") is { Type: JTokenType.String } expressionToken
            ? source.StringContentStart(expressionToken)
            : SourceLocation.None;
        var expressionType = rule.String("RuleExpressionType");
        if (expressionType is not null && expressionType != "LambdaExpression")
        {
            bag.Add(DiagnosticCatalog.BadValue, rule.LocationOf("RuleExpressionType"), $"`RuleExpressionType` `{expressionType}` is not supported; use `LambdaExpression` or leave it out");
        }

        var successEvent = rule.String("SuccessEvent");
        var errorMessage = rule.String("ErrorMessage");
        var enabled = rule.Bool("Enabled");
        var op = rule.String("Operator");
        if (op is not null && !Operators.Contains(op, StringComparer.OrdinalIgnoreCase))
        {
            bag.Add(DiagnosticCatalog.BadValue, rule.LocationOf("Operator"), $"`Operator` `{op}` must be one of `And`, `AndAlso`, `Or`, `OrElse`");
        }

        var children = ImmutableArray.CreateBuilder<RuleDefinition>();
        if (rule.Array("Rules") is { } nested)
        {
            foreach (var child in nested)
            {
                if (ReadRule(child, source, bag, $"{path}.Rules[]", definedBy) is { } childRule)
                {
                    children.Add(childRule);
                }
            }
        }

        var hasChildren = rule.Get("Rules") is JArray { Count: > 0 };
        if (expression is null && !hasChildren && !rule.Has("Expression"))
        {
            bag.Add(DiagnosticCatalog.MissingProperty, rule.Location, $"rule `{name}` needs an `Expression` or nested `Rules`");
        }
        else if (expression is not null && hasChildren)
        {
            bag.Add(DiagnosticCatalog.BadValue, rule.LocationOf("Rules"), $"rule `{name}` has both an `Expression` and nested `Rules`; keep one");
        }
        else if (hasChildren && op is null)
        {
            bag.Add(DiagnosticCatalog.MissingProperty, rule.Location, $"rule `{name}` with nested `Rules` needs an `Operator`");
        }

        var localParams = ImmutableArray.CreateBuilder<LocalParam>();
        if (rule.Array("LocalParams") is { } parameters)
        {
            foreach (var parameter in parameters)
            {
                var reader = ObjectReader.Open(parameter, source, bag, $"{path}.LocalParams[]", LocalParamProperties);
                var paramName = reader?.String("Name", required: true);
                var paramExpression = reader?.String("Expression", required: true);
                if (reader is not null && paramName is not null && paramExpression is not null)
                {
                    if (localParams.Any(p => p.Name == paramName))
                    {
                        bag.Add(DiagnosticCatalog.DuplicateParamName, source.Start(parameter), $"`{path}.LocalParams` names `{paramName}` twice");
                        continue;
                    }

                    localParams.Add(new LocalParam(paramName, paramExpression, source.StringContentStart(reader.Get("Expression")!)));
                }
            }
        }

        RuleAction? onSuccess = null;
        RuleAction? onFailure = null;
        if (rule.Get("Actions") is { } actionsToken && ObjectReader.Open(actionsToken, source, bag, $"{path}.Actions", ActionsProperties) is { } actions)
        {
            onSuccess = ReadAction(actions, "OnSuccess");
            onFailure = ReadAction(actions, "OnFailure");
        }

        if (name is null)
        {
            return null;
        }

        return new RuleDefinition(
            name,
            expression,
            successEvent,
            errorMessage,
            enabled ?? true,
            op,
            children.ToImmutable(),
            localParams.ToImmutable(),
            onSuccess,
            onFailure,
            rule.Location,
            expressionLocation,
            definedBy);
    }

    private static RuleAction? ReadAction(ObjectReader actions, string name)
    {
        if (actions.Get(name) is not { } token || ObjectReader.Open(token, actions.Source, actions.Bag, actions.Path(name), ActionProperties) is not { } action)
        {
            return null;
        }

        var actionName = action.String("Name", required: true);
        var context = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (action.Get("Context") is { } contextToken)
        {
            if (contextToken is JObject contextObject)
            {
                foreach (var property in contextObject.Properties())
                {
                    // RulesEngine passes context values through as given; strings keep their text, others their JSON.
                    context[property.Name] = property.Value.Type == JTokenType.String
                        ? (string)property.Value!
                        : property.Value.ToString(Formatting.None);
                }
            }
            else
            {
                action.Bag.Add(DiagnosticCatalog.WrongType, action.LocationOf("Context"), $"`{action.Path("Context")}` must be an object");
            }
        }

        return actionName is null ? null : new RuleAction(actionName, context.ToImmutable()) { Location = actions.LocationOf(name) };
    }

    /// <summary>A string property that must be one of a few words.</summary>
    internal static T? Choice<T>(ObjectReader reader, string name, bool required, params (string Text, T Value)[] choices)
        where T : struct
    {
        var text = reader.String(name, required);
        if (text is null)
        {
            return null;
        }

        foreach (var (choice, value) in choices)
        {
            if (string.Equals(choice, text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        var allowed = string.Join(", ", choices.Select(c => $"`{c.Text}`"));
        var suggestion = ObjectReader.Suggest(text, choices.Select(c => c.Text));
        reader.Bag.Add(
            DiagnosticCatalog.BadValue,
            reader.LocationOf(name),
            $"`{reader.Path(name)}` is `{text}`; allowed: {allowed}",
            suggestion is null ? null : $"did you mean `{suggestion}`?");
        return null;
    }

    /// <summary>A string property that must be one of a few words; returns the word.</summary>
    internal static string? Word(ObjectReader reader, string name, bool required, params string[] words)
    {
        var index = Choice(reader, name, required, [.. words.Select((w, i) => (w, i))]);
        return index is null ? null : words[index.Value];
    }
}
