namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads subscriptions from JSON Lines: <c>customer</c>, <c>tier</c>, <c>region</c>, <c>service</c>, optional
/// <c>monthlyFee</c> (a number, zero or more; absent or null: the policy's <c>monthlyFee</c> applies) and
/// <c>currency</c>. Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class SubscriptionReader
{
    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<SubscriptionRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        JsonLines.Read(stream, source, limits, InputDescriptions.SubscriptionDescription.Parse);

    /// <summary>Reads a subscriptions file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<SubscriptionRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputFiles.Read(path, stream => Read(stream, path, limits));
}
