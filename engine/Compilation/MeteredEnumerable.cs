// Nullable annotations are those of System.Linq.Enumerable, which these overloads pass through unchanged.
#nullable disable

using System.ComponentModel;

namespace SlaPolicy.Engine.Compilation.Metered;

/// <summary>
/// The query methods rule expressions call: each of System.Linq's allowed operators (the names in
/// <see cref="ExpressionSandbox"/>), with every sequence it reads, and every sequence it returns, metered by
/// <see cref="Meter{T}"/>, so each element any query walks costs one budget step. Generated code imports this class and not
/// System.Linq, so <c>ticket.Tags.Any(...)</c> binds here. The overloads are those of <see cref="Enumerable"/>, one for
/// one, minus span, index-range and async ones.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MeteredEnumerable
{
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

    public static bool All<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.All(Meter(source), predicate);

    public static bool Any<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.Any(Meter(source), predicate);

    public static bool Any<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.Any(Meter(source));

    public static global::System.Collections.Generic.IEnumerable<TSource> Append<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource element) => Meter(global::System.Linq.Enumerable.Append(Meter(source), element));

    public static double Average(this global::System.Collections.Generic.IEnumerable<double> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static double Average(this global::System.Collections.Generic.IEnumerable<int> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static double Average(this global::System.Collections.Generic.IEnumerable<long> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static double Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static double Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static double Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static float Average(this global::System.Collections.Generic.IEnumerable<float> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static float Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static decimal Average(this global::System.Collections.Generic.IEnumerable<decimal> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static decimal Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static decimal? Average(this global::System.Collections.Generic.IEnumerable<decimal?> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static decimal? Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal?> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static double? Average(this global::System.Collections.Generic.IEnumerable<double?> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static double? Average(this global::System.Collections.Generic.IEnumerable<int?> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static double? Average(this global::System.Collections.Generic.IEnumerable<long?> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static double? Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double?> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static double? Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int?> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static double? Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long?> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static float? Average(this global::System.Collections.Generic.IEnumerable<float?> source) => global::System.Linq.Enumerable.Average(Meter(source));

    public static float? Average<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float?> selector) => global::System.Linq.Enumerable.Average(Meter(source), selector);

    public static global::System.Collections.Generic.IEnumerable<TSource> Concat<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second) => Meter(global::System.Linq.Enumerable.Concat(Meter(first), Meter(second)));

    public static bool Contains<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource value, global::System.Collections.Generic.IEqualityComparer<TSource> comparer) => global::System.Linq.Enumerable.Contains(Meter(source), value, comparer);

    public static bool Contains<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource value) => global::System.Linq.Enumerable.Contains(Meter(source), value);

    public static int Count<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.Count(Meter(source), predicate);

    public static int Count<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.Count(Meter(source));

    public static global::System.Collections.Generic.IEnumerable<TSource> DefaultIfEmpty<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource defaultValue) => Meter(global::System.Linq.Enumerable.DefaultIfEmpty(Meter(source), defaultValue));

    public static global::System.Collections.Generic.IEnumerable<TSource> DefaultIfEmpty<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => Meter(global::System.Linq.Enumerable.DefaultIfEmpty(Meter(source)));

    public static global::System.Collections.Generic.IEnumerable<TSource> Distinct<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Collections.Generic.IEqualityComparer<TSource> comparer) => Meter(global::System.Linq.Enumerable.Distinct(Meter(source), comparer));

    public static global::System.Collections.Generic.IEnumerable<TSource> Distinct<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => Meter(global::System.Linq.Enumerable.Distinct(Meter(source)));

    public static global::System.Collections.Generic.IEnumerable<TSource> DistinctBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IEqualityComparer<TKey> comparer) => Meter(global::System.Linq.Enumerable.DistinctBy(Meter(source), keySelector, comparer));

    public static global::System.Collections.Generic.IEnumerable<TSource> DistinctBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => Meter(global::System.Linq.Enumerable.DistinctBy(Meter(source), keySelector));

    public static TSource ElementAt<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, int index) => global::System.Linq.Enumerable.ElementAt(Meter(source), index);

    public static TSource ElementAtOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, int index) => global::System.Linq.Enumerable.ElementAtOrDefault(Meter(source), index);

    public static global::System.Collections.Generic.IEnumerable<TSource> Except<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second, global::System.Collections.Generic.IEqualityComparer<TSource> comparer) => Meter(global::System.Linq.Enumerable.Except(Meter(first), Meter(second), comparer));

    public static global::System.Collections.Generic.IEnumerable<TSource> Except<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second) => Meter(global::System.Linq.Enumerable.Except(Meter(first), Meter(second)));

    public static TSource First<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.First(Meter(source), predicate);

    public static TSource First<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.First(Meter(source));

    public static TSource FirstOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate, TSource defaultValue) => global::System.Linq.Enumerable.FirstOrDefault(Meter(source), predicate, defaultValue);

    public static TSource FirstOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.FirstOrDefault(Meter(source), predicate);

    public static TSource FirstOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource defaultValue) => global::System.Linq.Enumerable.FirstOrDefault(Meter(source), defaultValue);

    public static TSource FirstOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.FirstOrDefault(Meter(source));

    public static global::System.Collections.Generic.IEnumerable<global::System.Linq.IGrouping<TKey, TElement>> GroupBy<TSource, TKey, TElement>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Func<TSource, TElement> elementSelector, global::System.Collections.Generic.IEqualityComparer<TKey> comparer) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, elementSelector, comparer));

    public static global::System.Collections.Generic.IEnumerable<global::System.Linq.IGrouping<TKey, TElement>> GroupBy<TSource, TKey, TElement>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Func<TSource, TElement> elementSelector) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, elementSelector));

    public static global::System.Collections.Generic.IEnumerable<global::System.Linq.IGrouping<TKey, TSource>> GroupBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IEqualityComparer<TKey> comparer) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, comparer));

    public static global::System.Collections.Generic.IEnumerable<global::System.Linq.IGrouping<TKey, TSource>> GroupBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector));

    public static global::System.Collections.Generic.IEnumerable<TResult> GroupBy<TSource, TKey, TElement, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Func<TSource, TElement> elementSelector, global::System.Func<TKey, global::System.Collections.Generic.IEnumerable<TElement>, TResult> resultSelector, global::System.Collections.Generic.IEqualityComparer<TKey> comparer) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, elementSelector, resultSelector, comparer));

    public static global::System.Collections.Generic.IEnumerable<TResult> GroupBy<TSource, TKey, TElement, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Func<TSource, TElement> elementSelector, global::System.Func<TKey, global::System.Collections.Generic.IEnumerable<TElement>, TResult> resultSelector) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, elementSelector, resultSelector));

    public static global::System.Collections.Generic.IEnumerable<TResult> GroupBy<TSource, TKey, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Func<TKey, global::System.Collections.Generic.IEnumerable<TSource>, TResult> resultSelector, global::System.Collections.Generic.IEqualityComparer<TKey> comparer) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, resultSelector, comparer));

    public static global::System.Collections.Generic.IEnumerable<TResult> GroupBy<TSource, TKey, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Func<TKey, global::System.Collections.Generic.IEnumerable<TSource>, TResult> resultSelector) => Meter(global::System.Linq.Enumerable.GroupBy(Meter(source), keySelector, resultSelector));

    public static global::System.Collections.Generic.IEnumerable<TSource> Intersect<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second, global::System.Collections.Generic.IEqualityComparer<TSource> comparer) => Meter(global::System.Linq.Enumerable.Intersect(Meter(first), Meter(second), comparer));

    public static global::System.Collections.Generic.IEnumerable<TSource> Intersect<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second) => Meter(global::System.Linq.Enumerable.Intersect(Meter(first), Meter(second)));

    public static TSource Last<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.Last(Meter(source), predicate);

    public static TSource Last<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.Last(Meter(source));

    public static TSource LastOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate, TSource defaultValue) => global::System.Linq.Enumerable.LastOrDefault(Meter(source), predicate, defaultValue);

    public static TSource LastOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.LastOrDefault(Meter(source), predicate);

    public static TSource LastOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource defaultValue) => global::System.Linq.Enumerable.LastOrDefault(Meter(source), defaultValue);

    public static TSource LastOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.LastOrDefault(Meter(source));

    public static long LongCount<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.LongCount(Meter(source), predicate);

    public static long LongCount<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.LongCount(Meter(source));

    public static double Max(this global::System.Collections.Generic.IEnumerable<double> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static double Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static int Max(this global::System.Collections.Generic.IEnumerable<int> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static int Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static long Max(this global::System.Collections.Generic.IEnumerable<long> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static long Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static float Max(this global::System.Collections.Generic.IEnumerable<float> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static float Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static decimal Max(this global::System.Collections.Generic.IEnumerable<decimal> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static decimal Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static decimal? Max(this global::System.Collections.Generic.IEnumerable<decimal?> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static decimal? Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal?> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static double? Max(this global::System.Collections.Generic.IEnumerable<double?> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static double? Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double?> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static int? Max(this global::System.Collections.Generic.IEnumerable<int?> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static int? Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int?> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static long? Max(this global::System.Collections.Generic.IEnumerable<long?> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static long? Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long?> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static float? Max(this global::System.Collections.Generic.IEnumerable<float?> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static float? Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float?> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static TResult Max<TSource, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TResult> selector) => global::System.Linq.Enumerable.Max(Meter(source), selector);

    public static TSource Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Collections.Generic.IComparer<TSource> comparer) => global::System.Linq.Enumerable.Max(Meter(source), comparer);

    public static TSource Max<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.Max(Meter(source));

    public static TSource MaxBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IComparer<TKey> comparer) => global::System.Linq.Enumerable.MaxBy(Meter(source), keySelector, comparer);

    public static TSource MaxBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => global::System.Linq.Enumerable.MaxBy(Meter(source), keySelector);

    public static double Min(this global::System.Collections.Generic.IEnumerable<double> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static double Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static int Min(this global::System.Collections.Generic.IEnumerable<int> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static int Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static long Min(this global::System.Collections.Generic.IEnumerable<long> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static long Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static float Min(this global::System.Collections.Generic.IEnumerable<float> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static float Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static decimal Min(this global::System.Collections.Generic.IEnumerable<decimal> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static decimal Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static decimal? Min(this global::System.Collections.Generic.IEnumerable<decimal?> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static decimal? Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal?> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static double? Min(this global::System.Collections.Generic.IEnumerable<double?> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static double? Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double?> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static int? Min(this global::System.Collections.Generic.IEnumerable<int?> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static int? Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int?> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static long? Min(this global::System.Collections.Generic.IEnumerable<long?> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static long? Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long?> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static float? Min(this global::System.Collections.Generic.IEnumerable<float?> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static float? Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float?> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static TResult Min<TSource, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TResult> selector) => global::System.Linq.Enumerable.Min(Meter(source), selector);

    public static TSource Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Collections.Generic.IComparer<TSource> comparer) => global::System.Linq.Enumerable.Min(Meter(source), comparer);

    public static TSource Min<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.Min(Meter(source));

    public static TSource MinBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IComparer<TKey> comparer) => global::System.Linq.Enumerable.MinBy(Meter(source), keySelector, comparer);

    public static TSource MinBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => global::System.Linq.Enumerable.MinBy(Meter(source), keySelector);

    public static global::System.Linq.IOrderedEnumerable<T> Order<T>(this global::System.Collections.Generic.IEnumerable<T> source, global::System.Collections.Generic.IComparer<T> comparer) => global::System.Linq.Enumerable.Order(Meter(source), comparer);

    public static global::System.Linq.IOrderedEnumerable<T> Order<T>(this global::System.Collections.Generic.IEnumerable<T> source) => global::System.Linq.Enumerable.Order(Meter(source));

    public static global::System.Linq.IOrderedEnumerable<TSource> OrderBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IComparer<TKey> comparer) => global::System.Linq.Enumerable.OrderBy(Meter(source), keySelector, comparer);

    public static global::System.Linq.IOrderedEnumerable<TSource> OrderBy<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => global::System.Linq.Enumerable.OrderBy(Meter(source), keySelector);

    public static global::System.Linq.IOrderedEnumerable<TSource> OrderByDescending<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IComparer<TKey> comparer) => global::System.Linq.Enumerable.OrderByDescending(Meter(source), keySelector, comparer);

    public static global::System.Linq.IOrderedEnumerable<TSource> OrderByDescending<TSource, TKey>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => global::System.Linq.Enumerable.OrderByDescending(Meter(source), keySelector);

    public static global::System.Linq.IOrderedEnumerable<T> OrderDescending<T>(this global::System.Collections.Generic.IEnumerable<T> source, global::System.Collections.Generic.IComparer<T> comparer) => global::System.Linq.Enumerable.OrderDescending(Meter(source), comparer);

    public static global::System.Linq.IOrderedEnumerable<T> OrderDescending<T>(this global::System.Collections.Generic.IEnumerable<T> source) => global::System.Linq.Enumerable.OrderDescending(Meter(source));

    public static global::System.Collections.Generic.IEnumerable<TSource> Prepend<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource element) => Meter(global::System.Linq.Enumerable.Prepend(Meter(source), element));

    public static global::System.Collections.Generic.IEnumerable<TSource> Reverse<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => Meter(global::System.Linq.Enumerable.Reverse(Meter(source)));

    public static global::System.Collections.Generic.IEnumerable<TResult> Select<TSource, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, TResult> selector) => Meter(global::System.Linq.Enumerable.Select(Meter(source), selector));

    public static global::System.Collections.Generic.IEnumerable<TResult> Select<TSource, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int, TResult> selector) => Meter(global::System.Linq.Enumerable.Select(Meter(source), selector));

    public static global::System.Collections.Generic.IEnumerable<TResult> SelectMany<TSource, TCollection, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, global::System.Collections.Generic.IEnumerable<TCollection>> collectionSelector, global::System.Func<TSource, TCollection, TResult> resultSelector) => Meter(global::System.Linq.Enumerable.SelectMany(Meter(source), collectionSelector, resultSelector));

    public static global::System.Collections.Generic.IEnumerable<TResult> SelectMany<TSource, TCollection, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int, global::System.Collections.Generic.IEnumerable<TCollection>> collectionSelector, global::System.Func<TSource, TCollection, TResult> resultSelector) => Meter(global::System.Linq.Enumerable.SelectMany(Meter(source), collectionSelector, resultSelector));

    public static global::System.Collections.Generic.IEnumerable<TResult> SelectMany<TSource, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, global::System.Collections.Generic.IEnumerable<TResult>> selector) => Meter(global::System.Linq.Enumerable.SelectMany(Meter(source), selector));

    public static global::System.Collections.Generic.IEnumerable<TResult> SelectMany<TSource, TResult>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int, global::System.Collections.Generic.IEnumerable<TResult>> selector) => Meter(global::System.Linq.Enumerable.SelectMany(Meter(source), selector));

    public static bool SequenceEqual<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second, global::System.Collections.Generic.IEqualityComparer<TSource> comparer) => global::System.Linq.Enumerable.SequenceEqual(Meter(first), Meter(second), comparer);

    public static bool SequenceEqual<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second) => global::System.Linq.Enumerable.SequenceEqual(Meter(first), Meter(second));

    public static TSource Single<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.Single(Meter(source), predicate);

    public static TSource Single<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.Single(Meter(source));

    public static TSource SingleOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate, TSource defaultValue) => global::System.Linq.Enumerable.SingleOrDefault(Meter(source), predicate, defaultValue);

    public static TSource SingleOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => global::System.Linq.Enumerable.SingleOrDefault(Meter(source), predicate);

    public static TSource SingleOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, TSource defaultValue) => global::System.Linq.Enumerable.SingleOrDefault(Meter(source), defaultValue);

    public static TSource SingleOrDefault<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.SingleOrDefault(Meter(source));

    public static global::System.Collections.Generic.IEnumerable<TSource> Skip<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, int count) => Meter(global::System.Linq.Enumerable.Skip(Meter(source), count));

    public static global::System.Collections.Generic.IEnumerable<TSource> SkipLast<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, int count) => Meter(global::System.Linq.Enumerable.SkipLast(Meter(source), count));

    public static global::System.Collections.Generic.IEnumerable<TSource> SkipWhile<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => Meter(global::System.Linq.Enumerable.SkipWhile(Meter(source), predicate));

    public static global::System.Collections.Generic.IEnumerable<TSource> SkipWhile<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int, bool> predicate) => Meter(global::System.Linq.Enumerable.SkipWhile(Meter(source), predicate));

    public static double Sum(this global::System.Collections.Generic.IEnumerable<double> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static double Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static int Sum(this global::System.Collections.Generic.IEnumerable<int> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static int Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static long Sum(this global::System.Collections.Generic.IEnumerable<long> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static long Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static float Sum(this global::System.Collections.Generic.IEnumerable<float> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static float Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static decimal Sum(this global::System.Collections.Generic.IEnumerable<decimal> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static decimal Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static decimal? Sum(this global::System.Collections.Generic.IEnumerable<decimal?> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static decimal? Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, decimal?> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static double? Sum(this global::System.Collections.Generic.IEnumerable<double?> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static double? Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, double?> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static int? Sum(this global::System.Collections.Generic.IEnumerable<int?> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static int? Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int?> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static long? Sum(this global::System.Collections.Generic.IEnumerable<long?> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static long? Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, long?> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static float? Sum(this global::System.Collections.Generic.IEnumerable<float?> source) => global::System.Linq.Enumerable.Sum(Meter(source));

    public static float? Sum<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, float?> selector) => global::System.Linq.Enumerable.Sum(Meter(source), selector);

    public static global::System.Collections.Generic.IEnumerable<TSource> Take<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, int count) => Meter(global::System.Linq.Enumerable.Take(Meter(source), count));

    public static global::System.Collections.Generic.IEnumerable<TSource> TakeLast<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, int count) => Meter(global::System.Linq.Enumerable.TakeLast(Meter(source), count));

    public static global::System.Collections.Generic.IEnumerable<TSource> TakeWhile<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => Meter(global::System.Linq.Enumerable.TakeWhile(Meter(source), predicate));

    public static global::System.Collections.Generic.IEnumerable<TSource> TakeWhile<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int, bool> predicate) => Meter(global::System.Linq.Enumerable.TakeWhile(Meter(source), predicate));

    public static global::System.Linq.IOrderedEnumerable<TSource> ThenBy<TSource, TKey>(this global::System.Linq.IOrderedEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IComparer<TKey> comparer) => global::System.Linq.Enumerable.ThenBy(source, keySelector, comparer);

    public static global::System.Linq.IOrderedEnumerable<TSource> ThenBy<TSource, TKey>(this global::System.Linq.IOrderedEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => global::System.Linq.Enumerable.ThenBy(source, keySelector);

    public static global::System.Linq.IOrderedEnumerable<TSource> ThenByDescending<TSource, TKey>(this global::System.Linq.IOrderedEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector, global::System.Collections.Generic.IComparer<TKey> comparer) => global::System.Linq.Enumerable.ThenByDescending(source, keySelector, comparer);

    public static global::System.Linq.IOrderedEnumerable<TSource> ThenByDescending<TSource, TKey>(this global::System.Linq.IOrderedEnumerable<TSource> source, global::System.Func<TSource, TKey> keySelector) => global::System.Linq.Enumerable.ThenByDescending(source, keySelector);

    public static TSource[] ToArray<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.ToArray(Meter(source));

    public static global::System.Collections.Generic.List<TSource> ToList<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source) => global::System.Linq.Enumerable.ToList(Meter(source));

    public static global::System.Collections.Generic.IEnumerable<TSource> Union<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second, global::System.Collections.Generic.IEqualityComparer<TSource> comparer) => Meter(global::System.Linq.Enumerable.Union(Meter(first), Meter(second), comparer));

    public static global::System.Collections.Generic.IEnumerable<TSource> Union<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> first, global::System.Collections.Generic.IEnumerable<TSource> second) => Meter(global::System.Linq.Enumerable.Union(Meter(first), Meter(second)));

    public static global::System.Collections.Generic.IEnumerable<TSource> Where<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, bool> predicate) => Meter(global::System.Linq.Enumerable.Where(Meter(source), predicate));

    public static global::System.Collections.Generic.IEnumerable<TSource> Where<TSource>(this global::System.Collections.Generic.IEnumerable<TSource> source, global::System.Func<TSource, int, bool> predicate) => Meter(global::System.Linq.Enumerable.Where(Meter(source), predicate));

    public static global::System.Collections.Generic.IEnumerable<(TFirst, TSecond)> Zip<TFirst, TSecond>(this global::System.Collections.Generic.IEnumerable<TFirst> first, global::System.Collections.Generic.IEnumerable<TSecond> second) => Meter(global::System.Linq.Enumerable.Zip(Meter(first), Meter(second)));

    public static global::System.Collections.Generic.IEnumerable<(TFirst, TSecond, TThird)> Zip<TFirst, TSecond, TThird>(this global::System.Collections.Generic.IEnumerable<TFirst> first, global::System.Collections.Generic.IEnumerable<TSecond> second, global::System.Collections.Generic.IEnumerable<TThird> third) => Meter(global::System.Linq.Enumerable.Zip(Meter(first), Meter(second), Meter(third)));

    public static global::System.Collections.Generic.IEnumerable<TResult> Zip<TFirst, TSecond, TResult>(this global::System.Collections.Generic.IEnumerable<TFirst> first, global::System.Collections.Generic.IEnumerable<TSecond> second, global::System.Func<TFirst, TSecond, TResult> resultSelector) => Meter(global::System.Linq.Enumerable.Zip(Meter(first), Meter(second), resultSelector));
}
