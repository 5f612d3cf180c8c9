using NodaTime;

namespace SlaPolicy.Engine.Inputs.Generation;

/// <summary>
/// Generates measurements deterministically from a seed: for every service in every region of the sample world,
/// a <c>latencyMs</c> and a <c>packetDeliveryPercent</c> sample every <c>interval</c> over a month (UTC).
/// </summary>
/// <remarks>
/// Latency has a base per region (eu-west 35 ms, us-east 45 ms, apac-in 80 ms), noise, and rare spikes; network
/// in apac-in is worse (frequent spikes and lower delivery) so that the sample performance objectives have
/// something to find.
/// </remarks>
public static class MeasurementGenerator
{
    /// <summary>Measurements for the month starting <paramref name="month"/>, in time order, lazily.</summary>
    public static IEnumerable<MeasurementRecord> Generate(int seed, YearMonth month, Duration interval)
    {
        var random = new Random(seed);
        var start = month.OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        var end = month.PlusMonths(1).OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        for (var at = start; at < end; at += interval)
        {
            foreach (var region in SampleWorld.Regions)
            {
                foreach (var service in SampleWorld.Services)
                {
                    var poor = service == "network" && region.Id == "apac-in";
                    var baseLatency = region.Id switch { "eu-west" => 35.0, "us-east" => 45.0, _ => 80.0 } + (service == "crm" ? 20 : 0);
                    var spike = random.NextDouble() < (poor ? 0.12 : 0.02) ? baseLatency * (1.5 + (random.NextDouble() * 3)) : 0;
                    var latency = Math.Round(baseLatency * (0.85 + (random.NextDouble() * 0.3)) + spike, 1);
                    var delivery = Math.Round(poor ? 99.0 + (random.NextDouble() * 0.99) : 99.8 + (random.NextDouble() * 0.199), 3);
                    var timestamp = at.ToDateTimeOffset();
                    yield return new MeasurementRecord(service, region.Id, timestamp, "latencyMs", latency);
                    yield return new MeasurementRecord(service, region.Id, timestamp, "packetDeliveryPercent", delivery);
                }
            }
        }
    }
}
