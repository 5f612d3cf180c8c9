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
internal readonly record struct DecisionRow(Decision Decision, byte[] Explanation, long Hash)
{
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

    /// <summary>Prepares every decision of the batch, in order.</summary>
    public static DecisionRow[] Prepare(IReadOnlyList<Decision> decisions)
    {
        var rows = new DecisionRow[decisions.Count];
        if (decisions.Count < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = Prepare(decisions[i], buffer);
            }

            return rows;
        }

        // Ranges of a few hundred decisions per task: one buffer per range, negligible scheduling overhead.
        var rangeSize = Math.Max(256, rows.Length / (Environment.ProcessorCount * 4));
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows.Length, rangeSize), range =>
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            for (var i = range.Item1; i < range.Item2; i++)
            {
                rows[i] = Prepare(decisions[i], buffer);
            }
        });
        return rows;
    }

    /// <summary>Prepares one decision, using <paramref name="buffer"/> as scratch space.</summary>
    public static DecisionRow Prepare(Decision decision, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteExplanation(writer, decision.Explanation);
        }

        var explanation = buffer.WrittenSpan.ToArray();

        // The other stored values follow the explanation in the hashed bytes; each is delimited by the JSON array.
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(decision.Policy);
            writer.WriteStringValue(StoreText.Status(decision.Status));
            if (decision.DueAt is { } due)
            {
                writer.WriteStringValue(StoreText.Utc(due));
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteNumberValue(decision.ElapsedMinutes);
            writer.WriteNumberValue(decision.PausedMinutes);
            writer.WriteNumberValue(decision.PercentUsed);
            writer.WriteNumberValue(decision.EscalationLevel);
            writer.WriteStringValue(StoreText.Utc(decision.AsOf));
            writer.WriteStringValue(decision.PolicyFile);
            writer.WriteNumberValue(decision.PolicyLine);
            writer.WriteStringValue(decision.RuleName);
            writer.WriteStringValue(decision.Customer);
            writer.WriteStringValue(decision.Service);
            writer.WriteEndArray();
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return new DecisionRow(decision, explanation, BitConverter.ToInt64(digest));
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
