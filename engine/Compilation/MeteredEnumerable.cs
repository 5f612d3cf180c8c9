using System.ComponentModel;

namespace SlaPolicy.Engine.Compilation.Metered;

/// <summary>
/// The query methods rule expressions call: each of System.Linq's allowed operators (the names in
/// <see cref="ExpressionSandbox"/>), with every sequence it reads, and every sequence it returns, metered by
/// <see cref="Meter{T}"/>, so each element any query walks costs one budget step. Generated code imports this class and not
/// System.Linq, so <c>ticket.Tags.Any(...)</c> binds here. The overloads are those of <see cref="Enumerable"/>, one for
/// one, minus span, index-range and async ones; SlaPolicy.Generators writes them (MeteredOperatorsGenerator) for the
/// names in <see cref="Operators"/>, so each follows the one rule and a new overload of System.Linq comes metered.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[MeteredOperators(Operators)]
public static partial class MeteredEnumerable
{
    /// <summary>
    /// The operators of System.Linq that rule expressions may call (<see cref="ExpressionSandbox"/> allows these names):
    /// no generators, no Aggregate, nothing that builds a hash set or dictionary.
    /// </summary>
    internal const string Operators = "Any All Count LongCount Where Select SelectMany Sum Min Max Average MinBy MaxBy First FirstOrDefault "
        + "Last LastOrDefault Single SingleOrDefault Contains Distinct DistinctBy OrderBy OrderByDescending ThenBy ThenByDescending "
        + "Order OrderDescending Take Skip TakeWhile SkipWhile TakeLast SkipLast ToArray ToList ElementAt ElementAtOrDefault Concat "
        + "Reverse DefaultIfEmpty GroupBy Except Intersect Union SequenceEqual Append Prepend Zip";

    /// <summary>Passes the elements of <paramref name="source"/> through, one budget step each.</summary>
    public static IEnumerable<T> Meter<T>(IEnumerable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Walk(source);

        static IEnumerable<T> Walk(IEnumerable<T> source)
        {
            foreach (var item in source)
            {
                yield return RuleBudget.Step(item);
            }
        }
    }
}

/// <summary>
/// Asks SlaPolicy.Generators to write, into the partial class it marks, a metered overload of every overload of
/// System.Linq's operators named in <paramref name="names"/> (separated by spaces).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class MeteredOperatorsAttribute(string names) : Attribute
{
    public string Names { get; } = names;
}
