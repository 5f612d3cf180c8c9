using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Engine.Decisions;
using SlaPolicy.Engine.Inputs;
using SlaPolicy.Engine.Inputs.Generation;
using SlaPolicy.Host.Ingestion;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Benchmarks;

/// <summary>
/// The nightly run end to end, as <c>slapolicy generate</c> then <c>slapolicy run --ingest</c> do it, in one process
/// on a new temporary folder: generate N synthetic cases as JSON Lines (seed 7), ingest them into a new SQLite store,
/// run the night (as of <see cref="CaseGenerator.Cutoff"/>), then run the same night again (which must change nothing).
/// Prints each phase's wall time and the process's peak resident memory after it. With <c>--phases</c>, first
/// replays the run's work one stage at a time on one thread (reading cases, evaluating, building explanations,
/// serializing them, writing decisions) to show where the time goes.
/// </summary>
public static class NightlyWorkload
{
    public static int Run(int count, bool phases, bool keep, IReadOnlyList<double> changedPercents, bool full = false, string? explain = null, double? openPercent = null, string? postgres = null)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        var folder = Path.Combine(Path.GetTempPath(), "slapolicy-nightly-" + name);
        Directory.CreateDirectory(folder);
        var storePath = Path.Combine(folder, "store.db");

        // On PostgreSQL: a new database of the server postgres names, dropped at the end unless --keep.
        var database = postgres is null ? null : new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = "slapolicy_nightly_" + name }.ConnectionString;
        if (postgres is not null)
        {
            Admin(postgres, $"CREATE DATABASE slapolicy_nightly_{name}");
        }

        Console.WriteLine(Invariant($"nightly: {count:N0} cases, {(postgres is null ? "SQLite" : $"PostgreSQL database slapolicy_nightly_{name}")}, folder {folder}, {Environment.ProcessorCount} processors, load average {LoadAverage()}"));
        try
        {
            var casesPath = Path.Combine(folder, "cases.jsonl");
            var watch = new Meter();
            watch.Start();
            using (var stream = File.Create(casesPath))
            using (var writer = new JsonLinesWriter(stream))
            {
                foreach (var record in new CaseGenerator(7, GenerationProfile.Synthetic).Generate(count))
                {
                    writer.Write(record);
                }
            }

            Report("generate", watch, $"{new FileInfo(casesPath).Length / 1048576.0:F0} MB of JSON Lines");

            using var services = CoreServices.BuildCommandServices(
            [
                new("Store:Path", storePath),
                new("Store:Provider", database is null ? "sqlite" : "postgres"),
                new("Store:ConnectionString", database ?? string.Empty),
                new("Policies:Path", Path.Combine(Workloads.RepoRoot(), "policies")),
                new("Run:Explain", explain ?? "notable"),
            ]);
            var store = services.GetRequiredService<IStore>();
            var evaluator = services.GetRequiredService<IEvaluatorProvider>().Current;

            watch.Restart();
            IngestResult ingested;
            using (var stream = new FileStream(casesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                ingested = services.GetRequiredService<IngestionService>().Ingest(RecordKind.Cases, stream, casesPath);
            }

            Report("ingest", watch, $"{ingested.Accepted:N0} cases accepted, {ingested.RejectedCount} rejected");

            if (phases)
            {
                Phases(store, evaluator, Path.Combine(folder, "phases.db"));
            }

            var run = services.GetRequiredService<NightlyRun>();
            bool Night(string name, DateTimeOffset asOf, bool everyCase = false)
            {
                watch.Restart();
                var record = run.Run(asOf, RunTrigger.Cli, full: everyCase);
                Report(name, watch, $"{record.State}, {record.CasesRead:N0} cases evaluated, {record.CasesKept:N0} kept, {record.DecisionsWritten:N0} decisions ({record.DecisionsChanged:N0} changed), {record.Rejected} rejected");
                if (record.State != RunState.Succeeded)
                {
                    Console.Error.WriteLine(record.Error);
                    return false;
                }

                return true;
            }

            if (!Night("run", CaseGenerator.Cutoff) || !Night("run again", CaseGenerator.Cutoff))
            {
                return 1;
            }

            // Writes the generated cases that edit changes (those it does not return null for) to a JSON Lines file of
            // the folder, then ingests that file, timed; returns the number of cases written.
            int IngestEdited(string name, Func<CaseRecord, CaseRecord?> edit)
            {
                var path = Path.Combine(folder, name);
                var written = 0;
                using (var stream = File.Create(path))
                using (var writer = new JsonLinesWriter(stream))
                {
                    foreach (var record in new CaseGenerator(7, GenerationProfile.Synthetic).Generate(count))
                    {
                        if (edit(record) is { } edited)
                        {
                            writer.Write(edited);
                            written++;
                        }
                    }
                }

                watch.Restart();
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                {
                    ingested = services.GetRequiredService<IngestionService>().Ingest(RecordKind.Cases, stream, path);
                }

                return written;
            }

            // With --open P: a store of long standing, where few cases are still open. A day later, the cases still
            // open are resolved but for every k-th, which leaves about P % of the store open, and that night runs; the
            // changed nights then start from there.
            var next = CaseGenerator.Cutoff;
            if (openPercent is { } keepOpen)
            {
                var unresolved = store.CountPendingCases();
                var every = Math.Max(1, (int)Math.Round(unresolved / Math.Max(1.0, keepOpen * count / 100)));
                next = next.AddDays(1);
                var i = 0;
                var settled = IngestEdited("settle.jsonl", record => record.ResolvedAt is null && i++ % every != 0 ? record with { ResolvedAt = next.AddHours(-1) } : null);
                Report("ingest settled", watch, Invariant($"{settled:N0} of {unresolved:N0} pending cases resolved, to leave about {keepOpen} % open"));
                if (!Night("night settled", next))
                {
                    return 1;
                }
            }

            // The next nights: each a day later, with a share of the cases edited during the day (every k-th one, a
            // different share each day), on top of those still counting. The edits are ingested as JSON Lines, like
            // the first ingest; then the night, the same night again, and the credits step alone.
            for (var day = 0; day < changedPercents.Count; day++)
            {
                var percent = changedPercents[day];
                var open = store.CountPendingCases();
                var every = Math.Max(1, (int)Math.Round(100 / Math.Max(0.01, percent)));
                next = next.AddDays(1);
                var i = 0;
                var changed = IngestEdited(Invariant($"changes-{day}.jsonl"), record => (i++ + day) % every == 0 ? Edit(record, next) : null);
                Report("ingest changes", watch, Invariant($"{changed:N0} cases edited ({changed * 100.0 / count:F1} %); {open:N0} cases ({open * 100.0 / count:F1} %) pending before"));
                if (!Night(Invariant($"night +{day + 1}"), next) || !Night("same again", next))
                {
                    return 1;
                }

                // Of a night, the credits step alone (the month's stored decisions, outages and measurements to credits).
                watch.Restart();
                var credits = new MonthlyCredits(store, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Write(0, next, evaluator, CancellationToken.None);
                Report("credits", watch, Invariant($"{credits.Write.Written:N0} credit rows for {string.Join(", ", credits.Periods)}"));
            }

            if (full && !Night("full", next, everyCase: true))
            {
                return 1;
            }

            Console.WriteLine(Invariant($"store: {(database is null ? new FileInfo(storePath).Length : DatabaseSize(database)) / 1048576.0:F0} MB; load average {LoadAverage()}"));
            return 0;
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
                if (postgres is not null)
                {
                    Npgsql.NpgsqlConnection.ClearAllPools();
                    Admin(postgres, $"DROP DATABASE IF EXISTS slapolicy_nightly_{name} WITH (FORCE)");
                }
            }
        }
    }

    /// <summary>Runs one statement on the server's own database (creating or dropping the benchmark's).</summary>
    private static void Admin(string server, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static long DatabaseSize(string database)
    {
        using var connection = new Npgsql.NpgsqlConnection(database);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// What storing every explanation costs against storing the notable ones: the same generated cases, ingested into a
    /// new store for each night, then the first night (every case evaluated) under <c>Run:Explain=notable</c> and
    /// under <c>Run:Explain=all</c>, alternating, <paramref name="rounds"/> times. Prints each night's wall and CPU
    /// time and, per round, all ÷ notable in CPU seconds, with the load average.
    /// </summary>
    public static int CompareExplain(int count, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slapolicy-explain-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        Console.WriteLine(Invariant($"nightly explain-compare: {count:N0} cases, {rounds} rounds, folder {folder}, {Environment.ProcessorCount} processors, load average {LoadAverage()}"));
        try
        {
            var casesPath = Path.Combine(folder, "cases.jsonl");
            using (var stream = File.Create(casesPath))
            using (var writer = new JsonLinesWriter(stream))
            {
                foreach (var record in new CaseGenerator(7, GenerationProfile.Synthetic).Generate(count))
                {
                    writer.Write(record);
                }
            }

            var cpu = new Dictionary<string, List<double>> { ["notable"] = [], ["all"] = [] };
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var mode in new[] { "notable", "all" })
                {
                    var storePath = Path.Combine(folder, Invariant($"store-{round}-{mode}.db"));
                    using (var services = CoreServices.BuildCommandServices(
                    [
                        new("Store:Path", storePath),
                        new("Store:Provider", "sqlite"),
                        new("Policies:Path", Path.Combine(Workloads.RepoRoot(), "policies")),
                        new("Run:Explain", mode),
                    ]))
                    {
                        using (var stream = new FileStream(casesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                        {
                            services.GetRequiredService<IngestionService>().Ingest(RecordKind.Cases, stream, casesPath);
                        }

                        GC.Collect();
                        var meter = new Meter();
                        meter.Start();
                        var record = services.GetRequiredService<NightlyRun>().Run(CaseGenerator.Cutoff, RunTrigger.Cli);
                        meter.Stop();
                        if (record.State != RunState.Succeeded)
                        {
                            Console.Error.WriteLine(record.Error);
                            return 1;
                        }

                        cpu[mode].Add(meter.Cpu.TotalSeconds);
                        Console.WriteLine(Invariant(
                            $"round {round} explain={mode,-8} {meter}   {record.DecisionsWritten:N0} decisions, store {new FileInfo(storePath).Length / 1048576.0:F0} MB, load average {LoadAverage()}"));
                    }

                    foreach (var file in Directory.GetFiles(folder, Path.GetFileName(storePath) + "*"))
                    {
                        File.Delete(file);
                    }
                }

                Console.WriteLine(Invariant($"round {round}: all ÷ notable = {cpu["all"][^1] / cpu["notable"][^1]:F2} (CPU)"));
            }

            Console.WriteLine(Invariant(
                $"all ÷ notable over {rounds} rounds: {cpu["all"].Sum() / cpu["notable"].Sum():F2} (CPU {cpu["all"].Sum():F2} s against {cpu["notable"].Sum():F2} s); load average {LoadAverage()}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A night's read of the stored cases, side by side in one process: the SQLite store's reader (SQLite's own column
    /// functions, texts lent as UTF-8) against the same query read through the provider's data reader, as the other
    /// store reads it. N generated cases are stored once; then, round after round, each reader reads them all on one
    /// thread, timed (wall, CPU) with the bytes it allocates per case.
    /// </summary>
    public static int CompareCaseReads(int count, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slapolicy-read-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        Console.WriteLine(Invariant($"read-cases: {count:N0} cases, {rounds} rounds, folder {folder}, {Environment.ProcessorCount} processors, load average {LoadAverage()}"));
        try
        {
            var store = new SqliteStore(Path.Combine(folder, "store.db"));
            store.Migrate();
            foreach (var chunk in new CaseGenerator(7, GenerationProfile.Synthetic).Generate(count).Chunk(10_000))
            {
                store.Ingest(new RecordBatch(chunk, [], [], [], [], CaseGenerator.Cutoff));
            }

            var readers = new (string Name, Func<IEnumerable<CaseToEvaluate>> Read)[]
            {
                ("provider's data reader", () => store.ReadCasesToEvaluateThroughProvider(null, null)),
                ("SQLite's column functions", () => store.ReadCasesToEvaluate(null, null)),
            };
            var cpu = readers.ToDictionary(r => r.Name, _ => 0.0);
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (name, read) in readers)
                {
                    GC.Collect();
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var meter = new Meter();
                    meter.Start();
                    long cases = 0, events = 0;
                    foreach (var item in read())
                    {
                        cases++;
                        events += item.Case.Events.Length;
                    }

                    meter.Stop();
                    var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    cpu[name] += meter.Cpu.TotalSeconds;
                    Console.WriteLine(Invariant($"round {round} {name,-26} {meter}   {cases:N0} cases ({events:N0} events), {bytes / (double)cases:F0} bytes allocated per case"));
                }
            }

            Console.WriteLine(Invariant(
                $"column functions ÷ data reader over {rounds} rounds: {cpu[readers[1].Name] / cpu[readers[0].Name]:F2} (CPU {cpu[readers[1].Name]:F2} s against {cpu[readers[0].Name]:F2} s); load average {LoadAverage()}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A day's edit of a case: an open one is resolved an hour before <paramref name="next"/>; a resolved one is reopened
    /// (a status event after its resolution, and no resolution), or resolved again when it was reopened before.
    /// </summary>
    private static CaseRecord Edit(CaseRecord record, DateTimeOffset next) => record.ResolvedAt is { } resolved
        ? record with { ResolvedAt = null, Events = record.Events.Add(new StatusEvent(resolved.AddMinutes(30), "in_progress")) }
        : record with { ResolvedAt = next.AddHours(-1) };

    /// <summary>
    /// The run's stages one at a time, in batches of 10,000 cases like the run, on one thread (evaluation too), so
    /// each stage's cost can be read on its own. Decisions go to a second, new store.
    /// </summary>
    private static void Phases(IStore store, Engine.Evaluation.ICaseEvaluator evaluator, string scratchPath)
    {
        var scratch = new SqliteStore(scratchPath);
        scratch.Migrate();
        var asOf = CaseGenerator.Cutoff;
        var read = new Meter();
        var evaluate = new Meter();
        var explain = new Meter();
        var serialize = new Meter();
        var write = new Meter();
        var rewrite = new Meter();
        long cases = 0, decisions = 0, bytes = 0;
        using (var sink = scratch.OpenDecisionSink(scratch.StartRun(asOf, DateTimeOffset.UtcNow, RunTrigger.Cli)))
        using (var again = scratch.OpenDecisionSink(scratch.StartRun(asOf, DateTimeOffset.UtcNow, RunTrigger.Cli)))
        {
            var batch = new List<CaseRecord>(10_000);
            read.Start();
            foreach (var ticket in store.ReadCases())
            {
                batch.Add(ticket);
                if (batch.Count == 10_000)
                {
                    read.Stop();
                    Batch();
                    read.Start();
                }
            }

            read.Stop();
            Batch();

            void Batch()
            {
                cases += batch.Count;
                evaluate.Start();
                foreach (var ticket in batch)
                {
                    evaluator.Evaluate(ticket, asOf, explain: false);
                }

                evaluate.Stop();
                var explained = new List<Decision>(batch.Count * 2);
                explain.Start();
                foreach (var ticket in batch)
                {
                    explained.AddRange(evaluator.Evaluate(ticket, asOf, explain: true));
                }

                explain.Stop();
                decisions += explained.Count;
                serialize.Start();
                var scratch = new DecisionRows.Scratch();
                foreach (var d in explained)
                {
                    bytes += DecisionRows.Prepare(d, scratch).Explanation.Length;
                }

                serialize.Stop();
                write.Start();
                sink.Write(explained);
                write.Stop();
                rewrite.Start();
                again.Write(explained);
                rewrite.Stop();
                batch.Clear();
            }
        }

        Console.WriteLine(Invariant($"phases, {cases:N0} cases, {decisions:N0} decisions, wall / CPU seconds (CPU: all threads of the process):"));
        (string Stage, Meter Meter)[] stages =
        [
            ("read cases from the store (events JSON too)", read),
            ("evaluate, no explanations, one thread", evaluate),
            ("evaluate with explanations, one thread", explain),
            (Invariant($"explanation JSON + row hash, one thread ({bytes / (double)Math.Max(1, decisions):F0} bytes each)"), serialize),
            ("write decisions + escalations, new rows (JSON too)", write),
            ("write the same decisions again (repeat night)", rewrite),
        ];
        foreach (var (stage, meter) in stages)
        {
            Console.WriteLine(Invariant($"  {stage,-50} {meter}"));
        }
    }

    private static void Report(string phase, Meter meter, string detail)
    {
        meter.Stop();
        using var self = Process.GetCurrentProcess();
        var peak = self.PeakWorkingSet64;
        _peakSoFar = Math.Max(_peakSoFar, peak);
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine(Invariant(
            $"{phase,-10} {meter}   peak RSS so far {_peakSoFar / 1048576.0,5:F0} MB, of the phase {peak / 1048576.0,5:F0} MB, after it {Resident()}, managed heap {gc.HeapSizeBytes / 1048576.0,4:F0} MB (committed {gc.TotalCommittedBytes / 1048576.0,4:F0} MB), SQLite {SqliteMemory()}   {detail}"));

        // Linux: start the next phase's high-water mark afresh, so that each phase's own peak shows (memory flat or not).
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the phase's peak is then the process's so far.
        }
    }

    private static long _peakSoFar;

    /// <summary>What SQLite's allocator holds now (page caches, statements) and its high-water mark since the last phase.</summary>
    private static string SqliteMemory()
    {
        SQLitePCL.Batteries_V2.Init();
        return Invariant($"{SQLitePCL.raw.sqlite3_memory_used() / 1048576.0:F0} MB (peak {SQLitePCL.raw.sqlite3_memory_highwater(1) / 1048576.0:F0} MB)");
    }

    /// <summary>The resident memory now, anonymous (heaps: managed, SQLite's page caches) and file-backed (code, mapped files); Linux only.</summary>
    private static string Resident()
    {
        try
        {
            var status = File.ReadAllLines("/proc/self/status");
            string Kb(string name) => status.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
                ? Invariant($"{long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0:F0} MB")
                : "?";
            return $"anon {Kb("RssAnon")} + file {Kb("RssFile")}";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>
    /// Wall time and the process's CPU time (user + system, every thread) over the intervals between Start and Stop.
    /// CPU time is the steadier figure on a shared machine: waiting for a core does not count.
    /// </summary>
    private sealed class Meter
    {
        private readonly Stopwatch _wall = new();
        private TimeSpan _cpu;
        private TimeSpan _cpuAtStart;

        public void Start()
        {
            _cpuAtStart = ProcessCpu();
            _wall.Start();
        }

        public void Restart()
        {
            _wall.Reset();
            _cpu = TimeSpan.Zero;
            Start();
        }

        public void Stop()
        {
            if (_wall.IsRunning)
            {
                _wall.Stop();
                _cpu += ProcessCpu() - _cpuAtStart;
            }
        }

        public TimeSpan Cpu => _cpu;

        public override string ToString() => Invariant($"{_wall.Elapsed.TotalSeconds,7:F2} s wall {_cpu.TotalSeconds,7:F2} s CPU");

        private static TimeSpan ProcessCpu()
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
