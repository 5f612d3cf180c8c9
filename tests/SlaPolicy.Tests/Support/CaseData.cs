using System.Net.Http.Headers;
using System.Net.Http.Json;
using SlaPolicy.Host.Web;

namespace SlaPolicy.Tests.Support;

/// <summary>
/// Generated cases for the fault tests (the engine's <see cref="CaseGenerator"/>, synthetic profile: ids
/// <c>S-0000001</c> upwards, or with another prefix), written as JSON Lines and ingested through the API or the store.
/// </summary>
internal static class CaseData
{
    /// <summary>
    /// Enough cases for a run that lasts several seconds in a Debug host on two shared cores (a test host evaluates
    /// and writes some thousands of cases a second), so that a test can act on it while it is going.
    /// </summary>
    public const int LongRunCases = 20_000;

    /// <summary>The instant the generated cases are written for (<see cref="CaseGenerator.Cutoff"/>); the runs of the fault tests use it as asOf.</summary>
    public static DateTimeOffset AsOf => CaseGenerator.Cutoff;

    /// <summary>
    /// The same seed gives the same cases; <paramref name="idPrefix"/> replaces the generator's <c>S-</c> so that two
    /// batches do not share ids (<c>N-0000001</c>, ...).
    /// </summary>
    public static IEnumerable<CaseRecord> Generate(int count, int seed = 7, string idPrefix = "S-") =>
        new CaseGenerator(seed, GenerationProfile.Synthetic).Generate(count)
            .Select(c => idPrefix == "S-" ? c : c with { Id = idPrefix + c.Id[2..] });

    /// <summary>Writes <paramref name="count"/> generated cases to <paramref name="path"/> as JSON Lines; returns the path.</summary>
    public static string WriteJsonLines(string path, int count, int seed = 7, string idPrefix = "S-")
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var writer = new JsonLinesWriter(stream);
        foreach (var record in Generate(count, seed, idPrefix))
        {
            writer.Write(record);
        }

        writer.Flush();
        return path;
    }

    /// <summary>
    /// POSTs a JSON Lines file to <c>/api/cases</c>, streaming it, and returns the answer; throws with the body when
    /// the status is not 200.
    /// </summary>
    public static async Task<IngestView> PostAsync(HttpClient client, string path)
    {
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await client.PostAsync("/api/cases", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST /api/cases answered {(int)response.StatusCode}: {body}");
        }

        return JsonSerializer.Deserialize<IngestView>(body, Json.Options)!;
    }

    /// <summary>Ingests generated cases straight into a store, in batches of 10,000 (faster than the API when the API is not under test).</summary>
    public static void Ingest(IStore store, int count, int seed = 7, string idPrefix = "S-")
    {
        foreach (var chunk in Generate(count, seed, idPrefix).Chunk(10_000))
        {
            store.Ingest(new RecordBatch(chunk, [], [], [], [], DateTimeOffset.UtcNow));
        }
    }
}

/// <summary>The JSON options of the API's answers (camelCase, kebab-case enums), for reading them back.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        SlaPolicyWebHost.ConfigureJson(options);
        return options;
    }

    public static async Task<T> GetAsync<T>(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<T>(path, Options))!;
}
