using System.Buffers;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SlaPolicy.Engine.Decisions;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// A decision ready to be stored: its explanation as the JSON text of the <c>explanation</c> column and the
/// <see cref="Hash"/> of everything a reader sees in its row (the <c>decision_hash</c> column).
/// </summary>
/// <param name="Decision">The decision.</param>
/// <param name="Explanation">The explanation steps as UTF-8 JSON, in the shape <see cref="StoreText.ParseExplanation"/> reads.</param>
/// <param name="Hash">
/// The first 8 bytes of the SHA-256 of the stored values other than the key and the run id; two rows under one key
/// with equal hashes are taken as equal, which is how a repeat night finds that nothing changed.
/// </param>
/// <param name="InputsHash">The hash of the case record the decision was made from (<see cref="CaseInputs.Hash"/>), when known.</param>
/// <param name="Fingerprint">The policy fingerprint of the case's customer when it was made, when known.</param>
internal readonly record struct DecisionRow(Decision Decision, byte[] Explanation, long Hash, long? InputsHash = null, long? Fingerprint = null)
{
    /// <summary>
    /// The first 8 bytes of the SHA-256 of the stored values that do not move with the evaluation time (the
    /// <c>state_hash</c> column): policy, status, escalation level, stop instant, policy file and line, rule, customer,
    /// service, severity, the proof and the number of the case's decisions (so that when every decision of a case moves
    /// forward, every current row of it did: see <see cref="DecisionRows.MovedForward"/>). Everything else (asOf and evaluation date, elapsed, paused and percent used, due
    /// instant, explanation, run) may differ between two rows of one state; see <see cref="CaseOutcome.Continues"/>.
    /// </summary>
    public long StateHash { get; init; }

    /// <summary>The decision's current row may be moved forward to this night when its state is unchanged (<see cref="CaseOutcome.Continues"/>).</summary>
    public bool Continues { get; init; }

    /// <summary>The explanation JSON as a string, for stores whose driver takes text as strings.</summary>
    public string ExplanationText => Encoding.UTF8.GetString(Explanation);
}

/// <summary>
/// Turns decisions into <see cref="DecisionRow"/>s for both stores. The explanation JSON is written once with a
/// <see cref="Utf8JsonWriter"/> (no reflection, no escaping of <c>`</c> or <c>+</c>, which explanations are full of),
/// and the hash is taken over the same bytes, so a batch is prepared in one pass, on several threads when it is large.
/// </summary>
internal static class DecisionRows
{
    /// <summary>Below this many decisions a batch is prepared on the calling thread.</summary>
    private const int ParallelThreshold = 2_048;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Prepares every decision of the batch, in order, with the proof of its case's outcome (<see cref="CaseOutcome"/>).</summary>
    public static DecisionRow[] Prepare(IReadOnlyList<Decision> decisions, IReadOnlyList<CaseOutcome> cases)
    {
        var proofs = new (long? Inputs, long? Fingerprint, bool Continues, int Decisions)[decisions.Count];
        var at = 0;
        foreach (var outcome in cases)
        {
            for (var k = 0; k < outcome.Decisions; k++, at++)
            {
                proofs[at] = (outcome.InputsHash, outcome.Fingerprint, outcome.Continues, outcome.Decisions);
            }
        }

        if (at != decisions.Count)
        {
            throw new ArgumentException($"the outcomes account for {at} decisions of {decisions.Count}", nameof(cases));
        }

        var rows = new DecisionRow[decisions.Count];
        if (decisions.Count < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            var scratch = new Scratch();
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = Prepare(decisions[i], scratch, proofs[i].Inputs, proofs[i].Fingerprint, proofs[i].Decisions) with { Continues = proofs[i].Continues };
            }

            return rows;
        }

        // Ranges of a few hundred decisions per task: one scratch buffer per range, negligible scheduling overhead.
        var rangeSize = Math.Max(256, rows.Length / (Environment.ProcessorCount * 4));
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows.Length, rangeSize), range =>
        {
            var scratch = new Scratch();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                rows[i] = Prepare(decisions[i], scratch, proofs[i].Inputs, proofs[i].Fingerprint, proofs[i].Decisions) with { Continues = proofs[i].Continues };
            }
        });
        return rows;
    }

    /// <summary>
    /// Prepares one decision, using <paramref name="scratch"/> (one per thread) as working space; <paramref name="caseDecisions"/>
    /// is the number of decisions its case has in the batch (part of its state).
    /// </summary>
    public static DecisionRow Prepare(Decision decision, Scratch scratch, long? inputsHash = null, long? fingerprint = null, int? caseDecisions = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(scratch);
        var buffer = scratch.Buffer;
        var writer = scratch.Writer;
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        WriteExplanation(writer, decision.Explanation);
        writer.Flush();
        var explanation = buffer.WrittenSpan.ToArray();

        // The other stored values follow the explanation in the hashed bytes, as one JSON array (so each is
        // delimited); instants as UTC ticks, which is what their stored text encodes.
        writer.Reset(buffer);
        writer.WriteStartArray();
        writer.WriteStringValue(decision.Policy);
        writer.WriteNumberValue((int)decision.Status);
        WriteNumbers(writer, [decision.DueAt?.UtcTicks]);

        writer.WriteNumberValue(decision.ElapsedMinutes);
        writer.WriteNumberValue(decision.PausedMinutes);
        writer.WriteNumberValue(decision.PercentUsed);
        writer.WriteNumberValue(decision.EscalationLevel);
        writer.WriteNumberValue(decision.AsOf.UtcTicks);
        writer.WriteStringValue(decision.PolicyFile);
        writer.WriteNumberValue(decision.PolicyLine);
        writer.WriteStringValue(decision.RuleName);
        writer.WriteStringValue(decision.Customer);
        writer.WriteStringValue(decision.Service);
        WriteNumbers(writer, [decision.StoppedAt?.UtcTicks]);

        WriteNumbers(writer, [decision.Severity, inputsHash, fingerprint]);

        writer.WriteEndArray();
        writer.Flush();
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, digest);
        var hash = BitConverter.ToInt64(digest);

        // What stays while only the evaluation time moves, delimited the same way.
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartArray();
        writer.WriteStringValue(decision.Policy);
        writer.WriteNumberValue((int)decision.Status);
        writer.WriteNumberValue(decision.EscalationLevel);
        WriteNumbers(writer, [decision.StoppedAt?.UtcTicks]);

        writer.WriteStringValue(decision.PolicyFile);
        writer.WriteNumberValue(decision.PolicyLine);
        writer.WriteStringValue(decision.RuleName);
        writer.WriteStringValue(decision.Customer);
        writer.WriteStringValue(decision.Service);
        WriteNumbers(writer, [decision.Severity, inputsHash, fingerprint, caseDecisions]);

        writer.WriteEndArray();
        writer.Flush();
        SHA256.HashData(buffer.WrittenSpan, digest);
        return new DecisionRow(decision, explanation, hash, inputsHash, fingerprint) { StateHash = BitConverter.ToInt64(digest) };
    }

    /// <summary>
    /// The cases of <paramref name="cases"/> each of whose decisions moved its current row forward (<paramref name="moved"/>,
    /// by the row's position in the batch) when <paramref name="nothingLater"/>: no row of the batch's evaluation date or a
    /// later one was stored before the run (<see cref="StoreRows.LatestOtherRunSql"/>). Such a case has nothing to retire
    /// and nothing stale: its rows moved only where the state hash, which holds the number of the case's decisions, was
    /// that of the row, so the case had as many current rows as it has decisions, all of them moved; and no other row of
    /// it lies on the night's date. Its retirement and stale-decision statements are skipped.
    /// </summary>
    public static HashSet<string> MovedForward(IReadOnlyList<CaseOutcome> cases, Func<int, bool> moved, bool nothingLater)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        if (!nothingLater)
        {
            return all;
        }

        var at = 0;
        foreach (var outcome in cases)
        {
            var every = outcome.Continues && outcome.Decisions > 0;
            for (var k = 0; k < outcome.Decisions; k++, at++)
            {
                every &= moved(at);
            }

            if (every)
            {
                all.Add(outcome.CaseId);
            }
        }

        return all;
    }

    /// <summary>Writes each number, or null when it has none.</summary>
    private static void WriteNumbers(Utf8JsonWriter writer, ReadOnlySpan<long?> values)
    {
        foreach (var value in values)
        {
            if (value is { } number)
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    /// <summary>A buffer and a JSON writer over it, reused for every decision one thread prepares.</summary>
    internal sealed class Scratch
    {
        public Scratch()
        {
            Writer = new Utf8JsonWriter(Buffer, WriterOptions);
        }

        public ArrayBufferWriter<byte> Buffer { get; } = new(4096);

        public Utf8JsonWriter Writer { get; }
    }

    /// <summary>
    /// Writes explanation steps as the JSON array the store keeps: objects with <c>kind</c>, <c>text</c>, and when
    /// known <c>location</c> (<c>file</c>, <c>line</c>, <c>column</c>) and <c>at</c> (ISO 8601 with offset).
    /// </summary>
    public static void WriteExplanation(Utf8JsonWriter writer, ImmutableArray<ExplanationStep> steps)
    {
        writer.WriteStartArray();
        if (!steps.IsDefault)
        {
            foreach (var step in steps)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", step.Kind);
                writer.WriteString("text", step.Text);
                if (step.Location is { } location)
                {
                    writer.WriteStartObject("location");
                    writer.WriteString("file", location.File);
                    writer.WriteNumber("line", location.Line);
                    writer.WriteNumber("column", location.Column);
                    writer.WriteEndObject();
                }

                if (step.At is { } at)
                {
                    writer.WriteString("at", at);
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    }
}
