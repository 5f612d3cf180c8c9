namespace SlaPolicy.Tests.Inputs;

internal static class RejectionStyle
{
    /// <summary>One sentence, no capital, no final period, no line break.</summary>
    public static void ShouldFollowMessageStyle(string reason)
    {
        reason.ShouldNotBeEmpty();
        char.IsUpper(reason[0]).ShouldBeFalse(reason);
        reason.ShouldNotEndWith(".");
        reason.ShouldNotContain("\n");
    }
}
