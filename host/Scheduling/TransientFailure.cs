using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SlaPolicy.Host.Scheduling;

/// <summary>
/// Tells a database failure worth retrying (the server restarted, the connection was cut, the file was busy) from one
/// that will fail again the same way (bad SQL, a constraint, a bug). A partition that meets a transient failure is run
/// again from its start (see <see cref="HostSettings.RunRetrySeconds"/>).
/// </summary>
public static class TransientFailure
{
    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is a transient database failure.</summary>
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg when pg.IsTransient || IsConnectionState(pg.SqlState):
                    return true;
                case PostgresException:
                    // A server error that is not about the connection (syntax, constraint): retrying repeats it.
                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case NpgsqlException { InnerException: IOException or SocketException or TimeoutException }:
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6: // SQLITE_BUSY, SQLITE_LOCKED
                    return true;
                case SocketException or TimeoutException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Class 08 (connection exception), 57P01 to 57P03 (the server is shutting down, crashed, or is starting), 53 (out of
    /// resources), 40001 and 40P01 (serialization failure, deadlock).
    /// </summary>
    private static bool IsConnectionState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "40001" or "40P01" || state.StartsWith("53", StringComparison.Ordinal);
}
