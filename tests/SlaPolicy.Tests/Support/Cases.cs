namespace SlaPolicy.Tests.Support;

/// <summary>
/// Cases for host tests. Under the sample policies an acme / gold / eu-west / email case of severity 1 is governed
/// by `acme-gold` (targets inherited from `gold`: first response within 15 min and resolution within 4 h, 24x7;
/// escalation ladder of `corporate-baseline`: 50% notify, 75% level 2, 100% level 3; a `vip` tag escalates to 3).
/// </summary>
internal static class Cases
{
    public static CaseRecord Open(string id, string openedAt, string? resolvedAt = null, string customer = "acme", string[]? tags = null) => new(
        id, customer, "gold", "eu-west", "email", 1, DateTimeOffset.Parse(openedAt), null,
        resolvedAt is null ? null : DateTimeOffset.Parse(resolvedAt), tags is null ? ["vip"] : [.. tags],
        [new StatusEvent(DateTimeOffset.Parse(openedAt).AddMinutes(10), "in_progress")]);

    public static string Json(string id, string openedAt, string customer = "acme", string? firstResponseAt = null) =>
        $$"""{"id":"{{id}}","customer":"{{customer}}","tier":"gold","region":"eu-west","service":"email","severity":1,"openedAt":"{{openedAt}}","firstResponseAt":{{(firstResponseAt is null ? "null" : $"\"{firstResponseAt}\"")}},"resolvedAt":null,"tags":["vip"],"events":[]}""";
}
