using System.Dynamic;
using Newtonsoft.Json;
using JsonSerializer = Newtonsoft.Json.JsonSerializer;
using SlaPolicy.Engine.Compilation;
using Newtonsoft.Json.Linq;
using RulesEngine.Actions;
using RulesEngine.Models;

#pragma warning disable CA1707, CA1711, CA1720, CA1822, IDE1006 // the names and shapes are those RulesEngine's tests give their types

namespace SlaPolicy.Tests.Compilation.RulesEnginePeer;

/// <summary>
/// The C# types the cases name (<c>types</c>, <c>params[].type</c>, <c>CustomTypes</c>, <c>CustomActions</c>), declared
/// here with the properties their inputs carry, and how a JSON value becomes an instance of each (as RulesEngine's users
/// build their inputs: untyped objects as <see cref="ExpandoObject"/>, typed ones deserialized into the class).
/// </summary>
internal static class PeerTypes
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["RuleTestClass"] = typeof(RuleTestClass),
        ["List<RuleTestClass>"] = typeof(List<RuleTestClass>),
        ["List<ValueChange>"] = typeof(List<ValueChange>),
        ["TestInstanceUtils"] = typeof(TestInstanceUtils),
        ["JsonElement"] = typeof(System.Text.Json.JsonElement),
        ["JsonElementHolder"] = typeof(JsonElementHolder),
        ["MyObject"] = typeof(MyObject),
        ["Transazione"] = typeof(Transazione),
        ["Issue513Record"] = typeof(Issue513Record),
        ["Issue581MyParam"] = typeof(Issue581MyParam),
        ["Issue606Line"] = typeof(Issue606Line),
        ["Issue608AppData"] = typeof(Issue608AppData),
        ["Issue692WithNullableDate"] = typeof(Issue692WithNullableDate),
        ["Issue696Nested"] = typeof(Issue696Nested),
        ["Issue696Inner"] = typeof(Issue696Inner),
        ["Issue714Counter"] = typeof(Issue714Counter),
        ["SimpleInput"] = typeof(SimpleInput),
        ["ReturnTypeForIssue717"] = typeof(ReturnTypeForIssue717),
        ["FunctionsForIssue717"] = typeof(FunctionsForIssue717),
        ["DateTime"] = typeof(DateTime),
        ["JObject"] = typeof(JObject),
        ["JToken"] = typeof(JToken),
        ["JArray"] = typeof(JArray),
        ["decimal?"] = typeof(decimal?),
        ["Dictionary<string,object>"] = typeof(Dictionary<string, object>),
        ["ExpandoJsonElement"] = typeof(ExpandoObject),
    };

    /// <summary>A type the cases name.</summary>
    public static Type TypeOf(string name) =>
        Types.TryGetValue(name, out var type) ? type : throw new InvalidOperationException($"the cases name an undeclared type `{name}`");

    /// <summary>Custom actions by the names the cases register them under.</summary>
    public static Func<ActionBase> ActionOf(string name) => name switch
    {
        "ReturnContext" => () => new ReturnContextAction(),
        "noctx" => () => new NoContextAction(),
        "counting" => () => new CountingAction(),
        "throwing" => () => new ThrowingAction(),
        _ => throw new InvalidOperationException($"the cases name an undeclared action `{name}`"),
    };

    /// <summary>The input a RulesEngine user passes for <paramref name="value"/>, declared as <paramref name="type"/> (or untyped).</summary>
    public static object? Materialize(JToken? value, string? type)
    {
        switch (type)
        {
            case null:
                return value is null ? null : RulesEngineInputs.FromJson(value);
            case "TestInstanceUtils":
                return new TestInstanceUtils();
            case "JsonElementHolder":
                return System.Text.Json.JsonSerializer.Deserialize<JsonElementHolder>(value!.ToString(Formatting.None));
            case "ExpandoJsonElement":
                // An ExpandoObject whose values are System.Text.Json elements, as a System.Text.Json reader leaves them.
                IDictionary<string, object?> expando = new ExpandoObject();
                using (var document = System.Text.Json.JsonDocument.Parse(value!.ToString(Formatting.None)))
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        expando[property.Name] = property.Value.Clone();
                    }
                }

                return expando;
            case "JObject":
                return (JObject)value!.DeepClone();
            default:
                return value is null || value.Type == JTokenType.Null ? null : value.ToObject(TypeOf(type));
        }
    }
}

public class RuleTestClass
{
    [JsonProperty("country")]
    public string? Country { get; set; }

    [JsonProperty("loyaltyFactor")]
    public int loyaltyFactor { get; set; }

    public int TotalPurchasesToDate { get; set; }
}

public class ValueChange
{
    public double Value { get; set; }

    public string? ChangeDateTime { get; set; }
}

public class TestInstanceUtils
{
    public bool CheckExists(string? text) => !string.IsNullOrEmpty(text);
}

public class JsonElementHolder
{
    public System.Text.Json.JsonElement Data { get; set; }
}

public class MyObject
{
    public string? Name { get; set; }

    public int Count { get; set; }
}

public enum RuoloAttore
{
    A,
    B,
    C,
}

public class Attore
{
    public Guid Id { get; set; }

    public string? Nome { get; set; }

    public RuoloAttore RuoloAttore { get; set; }
}

public class Transazione
{
    public static string StaticProperty { get; set; } = "Hello";

    public List<Attore> Attori { get; set; } = [];
}

public class Issue513Record
{
    public int Id { get; set; }

    public string? Tag { get; set; }
}

public class Issue581MyParam
{
    public string? Value1 { get; set; }

    public string? Value2 { get; set; }
}

public class Issue606Line
{
    public IReadOnlyList<string> Modifiers { get; set; } = [];
}

public class Issue608Detail
{
    public decimal? Amount { get; set; }
}

public class Issue608AppData
{
    public List<Issue608Detail> Details { get; set; } = [];
}

public class Issue692WithNullableDate
{
    public DateTime? Dt { get; set; }
}

public class Issue696Inner
{
    public string? Name { get; set; }
}

public class Issue696Nested
{
    public Issue696Inner? Inner { get; set; }
}

/// <summary>A registered helper that a global parameter calls; counts its calls.</summary>
public static class Issue714Counter
{
    private static int _calls;

    public static int Calls => _calls;

    public static string FromDb(string value)
    {
        Interlocked.Increment(ref _calls);
        return value;
    }
}

public class SimpleInput
{
    public int Value { get; set; }

    public string? Name { get; set; }
}

public class ReturnTypeForIssue717
{
    public int val { get; set; }
}

/// <summary>Registered static helpers, one typed and one returning <see cref="object"/>.</summary>
public static class FunctionsForIssue717
{
    public static ReturnTypeForIssue717 CheckValueTyped(SimpleInput? input) => new() { val = input is { Value: > 5 } ? 1 : 0 };

    public static object CheckValueAsObject(SimpleInput? input) => CheckValueTyped(input);
}

/// <summary>Returns three values of its context, read as a string, an int and an object.</summary>
internal sealed class ReturnContextAction : ActionBase
{
    public override ValueTask<object> Run(ActionContext context, RuleParameter[] ruleParameters) =>
        ValueTask.FromResult<object>(new Dictionary<string, object?>
        {
            ["stringContext"] = context.GetContext<string>("stringContext"),
            ["intContext"] = context.GetContext<int>("intContext"),
            ["objectContext"] = context.GetContext<object>("objectContext"),
        });
}

/// <summary>Ignores its (null) context.</summary>
internal sealed class NoContextAction : ActionBase
{
    public override ValueTask<object> Run(ActionContext context, RuleParameter[] ruleParameters) => ValueTask.FromResult<object>("done");
}

/// <summary>Counts its runs.</summary>
internal sealed class CountingAction : ActionBase
{
    private static int _runs;

    public static int Runs => _runs;

    public override ValueTask<object> Run(ActionContext context, RuleParameter[] ruleParameters)
    {
        Interlocked.Increment(ref _runs);
        return ValueTask.FromResult<object>("done");
    }
}

/// <summary>Always throws.</summary>
internal sealed class ThrowingAction : ActionBase
{
    public override ValueTask<object> Run(ActionContext context, RuleParameter[] ruleParameters) =>
        throw new InvalidOperationException("boom from custom action");
}
