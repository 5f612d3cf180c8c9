namespace SlaPolicy.Tests.Cli;

/// <summary>The one reading of times that the commands' <c>--as-of</c> and the API's <c>asOf</c>, <c>from</c> and <c>to</c> share.</summary>
public class InstantTextTests
{
    [Theory]
    [InlineData("2026-11-22T02:00:00Z", "2026-11-22T02:00:00+00:00")]
    [InlineData("2026-11-22T03:00:00+01:00", "2026-11-22T02:00:00+00:00")]
    [InlineData("2026-11-22T03:00+0100", "2026-11-22T02:00:00+00:00")]
    [InlineData(" 2026-11-22T02:00:00.5z ", "2026-11-22T02:00:00.5+00:00")]
    public void TryParseInstant_TimestampWithAnOffset_IsThatInstant(string text, string expected)
    {
        InstantText.TryParseInstant(text, out var instant).ShouldBeTrue();
        instant.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        InstantText.TryParseDateOrInstant(text, out var either).ShouldBeTrue();
        either.ShouldBe(instant);
    }

    [Theory]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22T02:00:00")]
    [InlineData("22/11/2026 02:00 +00:00")]
    [InlineData("2026-11-22T25:00:00Z")]
    [InlineData("tomorrow")]
    [InlineData("")]
    public void TryParseInstant_NoOffsetOrNotATimestamp_IsRefused(string text) =>
        InstantText.TryParseInstant(text, out _).ShouldBeFalse();

    [Fact]
    public void TryParseDateOrInstant_BareDate_IsMidnightUtc()
    {
        InstantText.TryParseDateOrInstant("2026-11-22", out var value).ShouldBeTrue();
        value.ShouldBe(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        InstantText.TryParseDateOrInstant("2026-11-22T02:00:00", out _).ShouldBeFalse();
    }
}
