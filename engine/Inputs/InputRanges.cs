using System.Globalization;

namespace SlaPolicy.Engine.Inputs;

/// <summary>
/// The accepted range of every numeric and time field of the inputs (docs/INPUTS.md "Ranges"). A value outside its
/// range is rejected when read, with the field and the range named, so that nothing accepted can overflow later
/// (a fee in whole cents, a sum of measurements, a clock running to the end of time).
/// </summary>
public static class InputRanges
{
    /// <summary>The first instant accepted in any timestamp field, inclusive: 1970-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset EarliestInstant = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The end of the accepted window, exclusive: 2200-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset EndOfWindow = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The largest monthly fee accepted, inclusive: one trillion (10^12) in any currency.</summary>
    public const decimal MaxMonthlyFee = 1_000_000_000_000m;

    /// <summary>The largest magnitude of a measurement value, inclusive: 10^15 (whatever the unit).</summary>
    public const double MaxMeasurementMagnitude = 1e15;

    /// <summary>The largest request count of a measurement (<c>requests</c>, <c>failed</c>), inclusive: 10^15.</summary>
    public const decimal MaxRequestCount = 1_000_000_000_000_000m;

    /// <summary>True when <paramref name="value"/> lies in [<see cref="EarliestInstant"/>, <see cref="EndOfWindow"/>).</summary>
    public static bool InWindow(DateTimeOffset value) => value >= EarliestInstant && value < EndOfWindow;

    /// <summary>The window as rejections name it.</summary>
    public static string WindowText { get; } =
        $"from {EarliestInstant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} up to {EndOfWindow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
}
