using System.Collections.Immutable;
using SlaPolicy.Engine.Compilation;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

/// <summary>The trace's compiled readers read what reflection would, and nothing an expression could not read.</summary>
public class ReadPathTests
{
    [Fact]
    public void Read_MemberChain_ReadsTheValueBoxed()
    {
        var path = new ReadPath("ticket.OpenedAt.Hour", -1);

        path.Read(Case()).ShouldBe(16);
        path.Read(null).ShouldBeNull();
    }

    [Fact]
    public void Read_NullOnTheWay_IsNull()
    {
        var path = new ReadPath("clock.StoppedAt.Value.Hour", -1);

        path.Read(Clock(10)).ShouldBeNull();
        path.Read(Clock(10, stopped: true)).ShouldBe(20);
    }

    [Fact]
    public void Read_MemberNoExpressionMayRead_IsNull()
    {
        // A record's EqualityContract is a Type: not on the allow-list, so the trace does not read it either.
        new ReadPath("ticket.EqualityContract", -1).Read(Case()).ShouldBeNull();
        new ReadPath("ticket.NoSuchMember", -1).Read(Case()).ShouldBeNull();
    }

    [Fact]
    public void Read_RootOfAnotherTypeNext_ReadsThatType()
    {
        var path = new ReadPath("input1.Length", -1);

        path.Read("abc").ShouldBe(3);
        path.Read(new[] { 1, 2 }).ShouldBe(2);
        path.Read("abcd").ShouldBe(4);
    }

    [Theory]
    [InlineData("ticket.Tags.Where(t => t.StartsWith(\"v\")).Select(t => t.ToUpperInvariant()).Contains(\"VIP\")")]
    [InlineData("Math.Max(clock.ElapsedMinutes, 1) / 60 > 2 || clock.Elapsed > TimeSpan.FromHours(2)")]
    [InlineData("ticket.OpenedAt.DayOfWeek == DayOfWeek.Friday && ticket.OpenedAt.ToUniversalTime().Hour >= 15")]
    [InlineData("ticket . Severity <= 2 && ticket.Tags.Contains(\"ticket.Id\") && policy.Id == \"x\"")]
    [InlineData("period != null && (period.Service == \"email\" || period.Service == \"chat\") && period.AvailabilityPercent < 99.5")]
    [InlineData("clock.IsStopped && clock.Elapsed <= TimeSpan.FromMinutes(15) && target.Id != ticket.Customer.ToString()")]
    [InlineData("input1.Severity == 1 && input1.ResponseMinutes <= 15 && myParam > input1.Nested.Value")]
    public void ScanPaths_FindsWhatTheParserFinds(string expression)
    {
        ImmutableArray<string> roots = ["ticket", "clock", "target", "policy", "period", "input1"];
        ImmutableArray<string> scope = ["myParam"];

        RuleTrace.ScanPaths(expression, roots, scope).ShouldBe(RuleTrace.ReadPaths(expression, roots, scope));
    }

    [Fact]
    public void ScanPaths_DynamicLinqText_FindsItsPaths() =>
        RuleTrace.ScanPaths("input1.Severity = 1 AND np(input1.Tier) <> \"x\" and input1.Tags.Any(t => t == \"input1.No\")", ["input1"], [])
            .ShouldBe(["input1.Severity", "input1.Tier", "input1.Tags"]);
}
