using System.Globalization;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Explanations;

namespace SlaPolicy.Tests.Explanations;

/// <summary>
/// The digit-by-digit writers of the explanations' instants, periods, lengths and percentages give exactly what the
/// invariant culture's formats give, over values spread across years, offsets (west and east of UTC, half hours) and
/// magnitudes, the awkward ones included (tenths that are not exact in binary, fractions, negative zero).
/// </summary>
public sealed class ExplanationFormattingTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static IEnumerable<DateTimeOffset> Instants()
    {
        var random = new Random(5);
        int[] offsets = [-600, -330, -60, 0, 60, 330, 345, 840];
        for (var i = 0; i < 5_000; i++)
        {
            var utc = new DateTime(random.NextInt64(new DateTime(1, 1, 2).Ticks, new DateTime(9999, 12, 30).Ticks), DateTimeKind.Utc);
            yield return new DateTimeOffset(utc).ToOffset(TimeSpan.FromMinutes(offsets[i % offsets.Length]));
        }
    }

    [Fact]
    public void LocalStamp_AnyInstantAndOffset_IsTheCustomFormat()
    {
        foreach (var local in Instants())
        {
            new LocalStamp(local).ToString().ShouldBe(local.ToString("yyyy-MM-dd HH:mm zzz", Invariant));
            $"at {new LocalStamp(local)}.".ShouldBe($"at {local.ToString("yyyy-MM-dd HH:mm zzz", Invariant)}.");
        }
    }

    [Fact]
    public void LocalPeriod_SameDayOtherDayOtherOffset_WritesTheSharedPartsOnce()
    {
        var instants = Instants().ToList();
        for (var i = 1; i < instants.Count; i++)
        {
            var from = instants[i];

            // The same day (a few minutes later), another day with the same offset, and another offset.
            foreach (var to in new[] { from.AddMinutes(i % 50), from.AddDays(1 + (i % 40)), instants[i - 1] })
            {
                string expected;
                if (from.Offset != to.Offset)
                {
                    expected = $"{from.ToString("yyyy-MM-dd HH:mm zzz", Invariant)} to {to.ToString("yyyy-MM-dd HH:mm zzz", Invariant)}";
                }
                else
                {
                    var end = from.Date == to.Date ? to.ToString("HH:mm", Invariant) : to.ToString("yyyy-MM-dd HH:mm", Invariant);
                    expected = $"{from.ToString("yyyy-MM-dd HH:mm", Invariant)} to {end} {to.ToString("zzz", Invariant)}";
                }

                new LocalPeriod(from, to).ToString().ShouldBe(expected);
            }
        }
    }

    [Fact]
    public void CaseZone_Local_IsTheZonedTimeOfTheInstant()
    {
        // Berlin: +01:00 in winter, +02:00 in summer, the change at 01:00 UTC on the last Sunday of March and October.
        var berlin = CaseZone.Of("Europe/Berlin", DateTimeOffset.UnixEpoch);
        berlin.Local(DateTimeOffset.Parse("2026-03-29T00:59:00Z", Invariant)).ShouldBe(DateTimeOffset.Parse("2026-03-29T01:59:00+01:00", Invariant));
        berlin.Local(DateTimeOffset.Parse("2026-03-29T01:00:00Z", Invariant)).Offset.ShouldBe(TimeSpan.FromHours(2));
        berlin.Format(DateTimeOffset.Parse("2026-10-25T00:30:00Z", Invariant)).ShouldBe("2026-10-25 02:30 +02:00");
        berlin.Format(DateTimeOffset.Parse("2026-10-25T01:30:00Z", Invariant)).ShouldBe("2026-10-25 02:30 +01:00");

        // Before 1893 Berlin kept local mean time, +00:53:28: not whole minutes, told as the zone library tells it.
        berlin.Local(DateTimeOffset.Parse("1850-06-01T12:00:00Z", Invariant)).ShouldBe(
            NodaTime.Instant.FromDateTimeOffset(DateTimeOffset.Parse("1850-06-01T12:00:00Z", Invariant)).InZone(NodaTime.DateTimeZoneProviders.Tzdb["Europe/Berlin"]).ToDateTimeOffset());
    }

    private static IEnumerable<double> Numbers()
    {
        double[] awkward = [0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.05, 2.675, 73.3, 462.5, 66.66666666666667, 99.95, 59, 60, 61, 1439, 1440, 2880, 4320.5, 1e14 + 0.5, 1e15, 1e16, -15, double.NaN];
        foreach (var value in awkward)
        {
            yield return value;
        }

        var random = new Random(9);
        for (var i = 0; i < 20_000; i++)
        {
            var magnitude = Math.Pow(10, random.Next(0, 8));
            yield return i % 3 == 0 ? Math.Round(random.NextDouble() * magnitude, random.Next(0, 4)) : i % 3 == 1 ? random.Next(0, 100_000) : random.NextDouble() * magnitude;
        }
    }

    [Fact]
    public void MinutesText_AnyLength_IsTheFormerSentence()
    {
        static string Former(double minutes) => minutes switch
        {
            _ when minutes % 1440 == 0 && minutes >= 1440 => $"{(minutes / 1440).ToString("0.##", Invariant)}d ({minutes.ToString("0.##", Invariant)} min)",
            _ when minutes % 60 == 0 && minutes >= 60 => $"{(minutes / 60).ToString("0.##", Invariant)}h ({minutes.ToString("0.##", Invariant)} min)",
            _ => $"{minutes.ToString("0.##", Invariant)} min",
        };

        foreach (var minutes in Numbers())
        {
            new ExplanationBuilder.MinutesText(minutes).ToString().ShouldBe(Former(minutes), $"{minutes:R}");
        }
    }

    [Fact]
    public void PercentTexts_AnyValue_AreTheNumberFormats()
    {
        foreach (var value in Numbers())
        {
            new ExplanationBuilder.PercentUsedText(value).ToString().ShouldBe(value.ToString("0.#", Invariant), $"{value:R}");
            if (double.IsFinite(value) && Math.Abs(value) < 1e15)
            {
                var percent = (decimal)value;
                new ExplanationBuilder.PercentText(percent).ToString().ShouldBe(percent.ToString("0.##", Invariant) + "%", $"{percent}");
            }
        }
    }
}
