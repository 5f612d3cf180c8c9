using SlaPolicy.Engine.Inputs;

namespace SlaPolicy.Tests.Support;

internal static class Cases
{
    public static CaseRecord Open(string id, string openedAt, string? resolvedAt = null, string customer = "acme") => new(
        id, customer, "gold", "eu-west", "email", 1, DateTimeOffset.Parse(openedAt), null,
        resolvedAt is null ? null : DateTimeOffset.Parse(resolvedAt), ["vip"],
        [new StatusEvent(DateTimeOffset.Parse(openedAt).AddMinutes(10), "in_progress")]);

    public static string Json(string id, string openedAt, string customer = "acme") =>
        $$"""{"id":"{{id}}","customer":"{{customer}}","tier":"gold","region":"eu-west","service":"email","severity":1,"openedAt":"{{openedAt}}","firstResponseAt":null,"resolvedAt":null,"tags":["vip"],"events":[]}""";
}
