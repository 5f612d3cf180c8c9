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
}
