using System.Net.Http.Headers;
using Xunit.Sdk;

namespace SlaPolicy.Tests.Ingestion;

/// <summary>The two ways records reach a running host.</summary>
public enum Channel
{
    /// <summary><c>POST /api/{kind}</c> with the token.</summary>
    Api,

    /// <summary>A file dropped into the inbox folder.</summary>
    Inbox,
}

/// <summary>The SQLite rows of a bad-input theory: each channel on SQLite.</summary>
public sealed class SqliteChannelsAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) =>
        [[StoreKind.Sqlite, Channel.Api], [StoreKind.Sqlite, Channel.Inbox]];
}

/// <summary>
/// The PostgreSQL rows of a bad-input theory: each channel on a database of its own, on the server of
/// <see cref="TestPostgres"/> (skipped as <see cref="PostgresDataAttribute"/> rows are).
/// </summary>
public sealed class PostgresChannelsAttribute : DataAttribute
{
    public PostgresChannelsAttribute()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }

    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) =>
        [[StoreKind.Postgres, Channel.Api], [StoreKind.Postgres, Channel.Inbox]];
}

/// <summary>What a delivery came back with: the API's status and answer; for the inbox, the folder the file went to.</summary>
internal sealed record Delivered(HttpStatusCode? Status, JsonElement? Answer, string? Folder);

internal static class Delivery
{
    /// <summary>
    /// Sends <paramref name="body"/> as records of <paramref name="kind"/> (<c>cases</c>, <c>outages</c>, ...) and
    /// returns once the host has ingested them: the API answers; an inbox file is written beside the inbox and moved
    /// in whole, then waited for until the watcher has moved it to <c>processed/</c> or <c>failed/</c>.
    /// </summary>
    public static async Task<Delivered> Send(RunningHost host, TempFolder folder, Channel channel, string kind, byte[] body)
    {
        if (channel == Channel.Api)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{kind}") { Content = new ByteArrayContent(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningHost.Token);
            var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new Delivered(response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone(), null);
        }

        var inbox = folder.File("inbox");
        var name = $"{kind}-{Guid.NewGuid():N}.jsonl";
        var staged = folder.File(name);
        await File.WriteAllBytesAsync(staged, body);
        File.Move(staged, Path.Combine(inbox, name));
        string? landed = null;
        var done = await RunningHost.WaitUntil(
            () => (landed = new[] { "processed", "failed" }.FirstOrDefault(f => File.Exists(Path.Combine(inbox, f, name)))) is not null,
            TimeSpan.FromSeconds(60));
        done.ShouldBeTrue($"the inbox never took {name}");
        return new Delivered(null, null, landed);
    }

    public static Task<Delivered> Send(RunningHost host, TempFolder folder, Channel channel, string kind, IEnumerable<string> lines) =>
        Send(host, folder, channel, kind, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
}
