using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// Opens the configured store for a command, so that a bad store configuration (unknown <c>Store:Provider</c>,
/// an unreachable or malformed <c>Store:ConnectionString</c>, an unwritable <c>Store:Path</c>) ends the command with
/// one line naming the setting and what is wrong, and exit code 1, instead of a stack trace.
/// </summary>
internal static class StoreSetup
{
    /// <summary>The store, created and migrated; null after writing the reason to <paramref name="error"/>.</summary>
    public static IStore? TryOpen(IServiceProvider services, TextWriter error)
    {
        var settings = services.GetRequiredService<HostSettings>();
        try
        {
            return services.GetRequiredService<IStore>();
        }
        catch (Exception e) when (Describe(e, settings) is { } reason)
        {
            error.WriteLine($"error: {reason}");
            return null;
        }
    }

    /// <summary>
    /// The store for a command that only reads it (<c>why</c>): as <see cref="TryOpen"/>, except that a store that does
    /// not exist (no SQLite file at <c>Store:Path</c>, no PostgreSQL database of <c>Store:ConnectionString</c>) is not
    /// created: the reason goes to <paramref name="error"/> in one line naming the setting, and the result is null.
    /// </summary>
    public static IStore? TryOpenExisting(IServiceProvider services, TextWriter error)
    {
        var settings = services.GetRequiredService<HostSettings>();
        try
        {
            if (Missing(settings) is { } missing)
            {
                error.WriteLine($"error: {missing}");
                return null;
            }
        }
        catch (Exception e) when (Describe(e, settings) is { } reason)
        {
            error.WriteLine($"error: {reason}");
            return null;
        }

        return TryOpen(services, error);
    }

    /// <summary>Why the configured store does not exist; null when it does, or when the configuration is for <see cref="TryOpen"/> to judge.</summary>
    private static string? Missing(HostSettings settings)
    {
        const string hint = "commands that only read do not create a store; check the setting, or create it with `slapolicy run`";
        switch ((settings.StoreProvider ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "" or "sqlite":
                var full = Path.GetFullPath(settings.StorePath);
                var shown = string.Equals(full, settings.StorePath, StringComparison.Ordinal) ? $"`{full}`" : $"`{settings.StorePath}` ({full})";
                return File.Exists(full) ? null : $"cannot open the SQLite file of Store:Path {shown}: it does not exist; {hint}";
            case "postgres" or "postgresql" when !string.IsNullOrWhiteSpace(settings.StoreConnectionString):
                var builder = new NpgsqlConnectionStringBuilder(settings.StoreConnectionString) { Pooling = false };
                using (var connection = new NpgsqlConnection(builder.ToString()))
                {
                    try
                    {
                        connection.Open();
                        return null;
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
                    {
                        return $"cannot use the PostgreSQL database of Store:ConnectionString `{Redacted(settings.StoreConnectionString)}`: database `{builder.Database}` does not exist; {hint}";
                    }
                }

            default:
                return null;
        }
    }

    /// <summary>One line saying which setting is wrong and why; null for an exception that is not about the configuration.</summary>
    internal static string? Describe(Exception e, HostSettings settings)
    {
        var postgres = !string.Equals(settings.StoreProvider, "sqlite", StringComparison.OrdinalIgnoreCase);
        return e switch
        {
            // StoreFactory's own messages name the key already (unknown provider, missing connection string).
            InvalidOperationException when e.Message.StartsWith("Store:", StringComparison.Ordinal) => e.Message,
            ArgumentException when postgres =>
                $"Store:ConnectionString is not a valid Npgsql connection string ({e.Message}); e.g. Host=127.0.0.1;Username=slapolicy;Password=...;Database=slapolicy",
            NpgsqlException or SocketException or TimeoutException when postgres =>
                $"cannot use the PostgreSQL database of Store:ConnectionString `{Redacted(settings.StoreConnectionString)}`: {Innermost(e).Message}",
            SqliteException or IOException or UnauthorizedAccessException or DbException when !postgres =>
                $"cannot open the SQLite file of Store:Path `{settings.StorePath}`: {Innermost(e).Message}",
            _ => null,
        };
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner && e is not PostgresException ? Innermost(inner) : e;

    /// <summary>The connection string without its password, fit for an error line.</summary>
    private static string Redacted(string? connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ToString();
        }
        catch (ArgumentException)
        {
            return "(not readable)";
        }
    }
}
