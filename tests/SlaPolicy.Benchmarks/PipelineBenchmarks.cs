using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using SlaPolicy.Engine.Calendars;
using SlaPolicy.Engine.Clocks;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Inputs.Generation;
using SlaPolicy.Engine.Policies;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Benchmarks;

/// <summary>
/// Reading JSON Lines: <see cref="CaseReader"/> over 10,000 generated synthetic cases held in memory (the file's
/// bytes, so disk speed is not measured), per case.
/// </summary>
[MemoryDiagnoser]
public class CaseReaderBenchmarks
{
    private const int Cases = 10_000;
    private byte[] _jsonLines = [];

    [GlobalSetup]
    public void Setup()
    {
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            foreach (var record in new CaseGenerator(7, GenerationProfile.Synthetic).Generate(Cases))
            {
                writer.Write(record);
            }
        }

        _jsonLines = stream.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Cases)]
    public int ReadCases()
    {
        var good = 0;
        foreach (var result in CaseReader.Read(new MemoryStream(_jsonLines, writable: false), "cases.jsonl"))
        {
            good += result.IsAccepted ? 1 : 0;
        }

        return good == Cases ? good : throw new InvalidOperationException($"{good} of {Cases} cases read");
    }
}

/// <summary>
/// Reading the other inputs' JSON Lines, per record, held in memory: <see cref="OutageReader"/>,
/// <see cref="MeasurementReader"/> and <see cref="SubscriptionReader"/> over 10,000 records each.
/// </summary>
[MemoryDiagnoser]
public class InputReaderBenchmarks
{
    private const int Records = 10_000;
    private byte[] _outages = [];
    private byte[] _measurements = [];
    private byte[] _subscriptions = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        _outages = Lines(w =>
        {
            for (var i = 0; i < Records; i++)
            {
                var at = start.AddMinutes(i * 7);
                w.Write(new OutageRecord("email", "eu-west", at, at.AddMinutes(5 + (i % 40)), i % 3 == 0 ? "maintenance" : "unplanned", $"O-{i}"));
            }
        });
        _measurements = Lines(w =>
        {
            foreach (var m in MeasurementGenerator.Generate(7, new NodaTime.YearMonth(2026, 11), NodaTime.Duration.FromMinutes(5)).Take(Records))
            {
                w.Write(m);
            }
        });
        _subscriptions = Lines(w =>
        {
            for (var i = 0; i < Records; i++)
            {
                w.Write(new SubscriptionRecord($"customer-{i % 500}", "gold", "eu-west", $"service-{i}", 1200.00m + i, "EUR"));
            }
        });
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int ReadOutages() => Count(OutageReader.Read(new MemoryStream(_outages, writable: false), "outages.jsonl"));

    [Benchmark(OperationsPerInvoke = Records)]
    public int ReadMeasurements() => Count(MeasurementReader.Read(new MemoryStream(_measurements, writable: false), "measurements.jsonl"));

    [Benchmark(OperationsPerInvoke = Records)]
    public int ReadSubscriptions() => Count(SubscriptionReader.Read(new MemoryStream(_subscriptions, writable: false), "subscriptions.jsonl"));

    private static byte[] Lines(Action<JsonLinesWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new JsonLinesWriter(stream))
        {
            write(writer);
        }

        return stream.ToArray();
    }

    private static int Count<T>(IEnumerable<InputResult<T>> results)
        where T : class
    {
        var good = 0;
        foreach (var result in results)
        {
            good += result.IsAccepted ? 1 : 0;
        }

        return good == Records ? good : throw new InvalidOperationException($"{good} of {Records} records read");
    }
}

/// <summary>
/// One clock computation (<see cref="SlaClock.Compute"/>) per case over 10,000 generated cases, on the sample
/// policies' shapes: a 24x7 target, and a business-hours target on the first calendar of the sample policies (by id) with pauses on
/// waiting statuses (the cases' status events kept).
/// </summary>
[MemoryDiagnoser]
public class ClockBenchmarks
{
    private const int Cases = 10_000;
    private static readonly ImmutableArray<string> PauseOn = ["waiting_on_customer", "waiting_on_third_party"];
    private CaseRecord[] _cases = [];
    private TargetTerm _twentyFourSeven = null!;
    private TargetTerm _business = null!;
    private BusinessCalendar _calendar = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cases = [.. new CaseGenerator(20261122, GenerationProfile.Synthetic).Generate(Cases)];
        var policies = PolicyPipeline.LoadAndCompile(Path.Combine(Workloads.RepoRoot(), "policies")).Set;
        var targets = policies.Policies.SelectMany(p => p.Targets).ToList();
        _twentyFourSeven = targets.First(t => t.Clock == ClockKind.TwentyFourSeven);
        _business = targets.First(t => t.Clock != ClockKind.TwentyFourSeven);
        _calendar = BusinessCalendar.Create(policies.Calendars.Values.OrderBy(c => c.Id, StringComparer.Ordinal).First());
    }

    [Benchmark(OperationsPerInvoke = Cases)]
    public double TwentyFourSeven() => Sum(_twentyFourSeven, null);

    [Benchmark(OperationsPerInvoke = Cases)]
    public double BusinessHoursWithPauses() => Sum(_business, _calendar);

    private double Sum(TargetTerm target, BusinessCalendar? calendar)
    {
        var sum = 0.0;
        foreach (var ticket in _cases)
        {
            sum += SlaClock.Compute(target, ticket, PauseOn, calendar, CaseGenerator.Cutoff).ElapsedMinutes;
        }

        return sum;
    }
}

/// <summary>
/// Store writes: one batch of 10,000 decisions with explanations (what the nightly run writes per transaction) into
/// the SQLite decision sink of a new temporary database, first as new rows, then the same batch again into a store
/// that already holds it (a repeat night: nothing changes). Per decision.
/// </summary>
[MemoryDiagnoser]
public class SqliteDecisionSinkBenchmarks
{
    private const int Decisions = 10_000;
    private Decision[] _decisions = [];
    private string _folder = string.Empty;
    private SqliteStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        var evaluator = PolicyPipeline.LoadAndCompile(Path.Combine(Workloads.RepoRoot(), "policies")).CreateEvaluator();
        _decisions = [.. new CaseGenerator(7, GenerationProfile.Synthetic).Generate(Decisions)
            .SelectMany(c => evaluator.Evaluate(c, CaseGenerator.Cutoff, explain: true))
            .Take(Decisions)];
    }

    [IterationSetup(Target = nameof(FirstWrite))]
    public void NewStore() => _store = NewDatabase();

    [IterationSetup(Target = nameof(RepeatWrite))]
    public void StoreHoldingTheBatch()
    {
        _store = NewDatabase();
        using var sink = _store.OpenDecisionSink(1);
        sink.Write(_decisions);
    }

    [IterationCleanup]
    public void DeleteStore()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Decisions)]
    public int FirstWrite()
    {
        using var sink = _store.OpenDecisionSink(2);
        return sink.Write(_decisions).Changed;
    }

    [Benchmark(OperationsPerInvoke = Decisions)]
    public int RepeatWrite()
    {
        using var sink = _store.OpenDecisionSink(2);
        var result = sink.Write(_decisions);
        return result.Changed == 0 ? result.Written : throw new InvalidOperationException($"{result.Changed} decisions changed on a repeat write");
    }

    private SqliteStore NewDatabase()
    {
        _folder = Path.Combine(Path.GetTempPath(), "slapolicy-bench-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(Path.Combine(_folder, "store.db"));
        store.Migrate();
        return store;
    }
}
