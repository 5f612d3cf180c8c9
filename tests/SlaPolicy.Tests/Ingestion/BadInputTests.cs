using SlaPolicy.Tests.Scheduling;

namespace SlaPolicy.Tests.Ingestion;

/// <summary>
/// Bad input through a running host, by the HTTP API and by the inbox, on SQLite and on PostgreSQL: each bad line is
/// quarantined with its line, field and reason, the good lines of the same batch are stored, and nothing of a bad
/// line is stored half (docs/INPUTS.md "Bad input").
/// </summary>
[Collection(HostCollection.Name)]
public class BadInputTests
{
    private const string Opened = "2026-11-20T16:30:00+01:00";

    private static string CaseLine(string id, string customer = "acme", string region = "eu-west", int severity = 1, string openedAt = Opened,
        string? resolvedAt = null, string events = "[]", string tags = "[\"vip\"]") =>
        $$"""{"id":"{{id}}","customer":"{{customer}}","tier":"gold","region":"{{region}}","service":"email","severity":{{severity}},"openedAt":"{{openedAt}}","firstResponseAt":null,"resolvedAt":{{(resolvedAt is null ? "null" : $"\"{resolvedAt}\"")}},"tags":{{tags}},"events":{{events}}}""";

    private static string Events(int count) =>
        "[" + string.Join(',', Enumerable.Range(0, count).Select(i => $$"""{"at":"2026-11-20T16:{{i % 60:00}}:00+01:00","status":"in_progress"}""")) + "]";

    private static byte[] Join(IEnumerable<byte[]> lines)
    {
        using var body = new MemoryStream();
        foreach (var line in lines)
        {
            body.Write(line);
            body.WriteByte((byte)'\n');
        }

        return body.ToArray();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// Sends a batch each of outages, subscriptions and measurements, each a good line (the one to be stored) followed by
    /// the given bad lines, so the bad ones are lines 2 and on of their batch.
    /// </summary>
    private static async Task SendOtherKinds(RunningHost host, TempFolder folder, Channel channel, string[] outages, string[] subscriptions, string[] measurements)
    {
        await Delivery.Send(host, folder, channel, "outages", [
            """{"service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T02:45:00Z","kind":"unplanned"}""", .. outages]);
        await Delivery.Send(host, folder, channel, "subscriptions", [
            """{"customer":"acme","tier":"gold","region":"eu-west","service":"email","monthlyFee":1234567.89,"currency":"EUR"}""", .. subscriptions]);
        await Delivery.Send(host, folder, channel, "measurements", [
            """{"service":"email","region":"eu-west","at":"2026-11-03T02:00:00Z","metric":"latencyMs","value":41.5}""", .. measurements]);
    }

    [Theory]
    [SqliteChannels]
    [PostgresChannels]
    public async Task Cases_EveryKindOfBadLine_GoodLinesStoredBadOnesQuarantinedWithLineFieldAndReason(StoreKind store, Channel channel)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, store: store);
        var invalidUtf8 = Utf8(CaseLine("B-8", customer: "acme\u00e9")).ToList();
        var at = invalidUtf8.IndexOf(0xC3);
        invalidUtf8[at] = 0xFF; // a lone 0xFF where é began: never valid UTF-8
        var tenMegabytes = CaseLine("B-13", tags: "[\"" + new string('t', 10 * 1024 * 1024) + "\"]");
        var lines = new List<byte[]>
        {
            Utf8(CaseLine("G-1")),                                                          // 1 good
            Utf8("""{"id":"B-2","customer":"acme" """),                                 // 2 malformed JSON
            Utf8(CaseLine("B-3").Replace("\"severity\":1", "\"severity\":\"1\"")),          // 3 wrong type
            Utf8(CaseLine("B-4").Replace("\"customer\":\"acme\",", string.Empty)),          // 4 missing field
            Utf8(CaseLine("B-5", openedAt: "2026-11-20T16:30:00")),                         // 5 no offset
            Utf8(CaseLine("B-6", resolvedAt: "2026-11-20T16:00:00+01:00")),                 // 6 resolved before opened
            Utf8(CaseLine("G-7")),                                                          // 7 good
            invalidUtf8.ToArray(),                                                        // 8 invalid UTF-8
            Utf8(CaseLine(new string('i', 1_000_000))),                                     // 9 a 1 MB id
            Utf8(CaseLine("B-10", customer: new string('c', 1_000_000))),                   // 10 a 1 MB customer
            Utf8(CaseLine("B-11", events: Events(10_001))),                                 // 11 one event over the limit
            Utf8(CaseLine("B-12", events: Events(100_000))),                                // 12 100k events: a 4.6 MB line
            Utf8(tenMegabytes),                                                         // 13 a 10 MB line
            Utf8(CaseLine("B-\\u0000")),                                                    // 14 U+0000 in the id
            Utf8(CaseLine("B-15").Replace("\"firstResponseAt\":null", "\"firstResponseAt\":\"2026-11-20T15:00:00Z\"")), // 15 responded before opened
            Utf8(CaseLine("G-16", events: """[{"at":"2026-11-20T18:00:00+01:00","status":"in_progress"},{"at":"2026-11-20T17:00:00+01:00","status":"waiting_on_customer"}]""")), // 16 good, pause end written before its start
            Utf8(CaseLine("B-17", tags: "[" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"t{i}\"")) + "]")), // 17 101 tags
            Utf8(CaseLine("B-18").Replace("\"tier\":\"gold\"", "\"tier\":null")),           // 18 null in a required field
            Utf8("[1,2]"),                                                              // 19 not an object
        };

        var delivered = await Delivery.Send(host, folder, channel, "cases", Join(lines));

        // Line, field and the heart of the reason of every bad line, in line order.
        (long Line, string? Field, string Reason)[] expected =
        [
            (2, null, "malformed JSON at column"),
            (3, "severity", "`severity` must be a whole number, not a string"),
            (4, "customer", "required field `customer` is missing"),
            (5, "openedAt", "`openedAt` timestamp `2026-11-20T16:30:00` has no offset"),
            (6, "resolvedAt", "`resolvedAt` `2026-11-20T16:00:00+01:00` is before `openedAt` `2026-11-20T16:30:00+01:00`"),
            (8, null, "line is not valid UTF-8: invalid byte 0xFF"),
            (9, "id", "`id` is 1000000 bytes long, over the limit of 4096 bytes"),
            (10, "customer", "`customer` is 1000000 bytes long, over the limit of 4096 bytes"),
            (11, "events", "`events` holds more than 10000 events, the limit"),
            (12, null, $"line is {lines[11].Length} bytes long, over the limit of 1048576 bytes"),
            (13, null, $"line is {lines[12].Length} bytes long, over the limit of 1048576 bytes"),
            (14, "id", "`id` contains the character U+0000, which no text field may hold"),
            (15, "firstResponseAt", "`firstResponseAt` `2026-11-20T15:00:00+00:00` is before `openedAt`"),
            (17, "tags", "`tags` holds more than 100 tags, the limit"),
            (18, "tier", "required field `tier` is null"),
            (19, null, "line is not a JSON object"),
        ];

        if (channel == Channel.Api)
        {
            delivered.Status.ShouldBe(HttpStatusCode.OK);
            var answer = delivered.Answer!.Value;
            answer.GetProperty("accepted").GetInt64().ShouldBe(3);
            answer.GetProperty("rejectedCount").GetInt64().ShouldBe(expected.Length);
            answer.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("line").GetInt64(), r.GetProperty("field").GetString()))
                .ShouldBe(expected.Select(e => (e.Line, e.Field)));
        }
        else
        {
            delivered.Folder.ShouldBe("processed");
        }

        // The good lines, whole; nothing of a bad one.
        host.Store.ReadCases().Select(c => c.Id).ShouldBe(["G-1", "G-16", "G-7"]);
        host.CountRows("cases").ShouldBe(3);
        host.Store.GetCase("G-16")!.Events.Select(e => e.Status).ShouldBe(["waiting_on_customer", "in_progress"]);

        var quarantine = host.Store.GetQuarantine(100).OrderBy(q => q.Record.LineNumber).ToList();
        quarantine.Select(q => (q.Record.LineNumber, q.Record.Field)).ShouldBe(expected.Select(e => (e.Line, e.Field)));
        foreach (var (entry, (line, _, reason)) in quarantine.Zip(expected))
        {
            entry.Record.Reason.ShouldContain(reason, Case.Sensitive, $"line {line}");
        }

        // Absurd lines keep their first 4 KiB and their length, not megabytes; ordinary ones are kept whole.
        foreach (var entry in quarantine)
        {
            var original = lines[(int)entry.Record.LineNumber - 1];
            if (original.Length > 64 * 1024)
            {
                entry.Record.RawText.Length.ShouldBeLessThan(4096 + 40);
                entry.Record.RawText.ShouldEndWith($"… ({original.Length} bytes in all)");
            }
            else if (entry.Record.LineNumber is not (8 or 14))
            {
                entry.Record.RawText.ShouldBe(Encoding.UTF8.GetString(original));
            }
        }

        // The invalid byte shows as U+FFFD, and U+0000 stays escaped as it was written.
        quarantine.Single(q => q.Record.LineNumber == 8).Record.RawText.ShouldContain("acme\uFFFD");
        quarantine.Single(q => q.Record.LineNumber == 14).Record.RawText.ShouldContain("B-\\u0000");
    }

    [Theory]
    [SqliteChannels]
    [PostgresChannels]
    public async Task EveryKind_SurrogatesDatesOutsideTheWindowDuplicateKeysAndAbsurdNumbers_QuarantinedTheRestStored(StoreKind store, Channel channel)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, store: store);

        await Delivery.Send(host, folder, channel, "cases", [
            CaseLine("G-1"),
            CaseLine("B-\\ud800"),
            CaseLine("B-3", customer: "\\udc00"),
            CaseLine("B-4", openedAt: "9999-12-31T23:59:59Z"),
            CaseLine("B-5", events: """[{"at":"2026-11-20T17:00:00+01:00","status":"in_progress","status":"waiting_on_customer"}]"""),
            CaseLine("B-6", events: """[{"at":"2026-11-20T17:00:00+01:00","status":"\ud800"}]"""),
            CaseLine("INC/2026/0007"),
        ]);
        await SendOtherKinds(host, folder, channel,
            outages: ["""{"service":"email","region":"eu-west","start":"2026-11-04T02:00:00Z","end":"9999-12-31T23:59:59Z","kind":"unplanned"}""", """{"service":"email","region":"eu-west","start":"2026-11-05T02:00:00Z","end":"2026-11-05T03:00:00Z","kind":"\udc00"}"""],
            subscriptions: ["""{"customer":"acme","tier":"gold","region":"us-east","service":"email","monthlyFee":1e20}""", """{"customer":"acme","tier":"gold","region":"apac-in","service":"email","monthlyFee":79228162514264337593543950335}"""],
            measurements: ["""{"service":"email","region":"eu-west","at":"2026-11-03T08:00:00Z","metric":"latencyMs","value":7.8e27}""", """{"service":"email","region":"eu-west","at":"2026-11-03T09:00:00Z","metric":"latencyMs","value":1,"value":2}"""]);

        host.Store.ReadCases().Select(c => c.Id).ShouldBe(["G-1", "INC/2026/0007"]);
        host.CountRows("outages").ShouldBe(1);
        host.Store.ReadSubscriptions().ShouldHaveSingleItem().MonthlyFee.ShouldBe(1234567.89m);
        host.CountRows("measurements").ShouldBe(1);
        host.Store.GetQuarantine(100).Select(q => (q.Record.LineNumber, q.Record.Field)).ShouldBe(ignoreOrder: true, expected: [
            (2L, "id"), (3L, "customer"), (4L, "openedAt"), (5L, "events[0].status"), (6L, "events[0].status"),
            (2L, "end"), (3L, "kind"),
            (2L, "monthlyFee"), (3L, "monthlyFee"),
            (2L, "value"), (3L, "value"),
        ]);
    }

    [Theory]
    [SqliteChannels]
    [PostgresChannels]
    public async Task OutagesSubscriptionsMeasurements_BadLines_GoodStoredBadQuarantined(StoreKind store, Channel channel)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, store: store);

        await SendOtherKinds(host, folder, channel,
            outages: ["""{"service":"email","region":"eu-west","start":"2026-11-04T02:00:00Z","end":"2026-11-04T01:59:00Z","kind":"unplanned"}""", """{"service":"email","region":"eu-west","start":"2026-11-05T02:00:00","end":"2026-11-05T03:00:00Z","kind":"unplanned"}"""],
            subscriptions: ["""{"customer":"acme","tier":"gold","region":"us-east","service":"email","monthlyFee":"1200"}""", """{"customer":"acme","tier":"gold","region":"apac-in","service":"email","monthlyFee":-1}"""],
            measurements: ["""{"service":"email","region":"eu-west","at":"2026-11-03T08:00:00Z","metric":"latencyMs","value":1e999}""", """{"service":"email","region":"eu-west","at":"2026-11-03T08:00:00Z","value":40}"""]);

        host.CountRows("outages").ShouldBe(1);
        host.CountRows("subscriptions").ShouldBe(1);
        host.CountRows("measurements").ShouldBe(1);
        host.Store.GetQuarantine(100).Select(q => (q.Record.LineNumber, q.Record.Field, q.Record.Reason)).ShouldBe(ignoreOrder: true, expected: [
            (2L, "monthlyFee", "`monthlyFee` must be a number, not a string"),
            (3L, "monthlyFee", "`monthlyFee` must not be negative"),
            (2L, "end", "`end` `2026-11-04T01:59:00+00:00` is before `start` `2026-11-04T02:00:00+00:00`"),
            (3L, "start", "`start` timestamp `2026-11-05T02:00:00` has no offset; write one, e.g. `2026-11-20T16:30:00+01:00` or `2026-11-20T15:30:00Z`"),
            (2L, "value", "`value` must be a finite number, not `1e999`"),
            (3L, "metric", "required field `metric` is missing"),
        ]);
    }

    [Theory]
    [SqliteChannels]
    [PostgresChannels]
    public async Task DuplicateIds_WithinABatchAndAcrossBatches_TheLaterRecordReplacesTheEarlierWhole(StoreKind store, Channel channel)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, store: store);
        var paused = """[{"at":"2026-11-20T16:40:00+01:00","status":"waiting_on_customer"}]""";

        // Within one batch: the second C-1 (severity 2, no events) replaces the first (severity 1, one pause).
        await Delivery.Send(host, folder, channel, "cases", [CaseLine("C-1", events: paused), CaseLine("C-2"), CaseLine("C-1", severity: 2)]);

        host.CountRows("cases").ShouldBe(2);
        var first = host.Store.GetCase("C-1")!;
        first.Severity.ShouldBe(2);
        first.Events.ShouldBeEmpty();
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T17:00:00%2B01:00", string.Empty))).EnsureSuccessStatusCode();
        Targets(await LatestDecisions(host, "C-1")).ShouldBe(["sev2-resolution", "sev2-response"]);

        // Across batches: C-1 sent again as severity 1 with its pause replaces the stored one, events included, and the
        // next run decides the new version (sev1 targets); C-2 is untouched.
        await Delivery.Send(host, folder, channel, "cases", [CaseLine("C-1", events: paused)]);

        host.CountRows("cases").ShouldBe(2);
        var second = host.Store.GetCase("C-1")!;
        second.Severity.ShouldBe(1);
        second.Events.Select(e => e.Status).ShouldBe(["waiting_on_customer"]);
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-21T17:00:00%2B01:00", string.Empty))).EnsureSuccessStatusCode();
        Targets(await LatestDecisions(host, "C-1")).ShouldBe(["sev1-resolution", "sev1-response"]);
    }

    [Theory]
    [SqliteChannels]
    [PostgresChannels]
    public async Task CaseNoPolicyCovers_IsStoredAndDecidedNoPolicy(StoreKind store, Channel channel)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, store: store);

        // `acme-gold` covers acme in any region and `gold` any gold case, so the uncovered case is of a customer, tier,
        // region and service that no policy names.
        var uncovered = CaseLine("C-MARS", customer: "nobody", region: "mars")
            .Replace("\"service\":\"email\"", "\"service\":\"teleport\"").Replace("\"tier\":\"gold\"", "\"tier\":\"platinum\"");
        await Delivery.Send(host, folder, channel, "cases", [CaseLine("C-1"), uncovered]);
        (await host.Client.SendAsync(host.Post("/api/runs?asOf=2026-11-20T17:00:00%2B01:00", string.Empty))).EnsureSuccessStatusCode();

        host.Store.GetCase("C-MARS")!.Region.ShouldBe("mars");
        var noPolicy = JsonDocument.Parse(await host.Client.GetStringAsync("/api/decisions?status=no-policy")).RootElement;
        var decision = noPolicy.EnumerateArray().ShouldHaveSingleItem().GetProperty("decision");
        decision.GetProperty("caseId").GetString().ShouldBe("C-MARS");
        decision.GetProperty("explanation")[0].GetProperty("kind").GetString().ShouldBe("no-policy");
        host.Store.GetQuarantine().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [PostgresData]
    public async Task PostCases_BodyOverTheLimit_Is413WithAJsonErrorAndNothingWritten(StoreKind store)
    {
        using var folder = new TempFolder();
        await using var host = await RunningHost.StartAsync(folder, new Dictionary<string, string?> { ["Api:MaxBodyBytes"] = "1000" }, store: store);
        var body = string.Join('\n', Enumerable.Range(1, 20).Select(i => CaseLine($"C-{i}"))) + "\n{not json";

        var delivered = await Delivery.Send(host, folder, Channel.Api, "cases", Utf8(body));

        delivered.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        delivered.Answer!.Value.GetProperty("error").GetString()!.ShouldContain("`Api:MaxBodyBytes` (1000 bytes)");
        host.CountRows("cases").ShouldBe(0);
        host.CountRows("quarantine").ShouldBe(0);
    }

    private static async Task<JsonElement> LatestDecisions(RunningHost host, string caseId) =>
        JsonDocument.Parse(await host.Client.GetStringAsync($"/api/cases/{caseId}/why")).RootElement.GetProperty("decisions");

    private static List<string?> Targets(JsonElement decisions) =>
        [.. decisions.EnumerateArray().Select(d => d.GetProperty("decision").GetProperty("target").GetString()).Order(StringComparer.Ordinal)];
}
