using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The run-time budget of one rule evaluation. Every way an expression can repeat work costs steps: the compiler
/// injects <see cref="Step{T}"/> into the body of every lambda; the query methods expressions bind to
/// (<see cref="Metered.MeteredEnumerable"/>) charge a step for every element they walk; and a call of a walking instance
/// method (<c>Contains</c>, <c>IndexOf</c>, <c>Split</c>, ...) on a large receiver is charged by its size
/// (<see cref="Charge(string)"/>). There are no other loops (no statements, no recursion, no delegate calls, no generators
/// such as <c>Enumerable.Range</c>), so a rule that exceeds its steps, its memory or its stack stops with
/// <see cref="RuleBudgetExceededException"/>: the rule yields an error result, and the case, the run and the host go on.
/// </summary>
/// <remarks>
/// The counters are per thread: <see cref="Begin"/> starts an evaluation, and evaluations on one thread do not nest.
/// Counting steps, not time, keeps the outcome the same on any machine and under any load.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RuleBudget
{
    /// <summary>Default number of lambda calls one rule evaluation may make.</summary>
    public const int DefaultMaxSteps = 1_000_000;

    /// <summary>Default bytes one rule evaluation may allocate.</summary>
    public const long DefaultMaxAllocatedBytes = 256L * 1024 * 1024;

    // Memory and stack are checked every CheckInterval steps: what one step allocates is what one lambda body or one
    // charged call allocates, and a charged call costs steps in proportion to what it walks.
    private const int CheckInterval = 64;

    [ThreadStatic]
    private static Counters? t_counters;

    /// <summary>Starts the budget of one rule evaluation on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Begin(int maxSteps, long maxAllocatedBytes)
    {
        var c = t_counters ?? NewCounters(maxSteps, maxAllocatedBytes);
        c.Remaining = maxSteps;
        c.UntilCheck = CheckInterval;

        // Read lazily at the first check: most evaluations never get there.
        c.AllocatedAtStart = -1;
        if (c.MaxSteps != maxSteps || c.MaxBytes != maxAllocatedBytes)
        {
            c.MaxSteps = maxSteps;
            c.MaxBytes = maxAllocatedBytes;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Counters NewCounters(int maxSteps, long maxAllocatedBytes) =>
        t_counters = new Counters { MaxSteps = maxSteps, MaxBytes = maxAllocatedBytes };

    // Outside an evaluation (never in practice: generated code runs only under Begin) the default budget applies.
    private static Counters Current => t_counters ?? StartDefault();

    private static Counters StartDefault()
    {
        Begin(DefaultMaxSteps, DefaultMaxAllocatedBytes);
        return t_counters!;
    }

    /// <summary>Counts one step and passes <paramref name="value"/> through. Called only by generated code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Step<T>(T value)
    {
        var c = Current;
        if (--c.Remaining < 0)
        {
            ThrowSteps(c);
        }

        if (--c.UntilCheck <= 0)
        {
            Check(c);
        }

        return value;
    }

    // A walking call on a small receiver is not charged: it costs at most SmallReceiver elements (or 64 times as many
    // characters) of work, and every call an expression makes more than once runs inside a lambda, which costs a step.
    private const int SmallReceiver = 64;

    /// <summary>Charges one step per 64 characters a string method may walk; returns <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Charge(string value)
    {
        if (value is { Length: > SmallReceiver * 64 })
        {
            Steps(value.Length >> 6);
        }

        return value;
    }

    /// <summary>Charges one step per element an array method (<c>Contains</c>, <c>IndexOf</c>) may walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static System.Collections.Immutable.ImmutableArray<T> Charge<T>(System.Collections.Immutable.ImmutableArray<T> value)
    {
        if (!value.IsDefault && value.Length > SmallReceiver)
        {
            Steps(value.Length);
        }

        return value;
    }

    /// <summary>Charges one step per element an array method may walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T[] Charge<T>(T[] value)
    {
        if (value is { Length: > SmallReceiver })
        {
            Steps(value.Length);
        }

        return value;
    }

    /// <summary>Charges one step per element a list method may walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static List<T> Charge<T>(List<T> value)
    {
        if (value is { Count: > SmallReceiver })
        {
            Steps(value.Count);
        }

        return value;
    }

    /// <summary>
    /// Any other receiver: a value whose method does a bounded amount of work (numbers, dates), or a sequence whose
    /// query method is metered element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Charge<T>(T value) => value;

    private static void Steps(int count)
    {
        var c = Current;
        c.Remaining -= count;
        if (c.Remaining < 0)
        {
            ThrowSteps(c);
        }

        c.UntilCheck -= count;
        if (c.UntilCheck <= 0)
        {
            Check(c);
        }
    }

    private static void Check(Counters c)
    {
        c.UntilCheck = CheckInterval;
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        if (c.AllocatedAtStart < 0)
        {
            c.AllocatedAtStart = allocated;
        }
        else if (allocated - c.AllocatedAtStart > c.MaxBytes)
        {
            throw new RuleBudgetExceededException(string.Create(CultureInfo.InvariantCulture, $"the rule exceeded its budget of {c.MaxBytes / (1024 * 1024)} MB allocated in one evaluation"));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSteps(Counters c) =>
        throw new RuleBudgetExceededException(string.Create(CultureInfo.InvariantCulture, $"the rule exceeded its budget of {c.MaxSteps:N0} steps in one evaluation"));

    /// <summary>The budget of the evaluation running on a thread.</summary>
    private sealed class Counters
    {
        public int Remaining;
        public int UntilCheck;
        public int MaxSteps;
        public long AllocatedAtStart;
        public long MaxBytes;
    }
}

/// <summary>A rule evaluation went over its step, memory or stack budget.</summary>
public sealed class RuleBudgetExceededException(string message) : Exception(message);
