using System.Collections.Immutable;
using NodaTime;

namespace SlaPolicy.Engine.Inputs.Generation;

/// <summary>A customer of the sample world: its tier and the regions it buys in.</summary>
public sealed record SampleCustomer(string Id, string Tier, ImmutableArray<string> Regions, int Weight);

/// <summary>
/// A region of the sample world: its time zone and office hours, as the sample calendars define them
/// (<c>policies/calendars/</c>). <see cref="OpenDays"/> are ISO days (Monday = 1); hours are local, start
/// inclusive, end exclusive.
/// </summary>
public sealed record SampleRegion(string Id, string TimeZoneId, ImmutableArray<IsoDayOfWeek> OpenDays, ImmutableArray<(LocalTime Start, LocalTime End)> Hours)
{
    /// <summary>The region's time zone from the embedded IANA database (the same on every machine).</summary>
    public DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb[TimeZoneId];
}

/// <summary>
/// The customers, regions, services and statuses that the sample data and the sample policies share.
/// </summary>
public static class SampleWorld
{
    private static readonly ImmutableArray<IsoDayOfWeek> MondayToFriday =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    public static ImmutableArray<SampleCustomer> Customers { get; } =
    [
        new("acme", "gold", ["eu-west", "us-east"], 4),
        new("globex", "silver", ["us-east"], 3),
        new("initech", "bronze", ["apac-in", "eu-west"], 3),
        new("umbrella", "gold", ["apac-in"], 2),
    ];

    public static ImmutableArray<SampleRegion> Regions { get; } =
    [
        new("eu-west", "Europe/Berlin", MondayToFriday, [(new LocalTime(8, 0), new LocalTime(17, 0))]),
        new("us-east", "America/New_York", MondayToFriday, [(new LocalTime(9, 0), new LocalTime(12, 0)), (new LocalTime(13, 0), new LocalTime(18, 0))]),
        new("apac-in", "Asia/Kolkata", [.. MondayToFriday, IsoDayOfWeek.Saturday], [(new LocalTime(9, 30), new LocalTime(18, 30))]),
    ];

    public static ImmutableArray<string> Services { get; } = ["email", "crm", "network"];

    /// <summary>Statuses of case events; the two <c>waiting_on_*</c> statuses pause clocks in the sample policies.</summary>
    public static ImmutableArray<string> Statuses { get; } = ["new", "in_progress", "waiting_on_customer", "waiting_on_third_party", "resolved"];

    public static SampleRegion Region(string id) => Regions.First(r => r.Id == id);
}
