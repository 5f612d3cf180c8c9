using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq.Dynamic.Core;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The policy inputs as the <c>rulesengine</c> executor hands them to Microsoft RulesEngine. Dynamic LINQ cannot apply
/// a query operator (<c>Contains</c>, <c>Any</c>, <c>Count</c>, …) to a struct collection such as
/// <see cref="ImmutableArray{T}"/>, so <c>ticket.Tags.Contains("vip")</c> would not even parse. Each input record whose
/// members hold one is therefore passed as a view: a Dynamic LINQ class with the same property names and values
/// (computed properties included), each <see cref="ImmutableArray{T}"/> as an array of views. The same expression then
/// reads the same values under both executors; only the records' methods (such as <c>target.AppliesToSeverity</c>) are
/// not on a view.
/// </summary>
internal static class RulesEngineViews
{
    private static readonly ConcurrentDictionary<Type, Type> ViewTypes = new();
    private static readonly ConcurrentDictionary<Type, Func<object, object>> Converters = new();
    private static readonly ConditionalWeakTable<object, object> LongLived = new();
    private static readonly MethodInfo ArrayOf = typeof(RulesEngineViews).GetMethod(nameof(ToArray), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ViewOfValue = typeof(RulesEngineViews).GetMethod(nameof(ViewOrNull), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The type RulesEngine sees for a value of <paramref name="type"/>: a view type, or the type itself.</summary>
    public static Type ViewType(Type type) => ViewTypes.GetOrAdd(type, static t => Build(t, []));

    /// <summary>The view of <paramref name="value"/> (itself when its type needs none; null stays null).</summary>
    public static object? View(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = value.GetType();
        return ViewType(type) == type ? value : Converters.GetOrAdd(type, CreateConverter)(value);
    }

    /// <summary>
    /// The view of a value that lives as long as the policy set (a policy version, a target): made once per instance.
    /// </summary>
    public static object? ViewOfLongLived(object? value) =>
        value is null || ViewType(value.GetType()) == value.GetType() ? value : LongLived.GetValue(value, static v => View(v)!);

    private static Type Build(Type type, HashSet<Type> path)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            return Build(type.GetGenericArguments()[0], path).MakeArrayType();
        }

        if (!ExpressionSandbox.IsDataType(type) || !path.Add(type))
        {
            return type;
        }

        var properties = Properties(type);
        var mapped = properties.Select(p => (p.Name, Type: Build(p.PropertyType, path))).ToList();
        path.Remove(type);
        if (mapped.Zip(properties).All(m => m.First.Type == m.Second.PropertyType))
        {
            return type;
        }

        return DynamicClassFactory.CreateType([.. mapped.Select(m => new DynamicProperty(m.Name, m.Type))], createParameterCtor: false);
    }

    private static PropertyInfo[] Properties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null && p.Name != "EqualityContract")];

    /// <summary>(object source) => new View { P = map(((T)source).P), … }, compiled once per type.</summary>
    private static Func<object, object> CreateConverter(Type type)
    {
        var view = ViewType(type);
        var source = Expression.Parameter(typeof(object), "source");
        var typed = Expression.Convert(source, type);
        var bindings = new List<MemberBinding>();
        foreach (var property in Properties(type))
        {
            var target = view.GetProperty(property.Name)!;
            Expression value = Expression.Property(typed, property);
            if (target.PropertyType != property.PropertyType)
            {
                value = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(ImmutableArray<>)
                    ? Expression.Call(ArrayOf.MakeGenericMethod(property.PropertyType.GetGenericArguments()[0], target.PropertyType.GetElementType()!), value)
                    : Expression.Convert(Expression.Call(ViewOfValue, Expression.Convert(value, typeof(object))), target.PropertyType);
            }

            bindings.Add(Expression.Bind(target, value));
        }

        var body = Expression.Convert(Expression.MemberInit(Expression.New(view), bindings), typeof(object));
        return Expression.Lambda<Func<object, object>>(body, source).Compile();
    }

    private static TView[] ToArray<T, TView>(ImmutableArray<T> items)
    {
        if (items.IsDefaultOrEmpty)
        {
            return [];
        }

        var result = new TView[items.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (TView)View(items[i])!;
        }

        return result;
    }

    private static object? ViewOrNull(object? value) => View(value);
}
