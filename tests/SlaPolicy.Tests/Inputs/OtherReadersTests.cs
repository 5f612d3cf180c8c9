using static SlaPolicy.Tests.Inputs.InputTestData;

namespace SlaPolicy.Tests.Inputs;

public class OtherReadersTests
{
    private const string Outage = """{"service":"email","region":"eu-west","start":"2026-11-03T02:00:00Z","end":"2026-11-03T02:45:00Z","kind":"unplanned"}""";
    private const string Subscription = """{"customer":"acme","tier":"gold","region":"eu-west","service":"email","monthlyFee":1200.00,"currency":"EUR"}""";
    private const string Measurement = """{"service":"email","region":"eu-west","at":"2026-11-03T02:00:00Z","metric":"latencyMs","value":41.5}""";

    [Fact]
    public void ReadOutage_DesignExample_ReadsEveryField()
    {
        var outage = OutageReader.Read(Utf8(Outage), "outages.jsonl").ToList().ShouldHaveSingleItem().Record.ShouldNotBeNull();

        outage.ShouldBe(new OutageRecord("email", "eu-west", new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 3, 2, 45, 0, TimeSpan.Zero), "unplanned"));
    }

    [Theory]
    [InlineData("\"end\":\"2026-11-03T02:45:00Z\"", "\"end\":\"2026-11-03T01:59:00Z\"", "end", "`end` `2026-11-03T01:59:00+00:00` is before `start` `2026-11-03T02:00:00+00:00`")]
    [InlineData(",\"kind\":\"unplanned\"", "", "kind", "required field `kind` is missing")]
    [InlineData("\"start\":\"2026-11-03T02:00:00Z\"", "\"start\":\"2026-11-03T02:00:00\"", "start", "has no offset")]
    public void ReadOutage_BadRecord_RejectedWithField(string from, string to, string field, string reason)
    {
        var results = OutageReader.Read(Utf8(Outage + "\n" + Outage.Replace(from, to) + "\n" + Outage), "outages.jsonl").ToList();

        results.Count(r => r.IsAccepted).ShouldBe(2);
        var rejected = results[1].Rejected.ShouldNotBeNull();
        rejected.LineNumber.ShouldBe(2);
        rejected.Field.ShouldBe(field);
        rejected.Reason.ShouldContain(reason);
    }

    [Fact]
    public void ReadOutage_ZeroLength_Accepted()
    {
        // [start, start) is empty: harmless, it counts no downtime.
        OutageReader.Read(Utf8(Outage.Replace("02:45:00Z", "02:00:00Z")), "o").ToList().ShouldHaveSingleItem().IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void ReadSubscription_WithAndWithoutFee()
    {
        var text = Subscription + "\n" + Subscription.Replace(",\"monthlyFee\":1200.00,\"currency\":\"EUR\"", "") + "\n" + Subscription.Replace("1200.00", "null");

        var subscriptions = SubscriptionReader.Read(Utf8(text), "subscriptions.jsonl").Select(r => r.Record.ShouldNotBeNull()).ToList();

        subscriptions[0].ShouldBe(new SubscriptionRecord("acme", "gold", "eu-west", "email", 1200.00m, "EUR"));
        subscriptions[1].MonthlyFee.ShouldBeNull();
        subscriptions[1].Currency.ShouldBeNull();
        subscriptions[2].MonthlyFee.ShouldBeNull();
    }

    [Fact]
    public void ReadMeasurement_DesignExample_ReadsEveryField()
    {
        var measurement = MeasurementReader.Read(Utf8(Measurement), "m").ToList().ShouldHaveSingleItem().Record.ShouldNotBeNull();

        measurement.ShouldBe(new MeasurementRecord("email", "eu-west", new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero), "latencyMs", 41.5));
    }

    [Theory]
    [InlineData("subscription", "1200.00", "-1", "monthlyFee", "`monthlyFee` must not be negative")]
    [InlineData("subscription", "1200.00", "\"1200\"", "monthlyFee", "`monthlyFee` must be a number, not a string")]
    [InlineData("subscription", "\"tier\":\"gold\",", "", "tier", "required field `tier` is missing")]
    [InlineData("measurement", "41.5", "\"fast\"", "value", "`value` must be a number, not a string")]
    [InlineData("measurement", "41.5", "1e999", "value", "`value` must be a finite number, not `1e999`")]
    [InlineData("measurement", ",\"metric\":\"latencyMs\"", "", "metric", "required field `metric` is missing")]
    public void ReadSubscriptionOrMeasurement_BadRecord_RejectedWithField(string kind, string from, string to, string field, string reason)
    {
        var rejected = kind == "subscription"
            ? SubscriptionReader.Read(Utf8(Subscription.Replace(from, to)), "s").ToList().ShouldHaveSingleItem().Rejected
            : MeasurementReader.Read(Utf8(Measurement.Replace(from, to)), "m").ToList().ShouldHaveSingleItem().Rejected;

        rejected.ShouldNotBeNull().Field.ShouldBe(field);
        rejected.Reason.ShouldBe(reason);
    }
}
