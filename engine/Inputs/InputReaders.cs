namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// Reads outages from JSON Lines: <c>service</c>, <c>region</c>, <c>start</c>, <c>end</c> (not before
/// <c>start</c>; the outage is [start, end)), <c>kind</c> (e.g. <c>unplanned</c>, <c>maintenance</c>,
/// <c>customer-caused</c>), optional <c>id</c> and <c>resource</c> (<see cref="InputDescriptions.Outages"/>).
/// Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class OutageReader
{
    /// <inheritdoc cref="RecordDescription{TRecord}.Read"/>
    public static IEnumerable<InputResult<OutageRecord>> Read(Stream stream, string source, InputLimits? limits = null) => InputDescriptions.Outages.Read(stream, source, limits);

    /// <inheritdoc cref="RecordDescription{TRecord}.ReadFile"/>
    public static IEnumerable<InputResult<OutageRecord>> ReadFile(string path, InputLimits? limits = null) => InputDescriptions.Outages.ReadFile(path, limits);
}

/// <summary>
/// Reads measurements from JSON Lines: <c>service</c>, <c>region</c>, <c>at</c>, <c>metric</c> (e.g.
/// <c>latencyMs</c>, <c>packetDeliveryPercent</c>) and a finite number <c>value</c>
/// (<see cref="InputDescriptions.Measurements"/>). Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class MeasurementReader
{
    /// <inheritdoc cref="RecordDescription{TRecord}.ReadFile"/>
    public static IEnumerable<InputResult<MeasurementRecord>> ReadFile(string path, InputLimits? limits = null) => InputDescriptions.Measurements.ReadFile(path, limits);

    /// <inheritdoc cref="RecordDescription{TRecord}.Read"/>
    public static IEnumerable<InputResult<MeasurementRecord>> Read(Stream stream, string source, InputLimits? limits = null) => InputDescriptions.Measurements.Read(stream, source, limits);
}

/// <summary>
/// Reads subscriptions from JSON Lines (<see cref="InputDescriptions.Subscriptions"/>): <c>customer</c>, <c>tier</c>,
/// <c>region</c>, <c>service</c>, optional <c>monthlyFee</c> (a number, zero or more; absent or null: the policy's
/// <c>monthlyFee</c> applies) and <c>currency</c>. Unknown properties are ignored. Lazy, single-pass, flat memory.
/// </summary>
public static class SubscriptionReader
{
    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="source"/> names it in rejections.</summary>
    public static IEnumerable<InputResult<SubscriptionRecord>> Read(Stream stream, string source, InputLimits? limits = null) =>
        InputDescriptions.Subscriptions.Read(stream, source, limits);

    /// <summary>Reads a subscriptions file; it stays open until the enumeration ends or is disposed.</summary>
    public static IEnumerable<InputResult<SubscriptionRecord>> ReadFile(string path, InputLimits? limits = null) =>
        InputDescriptions.Subscriptions.ReadFile(path, limits);
}
