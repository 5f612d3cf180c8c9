using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Engine.Compilation.Scopes;
using SlaPolicy.Engine.Policies;

namespace SlaPolicy.Engine.Evaluation;

/// <summary>
/// The fingerprints of <see cref="ICaseEvaluator.ScopeFingerprint"/> for one policy set: per customer, a hash of the
/// content of every version that may govern a case of that customer (by its <c>appliesTo</c> customer, whatever its
/// tier, region, service or dates), of the calendars those versions count on, of which of them are in force, of the rule
/// executor and of the engine's own version. A policy edit changes the fingerprint of exactly the customers it may govern.
/// </summary>
/// <remarks>Thread-safe; each version's content is hashed once, each customer's fingerprint computed once.</remarks>
internal sealed class PolicyFingerprints
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        IncludeFields = false,
    };

    private static readonly string EngineVersion =
        typeof(PolicyFingerprints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private readonly PolicySet _all;
    private readonly Func<Policy, bool> _inForce;
    private readonly RuleExecutor _executor;
    private readonly ConcurrentDictionary<Policy, byte[]> _contents = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, long> _customers = new(StringComparer.Ordinal);

    public PolicyFingerprints(PolicySet all, Func<Policy, bool> inForce, RuleExecutor executor)
    {
        _all = all;
        _inForce = inForce;
        _executor = executor;
    }

    private long? _set;

    public long For(string customer) => _customers.GetOrAdd(customer, c => Compute(_all.Policies.Where(p => ScopeConflicts.CanGovern(p) && ScopeRules.MayCoverCustomer(p.AppliesTo, c))));

    /// <summary>Of every version of the set, abstract ones too, and every calendar.</summary>
    public long ForSet() => _set ??= Compute(_all.Policies, _all.Calendars.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value));

    private long Compute(IEnumerable<Policy> policies, IEnumerable<CalendarDefinition>? calendars = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(new[] { EngineVersion, _executor.ToString() }, Options));
        foreach (var policy in policies.OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal))
        {
            hash.AppendData(_contents.GetOrAdd(policy, Content));
            hash.AppendData(_inForce(policy) ? [1] : [0]);
        }

        foreach (var calendar in calendars ?? [])
        {
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(calendar, Options));
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return BitConverter.ToInt64(digest);
    }

    private byte[] Content(Policy policy)
    {
        var calendar = policy.Calendar is { } id && _all.Calendars.TryGetValue(id, out var definition) ? definition : null;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { policy, calendar }, Options);
        return SHA256.HashData(bytes);
    }
}
