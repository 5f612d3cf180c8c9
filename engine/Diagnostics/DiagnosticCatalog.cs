namespace SlaPolicy.Engine.Diagnostics;

/// <summary>
/// Every diagnostic the engine can report. Codes are stable; each is documented in docs/DIAGNOSTICS.md
/// (a test checks that every code here appears there).
/// Ranges: SLA1xxx reading files, SLA2xxx policy model and layering, SLA3xxx scopes and versions,
/// SLA4xxx expressions and the sandbox, SLA5xxx workflows, SLA6xxx worked examples.
/// </summary>
public static class DiagnosticCatalog
{
    private static DiagnosticDescriptor Error(string code, string title, string help) => new(code, DiagnosticSeverity.Error, title, help);

    // SLA1xxx: reading files
    public static readonly DiagnosticDescriptor MalformedJson = Error("SLA1001", "malformed JSON", "fix the JSON syntax at the position shown");
    public static readonly DiagnosticDescriptor UnknownProperty = Error("SLA1002", "unknown property", "check the spelling against policies/policy.schema.json");
    public static readonly DiagnosticDescriptor WrongType = Error("SLA1003", "value of the wrong type", "see the property's type in policies/policy.schema.json");
    public static readonly DiagnosticDescriptor MissingProperty = Error("SLA1004", "required property missing", "add the property");
    public static readonly DiagnosticDescriptor UnreadableFile = Error("SLA1005", "file cannot be read", "check that the file exists and is readable");
    public static readonly DiagnosticDescriptor PropertyCase = new("SLA1006", DiagnosticSeverity.Warning, "property name written in another case", "write the name as shown; it is read ignoring case, as Newtonsoft-based RulesEngine loaders do");

    // SLA2xxx: values, calendars, layering
    public static readonly DiagnosticDescriptor BadDuration = Error("SLA2001", "bad duration", "write whole numbers followed by `d`, `h`, `m` or `s`, largest first (`15m`, `1h30m`, `30s`), or business days alone (`2bd`)");
    public static readonly DiagnosticDescriptor BadPercentage = Error("SLA2002", "bad percentage", "write a number followed by `%`, e.g. `99.9%`");
    public static readonly DiagnosticDescriptor UnknownTimeZone = Error("SLA2003", "unknown time zone", "use an IANA time zone id such as `Europe/Berlin`");
    public static readonly DiagnosticDescriptor InvalidHours = Error("SLA2004", "invalid business hours", "write day ranges such as `mon-fri` and hours such as `09:00-12:00,13:00-18:00`");
    public static readonly DiagnosticDescriptor UnknownCalendar = Error("SLA2005", "unknown calendar", "define the calendar in `calendars/` or fix its id");
    public static readonly DiagnosticDescriptor MissingParent = Error("SLA2006", "missing parent policy", "the policy named in `extends` must exist");
    public static readonly DiagnosticDescriptor CyclicExtends = Error("SLA2007", "cyclic extends", "break the cycle of `extends`");
    public static readonly DiagnosticDescriptor DuplicateTargetId = Error("SLA2008", "duplicate target id", "give each target of a policy its own id");
    public static readonly DiagnosticDescriptor BadDate = Error("SLA2009", "bad date", "write dates as `YYYY-MM-DD`");
    public static readonly DiagnosticDescriptor BadValue = Error("SLA2010", "bad value", "see the allowed values in policies/policy.schema.json");
    public static readonly DiagnosticDescriptor DuplicateCalendarId = Error("SLA2011", "duplicate calendar id", "give each calendar its own id");
    public static readonly DiagnosticDescriptor MissingCalendar = Error("SLA2012", "business clock without a calendar", "name a `calendar` in the policy or a parent");

    // SLA2040-SLA2049: severities, credit tiers and claims
    public static readonly DiagnosticDescriptor SeverityBeyondCases = new("SLA2040", DiagnosticSeverity.Warning, "severity no case can carry", "cases carry severities 1 to 4 (docs/INPUTS.md); a term for a higher severity never applies");
    public static readonly DiagnosticDescriptor CreditTierBound = Error("SLA2041", "credit tier with two bounds", "write `below` (strictly under) or `atOrBelow` (under or equal), not both");
    public static readonly DiagnosticDescriptor CreditTierForm = Error("SLA2042", "credit tier with several credit forms", "write one of `credit`, `daysOfFee`, `perHourDown` or `proportional`");
    public static readonly DiagnosticDescriptor BadClaimDeadline = Error("SLA2043", "bad claim deadline", "write `{ \"months\": N }` (the end of the Nth month after the month of the incident) or `{ \"days\": N }` (N days after the month ends), N at least 1");
    public static readonly DiagnosticDescriptor SupplierAttainment = new("SLA2044", DiagnosticSeverity.Warning, "supplier agreement with attainment terms", "attainment counts the provider's own cases; a supplier's response times are not among them, so the term never counts anything");

    // SLA2050-SLA2059: availability terms (downtime from metrics, scope, several objectives, redundancy, windows, single outages)
    public static readonly DiagnosticDescriptor BadDowntimeRule = Error("SLA2050", "bad downtime rule", "`downtime.interval` is from `1m` to `1d` and divides a day (`5m`, `1h`); `minRequests` is 0 or more");
    public static readonly DiagnosticDescriptor RequestsWithoutMetric = Error("SLA2051", "availability by requests without a metric", "name the metric whose samples carry `requests` and `failed` in `availability.downtime.metric`");
    public static readonly DiagnosticDescriptor AvailabilityObjectiveId = Error("SLA2052", "availability objective without a unique id", "when `availability` is an array, give each objective its own `id` (e.g. `standard`, `infrequent-access`)");
    public static readonly DiagnosticDescriptor BadRedundancy = Error("SLA2053", "bad redundancy rule", "write `\"downWhen\": { \"resourcesDown\": 2 }`, or `{ \"resourcesDown\": \"all\", \"resources\": [\"zone-a\", \"zone-b\"] }`; not with `\"scope\": \"resource\"`");
    public static readonly DiagnosticDescriptor BusinessHoursWithoutCalendar = Error("SLA2054", "availability over business hours without a calendar", "name a `calendar` in the policy or a parent, or remove `\"hours\": \"business\"`");
    public static readonly DiagnosticDescriptor BadMaxOutage = Error("SLA2055", "bad single-outage rule", "write `\"maxOutage\": { \"longerThan\": \"4h\", \"credit\": \"10%\" }` or with `\"perHourDown\": 100` instead of `credit`");
    public static readonly DiagnosticDescriptor BadDowntimeWeight = Error("SLA2056", "downtime weighted by users affected read from a metric", "`\"downtime\": { \"weight\": \"affected\" }` weights outages by their `affected` share; leave out `metric`, `above`, `minRequests` and `interval`, or the weight");
    public static readonly DiagnosticDescriptor DeployedByRequests = Error("SLA2057", "minutes deployed as the denominator of availability by requests", "`\"denominator\": \"deployed\"` applies to availability as a share of time; remove it or `\"measure\": \"requests\"`");

    // SLA2060-SLA2064: weekly windows and rolling credit caps
    public static readonly DiagnosticDescriptor BadRollingCreditCap = Error("SLA2060", "bad rolling credit cap", "write `\"rollingCreditCap\": { \"months\": 12, \"cap\": \"100%\" }`: `months` from 2 to 120 (a one-month cap is `customerCreditCap`), `cap` a percent of the customer's monthly fee base");
    public static readonly DiagnosticDescriptor BadWeekZone = Error("SLA2061", "bad week zone", "`zone` names the IANA time zone (`Europe/Berlin`) whose Mondays start the weeks of `\"window\": \"calendarWeek\"`; other windows have no weeks");
    public static readonly DiagnosticDescriptor BusinessDaysOn24x7 = Error("SLA2020", "business days on a 24x7 clock", "a `bd` target needs `\"clock\": \"business\"` and a calendar");
    public static readonly DiagnosticDescriptor BadHolidayFile = Error("SLA2021", "holiday file cannot be used", "name a `.json` holiday list or an `.ics` file inside the policy directory, relative to the calendar file");
    public static readonly DiagnosticDescriptor BadIcs = Error("SLA2022", "bad iCalendar file", "fix the line shown; each event needs `BEGIN:VEVENT`, a `DTSTART` and `END:VEVENT`");
    public static readonly DiagnosticDescriptor TimedIcsEvent = new("SLA2023", DiagnosticSeverity.Warning, "iCalendar event with a time of day left out", "a file in `holidays` closes whole days only: name it in the calendar's `closures` to close the event's span, or write `DTSTART;VALUE=DATE:...`");
    public static readonly DiagnosticDescriptor ClosureFileNotIcs = Error("SLA2024", "closure file is not iCalendar", "`closures` names `.ics` files, whose events close the calendar for their span; days and yearly rules belong in `holidays`");
    // SLA2030-SLA2039: clock conditions, reopens, severity changes
    public static readonly DiagnosticDescriptor BadClockCondition = Error("SLA2030", "bad clock condition", "write `{ \"status\": \"assigned\" }` (with `type`, `public` and `author` if needed) for an event, or `{ \"field\": \"firstResponseAt\" }` for a case timestamp");
    public static readonly DiagnosticDescriptor ReopenOnFirstResponse = Error("SLA2031", "reopen rule on a first-response target", "`reopen` applies to resolution targets: a reopen resumes or restarts the resolution clock");
    public static readonly DiagnosticDescriptor ConditionStatusTypo = new("SLA2032", DiagnosticSeverity.Warning, "condition status a small edit away from a known status", "statuses compare exactly (case-sensitive): write the status as the cases carry it");
    public static readonly DiagnosticDescriptor UpdateRule = Error("SLA2034", "reopen or severity rule on an update target", "an update target judges every gap until the resolution: remove `reopen` and `severityChange`, or use a resolution target");
    public static readonly DiagnosticDescriptor UpdateOnField = Error("SLA2035", "update on a case timestamp", "an update is an event that recurs: write `{ \"type\": \"reply\", \"public\": true }` (or another event condition) as the target's `stop`");
    public static readonly DiagnosticDescriptor NextReplyRule = Error("SLA2036", "reopen or severity rule on a next-reply target", "a next-reply target judges every wait for a reply until the resolution: remove `reopen` and `severityChange`, or use a resolution target");
    public static readonly DiagnosticDescriptor NextReplyOnField = Error("SLA2037", "customer message or reply on a case timestamp", "messages and replies recur: write `{ \"author\": \"customer\" }` as the target's `start` and `{ \"author\": \"agent\", \"public\": true }` (or other event conditions) as its `stop`");
    public static readonly DiagnosticDescriptor FieldPause = Error("SLA2033", "pause on a case timestamp", "a pause runs between status events: write `{ \"status\": [...] }`");

    // SLA3xxx: scopes and versions
    public static readonly DiagnosticDescriptor OverlappingVersions = Error("SLA3001", "overlapping effective ranges", "versions of one policy id must not be in effect at the same time");
    public static readonly DiagnosticDescriptor AmbiguousScope = Error("SLA3002", "equally specific policies overlap", "make one policy more specific or narrow one scope");
    public static readonly DiagnosticDescriptor DuplicateVersion = Error("SLA3003", "duplicate policy version", "each version of a policy id must be unique");
    public static readonly DiagnosticDescriptor ReviewDue = new("SLA3004", DiagnosticSeverity.Warning, "policy review due", "review the agreement, then write a new version or move `reviewBy`");
    public static readonly DiagnosticDescriptor ReviewOverdue = new("SLA3005", DiagnosticSeverity.Warning, "policy review overdue", "review the agreement, then write a new version or move `reviewBy`");
    public static readonly DiagnosticDescriptor EndedWithOpenCases = new("SLA3006", DiagnosticSeverity.Warning, "policy ended with cases still open", "the open cases are still judged by the version in effect when they were opened; close them, or agree how they are judged");

    // SLA4xxx: expressions and the sandbox
    public static readonly DiagnosticDescriptor ExpressionSyntax = Error("SLA4001", "expression does not parse", "expressions are C#; Dynamic LINQ `AND`, `OR`, `NOT` are accepted");
    public static readonly DiagnosticDescriptor ExpressionType = Error("SLA4002", "expression does not compile", "check member names and types of the inputs");
    public static readonly DiagnosticDescriptor ForbiddenApi = Error("SLA4003", "expression uses a forbidden API", "expressions may use only their inputs, primitives, string, Math, date and time types and LINQ");
    public static readonly DiagnosticDescriptor ForbiddenConstruct = Error("SLA4004", "expression uses a forbidden construct", "expressions may not use `dynamic`, unsafe code, local functions or recursion");
    public static readonly DiagnosticDescriptor NotBoolean = Error("SLA4005", "expression is not a boolean", "a rule expression must evaluate to `true` or `false`");
    public static readonly DiagnosticDescriptor NotSingleExpression = Error("SLA4006", "text is not a single expression", "an expression may not contain statements, braces that close the rule, or comments");
    public static readonly DiagnosticDescriptor ExpressionLimit = Error("SLA4008", "expression exceeds a limit", "expressions may be 4,096 characters long, nest brackets 32 deep and lambdas 2 deep; split the term into LocalParams");
    public static readonly DiagnosticDescriptor CompileBudget = Error("SLA4009", "rules took too long to compile", "simplify the expressions with nested lambdas, or raise `RuleCompilerOptions.CompileBudget`");
    public static readonly DiagnosticDescriptor CachedAssemblyUnusable = new("SLA4007", DiagnosticSeverity.Warning, "compiled rule cache entry could not be used", "the rules were compiled again; delete the cache directory if this repeats");

    // SLA5xxx: workflows
    public static readonly DiagnosticDescriptor DuplicateRuleName = Error("SLA5001", "duplicate rule name", "rule names must be unique within a workflow");
    public static readonly DiagnosticDescriptor BadSuccessEvent = Error("SLA5002", "bad success event", "`escalate:N` needs a whole number level");
    public static readonly DiagnosticDescriptor MissingWorkflow = Error("SLA5003", "unknown workflow", "name a workflow defined in the files");
    public static readonly DiagnosticDescriptor EmptyWorkflow = Error("SLA5004", "workflow has no rules", "add at least one rule or name workflows in `WorkflowsToInject`");
    public static readonly DiagnosticDescriptor DuplicateWorkflowName = Error("SLA5005", "duplicate workflow name", "give each workflow its own `WorkflowName`");
    public static readonly DiagnosticDescriptor UnsupportedAction = Error("SLA5006", "unsupported action", "actions are `OutputExpression` (context `Expression`) and `EvaluateRule` (context `workflowName`, `ruleName`); under the rulesengine executor also the custom actions registered in `RulesEngineSettings.CustomActions`");
    public static readonly DiagnosticDescriptor MissingRuleBody = Error("SLA5007", "rule has neither an expression nor nested rules", "give the rule an `Expression`, or an `Operator` with nested `Rules`");
    public static readonly DiagnosticDescriptor BadOperator = Error("SLA5008", "unknown operator", "use `And`, `AndAlso`, `Or` or `OrElse`");
    public static readonly DiagnosticDescriptor DuplicateParamName = Error("SLA5010", "duplicate parameter name", "give each of a workflow's `GlobalParams`, and each of a rule's `LocalParams`, its own `Name`");
    public static readonly DiagnosticDescriptor NestedRulesWithoutOperator = Error("SLA5009", "nested rules without an operator", "give the rule an `Operator` (`And` or `Or`) to combine its `Rules`, or remove them");

    // SLA6xxx: worked examples (policies/tests/*.json)
    public static readonly DiagnosticDescriptor BadExample = Error("SLA6001", "bad example", "see the example format in docs/EXAMPLES.md");
    public static readonly DiagnosticDescriptor BadExampleRecord = Error("SLA6002", "bad record in an example", "write the record as the input format says (docs/INPUTS.md)");
    public static readonly DiagnosticDescriptor UnknownExampleName = Error("SLA6003", "example names something the policies do not have", "name a target, rule, case or credit that exists");
}
