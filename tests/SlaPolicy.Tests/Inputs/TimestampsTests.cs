namespace SlaPolicy.Tests.Inputs;

public class TimestampsTests
{
    [Theory]
    [InlineData("2026-11-20T16:30:00+01:00", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20T16:30+01:00", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20T15:30:00Z", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20t15:30:00z", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20T21:00:00+05:30", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20T10:30:00-05:00", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20T15:30:00.5Z", "2026-11-20T15:30:00.5Z")]
    [InlineData("2026-11-20T15:30:00.1234567Z", "2026-11-20T15:30:00.1234567Z")]
    [InlineData("2028-02-29T00:00:00Z", "2028-02-29T00:00:00Z")]
    public void TryParse_WithOffset_ReadsTheInstant(string text, string expectedUtc)
    {
        Timestamps.TryParse(Encoding.UTF8.GetBytes(text), "at", out var value, out var reason).ShouldBeTrue(reason);

        value.UtcDateTime.ShouldBe(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);
    }

    [Theory]
    [InlineData("2026-11-20T16:30:00")]
    [InlineData("2026-11-20T16:30")]
    [InlineData("2026-11-20T16:30:00.123")]
    [InlineData("2026-11-20")]
    public void TryParse_WithoutOffset_RejectedAsMissingOffsetNeverGuessed(string text)
    {
        Timestamps.TryParse(Encoding.UTF8.GetBytes(text), "openedAt", out _, out var reason).ShouldBeFalse();

        reason.ShouldBe($"`openedAt` timestamp `{text}` has no offset; write one, e.g. `2026-11-20T16:30:00+01:00` or `2026-11-20T15:30:00Z`");
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("20/11/2026 16:30 +01:00")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2027-02-29T00:00:00Z")]
    [InlineData("2026-11-20T24:00:00Z")]
    [InlineData("2026-11-20T16:30:00+15:00")]
    [InlineData("2026-11-20T16:30:00+0100")]
    [InlineData("2026-11-20T16:30:00Z junk")]
    [InlineData("2026-11-20 16:30:00Z")]
    public void TryParse_NotIso8601_Rejected(string text)
    {
        Timestamps.TryParse(Encoding.UTF8.GetBytes(text), "at", out _, out var reason).ShouldBeFalse();

        reason.ShouldNotBeNull().ShouldContain("`at`");
    }
}
