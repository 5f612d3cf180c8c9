using System.Collections.Immutable;

namespace SlaPolicy.Engine.Compilation;

/// <summary>
/// The trace plan of one workflow: for each node the paths its expression reads, and for each path rooted at an
/// input (not at a parameter) its slot among the distinct such paths of the workflow, so that one execution reads
/// and boxes each input value once however many rules read it.
/// </summary>
internal sealed class TraceLayout(int nodeCount, ImmutableArray<string> rootNames)
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<ReadPath> _paths = [];
    private readonly List<int> _pathRoots = [];
    private readonly List<string> _roots = [];

    public NodeReads?[] Reads { get; } = new NodeReads?[nodeCount];

    /// <summary>The distinct input paths, by slot.</summary>
    public ReadPath[] Paths { get; private set; } = [];

    /// <summary>For each slot, the index of its root in <see cref="Roots"/>.</summary>
    public int[] PathRoots { get; private set; } = [];

    /// <summary>The distinct roots of input paths: their values come first in an execution's memo.</summary>
    public string[] Roots { get; private set; } = [];

    public void Add<TIn>(RuleNode<TIn> node)
    {
        if (!node.IsNested && node.Predicate is not null)
        {
            var paths = node.ReadPlan(rootNames);
            var slots = new int[paths.Length];
            for (var i = 0; i < paths.Length; i++)
            {
                slots[i] = paths[i].ScopeIndex >= 0 ? -1 : Slot(paths[i]);
            }

            Reads[node.Ordinal] = new NodeReads(paths, slots);
        }

        foreach (var child in node.Children)
        {
            Add(child);
        }
    }

    /// <summary>Ends the adding: the slots are fixed.</summary>
    public TraceLayout Seal()
    {
        Paths = [.. _paths];
        PathRoots = [.. _pathRoots];
        Roots = [.. _roots];
        return this;
    }

    private int Slot(ReadPath path)
    {
        if (!_slots.TryGetValue(path.Name, out var slot))
        {
            slot = _paths.Count;
            _slots.Add(path.Name, slot);
            _paths.Add(path);
            var root = _roots.IndexOf(path.Root);
            if (root < 0)
            {
                root = _roots.Count;
                _roots.Add(path.Root);
            }

            _pathRoots.Add(root);
        }

        return slot;
    }
}

/// <summary>A node's read paths and, for each, its slot in the execution's memo (-1 when rooted at a parameter).</summary>
internal sealed record NodeReads(ReadPath[] Paths, int[] Slots);

/// <summary>
/// The values one execution has read so far: the roots, then the input paths of <see cref="TraceLayout.Paths"/>,
/// each <see cref="NotComputed"/> until first read. One per thread is reused; a nested execution (an action that
/// evaluates a rule) gets its own.
/// </summary>
internal sealed class TraceState
{
    /// <summary>What a value not yet read (or a parameter not yet computed) holds.</summary>
    internal static readonly object NotComputed = new();

    [ThreadStatic]
    private static TraceState? t_spare;

    private object?[] _values = [];
    private int _length;

    public TraceLayout Layout { get; private set; } = null!;

    public static TraceState Rent(TraceLayout layout)
    {
        var state = t_spare ?? new TraceState();
        t_spare = null;
        state.Layout = layout;
        state._length = layout.Roots.Length + layout.Paths.Length;
        if (state._values.Length < state._length)
        {
            state._values = new object?[state._length];
        }

        state.Forget();
        return state;
    }

    /// <summary>Gives the state back for the next execution on this thread, keeping no input alive.</summary>
    public void Return()
    {
        Array.Clear(_values, 0, _length);
        Layout = null!;
        t_spare = this;
    }

    public void Forget() => Array.Fill(_values, NotComputed, 0, _length);

    /// <summary>The value of input path <paramref name="slot"/>, read (and boxed) on first use in this execution.</summary>
    public object? Read<TIn>(int slot, in TIn inputs, RootResolver<TIn> roots)
    {
        var index = Layout.Roots.Length + slot;
        var value = _values[index];
        if (ReferenceEquals(value, NotComputed))
        {
            var rootIndex = Layout.PathRoots[slot];
            var root = _values[rootIndex];
            if (ReferenceEquals(root, NotComputed))
            {
                root = roots(Layout.Roots[rootIndex], in inputs) is (true, var found) ? found : null;
                _values[rootIndex] = root;
            }

            value = Layout.Paths[slot].Read(root);
            _values[index] = value;
        }

        return value;
    }
}
