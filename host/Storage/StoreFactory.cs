using SlaPolicy.Host.Storage.Postgres;

namespace SlaPolicy.Host.Storage;

/// <summary>
/// Chooses the store from configuration: <c>Store:Provider</c> is <c>sqlite</c> (the default; the file at
/// <c>Store:Path</c>) or <c>postgres</c> (the database of <c>Store:ConnectionString</c>). See docs/OPERATIONS.md
/// and docs/SCALE-OUT.md.
/// </summary>
public static class StoreFactory
{
    /// <summary>The provider names <see cref="Create"/> accepts (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> Providers = ["sqlite", "postgres"];

    /// <summary>
    /// A store for <paramref name="provider"/> (null or empty means <c>sqlite</c>), not yet migrated.
    /// Throws <see cref="InvalidOperationException"/> naming the configuration key when the provider is unknown or
    /// the postgres connection string is missing.
    /// </summary>
    public static IStore Create(string? provider, string sqlitePath, string? connectionString)
    {
        switch ((provider ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "" or "sqlite":
                return new SqliteStore(sqlitePath);
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Store:Provider is postgres but Store:ConnectionString is empty (set it in appsettings.json or SLAPOLICY_Store__ConnectionString, e.g. Host=127.0.0.1;Username=slapolicy;Password=...;Database=slapolicy)");
                }

                return new PostgresStore(connectionString);
            default:
                throw new InvalidOperationException($"Store:Provider `{provider}` is not known; use sqlite or postgres");
        }
    }
}
