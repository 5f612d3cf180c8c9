using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// A named input of a RulesEngine workflow (<c>input1</c>, <c>input2</c>, … or a RuleParameter name) and the C#
/// type inferred from sample JSON values: objects become generated classes whose properties keep the JSON
/// names, integers <c>long</c>, other numbers <c>double</c>, strings <c>string</c>, booleans <c>bool</c>,
/// arrays <c>T[]</c>. A property missing or null in some sample becomes nullable; mixed kinds become
/// <c>object</c>; a property whose name is not a C# identifier is left out.
/// </summary>
public sealed class InputParameter
{
    private InputParameter(string name, InputShape shape)
    {
        Name = name;
        Shape = shape;
    }

    /// <summary>The name expressions use, e.g. <c>input1</c>.</summary>
    public string Name { get; }

    internal InputShape Shape { get; }

    /// <summary>Infers the parameter's type from one or more sample values (all the values it will be bound to, ideally).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a C# identifier (letters, digits, <c>_</c>).</exception>
    public static InputParameter Infer(string name, params JToken?[] samples)
    {
        // The name becomes a local of the generated code: only a plain identifier ever does.
        if (!InputShape.IsIdentifier(name) || name.StartsWith("__", StringComparison.Ordinal))
        {
            throw new ArgumentException($"input name `{name}` is not an identifier (letters, digits and `_`)", nameof(name));
        }

        InputShape? shape = null;
        foreach (var sample in samples)
        {
            shape = InputShape.Merge(shape, InputShape.From(sample));
        }

        return new InputParameter(name, shape ?? InputShape.FromKind(ShapeKind.Null));
    }

    /// <summary>Parameters <c>input1</c> … <c>inputN</c> for the values of one call, as RulesEngine names them.</summary>
    public static ImmutableArray<InputParameter> Positional(params JToken?[] values) =>
        [.. values.Select((v, i) => Infer($"input{(i + 1).ToString(CultureInfo.InvariantCulture)}", v))];
}

internal enum ShapeKind
{
    Null,
    Bool,
    Long,
    Double,
    String,
    Object,
    Array,
    Mixed,
}

internal sealed class InputShape
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long",
        "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
        "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch",
        "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void",
        "volatile", "while",
    };

    public ShapeKind Kind { get; private init; }

    public bool Nullable { get; private init; }

    public ImmutableArray<(string Name, InputShape Shape)> Properties { get; private init; } = [];

    public InputShape? Element { get; private init; }

    public static InputShape FromKind(ShapeKind kind) => new() { Kind = kind, Nullable = kind == ShapeKind.Null };

    public static InputShape From(JToken? token)
    {
        switch (token?.Type)
        {
            case null or JTokenType.Null or JTokenType.Undefined:
                return FromKind(ShapeKind.Null);
            case JTokenType.Boolean:
                return FromKind(ShapeKind.Bool);
            case JTokenType.Integer:
                return FromKind(ShapeKind.Long);
            case JTokenType.Float:
                return FromKind(ShapeKind.Double);
            case JTokenType.String or JTokenType.Date or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan:
                return FromKind(ShapeKind.String);
            case JTokenType.Array:
                InputShape? element = null;
                foreach (var item in (JArray)token)
                {
                    element = Merge(element, From(item));
                }

                return new InputShape { Kind = ShapeKind.Array, Element = element ?? FromKind(ShapeKind.Null) };
            case JTokenType.Object:
                return new InputShape
                {
                    Kind = ShapeKind.Object,
                    Properties = [.. ((JObject)token).Properties().Where(p => IsIdentifier(p.Name)).Select(p => (p.Name, From(p.Value)))],
                };
            default:
                return FromKind(ShapeKind.Mixed);
        }
    }

    public static InputShape Merge(InputShape? a, InputShape b)
    {
        if (a is null)
        {
            return b;
        }

        var nullable = a.Nullable || b.Nullable;
        if (a.Kind == ShapeKind.Null)
        {
            return b.With(nullable: true);
        }

        if (b.Kind == ShapeKind.Null)
        {
            return a.With(nullable: true);
        }

        if (a.Kind == b.Kind)
        {
            return a.Kind switch
            {
                ShapeKind.Array => new InputShape { Kind = ShapeKind.Array, Nullable = nullable, Element = Merge(a.Element, b.Element ?? FromKind(ShapeKind.Null)) },
                ShapeKind.Object => MergeObjects(a, b, nullable),
                _ => a.With(nullable),
            };
        }

        if ((a.Kind, b.Kind) is (ShapeKind.Long, ShapeKind.Double) or (ShapeKind.Double, ShapeKind.Long))
        {
            return FromKind(ShapeKind.Double).With(nullable);
        }

        return FromKind(ShapeKind.Mixed);
    }

    private static InputShape MergeObjects(InputShape a, InputShape b, bool nullable)
    {
        var names = a.Properties.Select(p => p.Name).Concat(b.Properties.Select(p => p.Name)).Distinct(StringComparer.Ordinal);
        var merged = names.Select(name =>
        {
            var left = a.Properties.FirstOrDefault(p => p.Name == name).Shape;
            var right = b.Properties.FirstOrDefault(p => p.Name == name).Shape;
            var shape = left is null || right is null
                ? (left ?? right!).With(nullable: true)
                : Merge(left, right);
            return (name, shape);
        });
        return new InputShape { Kind = ShapeKind.Object, Nullable = nullable, Properties = [.. merged] };
    }

    private InputShape With(bool nullable) => new() { Kind = Kind, Nullable = nullable, Properties = Properties, Element = Element };

    internal static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>
    /// The C# type of this shape; nested classes are appended to <paramref name="classes"/>. Member names used
    /// by the expressions (<paramref name="usedMembers"/>) that differ from a property only in case get an alias
    /// property, because RulesEngine resolves members ignoring case.
    /// </summary>
    public string TypeName(string className, StringBuilder classes, IReadOnlySet<string> usedMembers)
    {
        string Nullable(string valueType) => this.Nullable ? valueType + "?" : valueType;
        switch (Kind)
        {
            case ShapeKind.Bool:
                return Nullable("bool");
            case ShapeKind.Long:
                return Nullable("long");
            case ShapeKind.Double:
                return Nullable("double");
            case ShapeKind.String:
                return "string";
            case ShapeKind.Array:
                return (Element ?? FromKind(ShapeKind.Null)).TypeName(className + "_Item", classes, usedMembers) + "[]";
            case ShapeKind.Object:
                var body = new StringBuilder();
                body.Append("public sealed class ").Append(className).Append("\n{\n");
                foreach (var (name, shape) in Properties)
                {
                    var type = shape.TypeName(className + "_" + name, classes, usedMembers);
                    body.Append("    public ").Append(type).Append(' ').Append(Escape(name)).Append(" { get; set; }\n");
                }

                foreach (var used in usedMembers.Order(StringComparer.Ordinal))
                {
                    if (Properties.Any(p => p.Name == used))
                    {
                        continue;
                    }

                    var matches = Properties.Where(p => string.Equals(p.Name, used, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (matches.Count == 1)
                    {
                        var type = matches[0].Shape.TypeName(className + "_" + matches[0].Name, new StringBuilder(), usedMembers);
                        body.Append("    public ").Append(type).Append(' ').Append(Escape(used)).Append(" => ").Append(Escape(matches[0].Name)).Append(";\n");
                    }
                }

                body.Append("}\n");
                classes.Append(body);
                return "global::" + ExpressionSandbox.GeneratedInputsNamespace + "." + className;
            default:
                return "object";
        }
    }
}
