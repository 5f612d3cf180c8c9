namespace SlaPolicy.Tests.Support;

/// <summary>
/// The PostgreSQL server of the store tests. <c>SLAPOLICY_TEST_POSTGRES</c> (an Npgsql connection string to an
/// existing database whose user may create databases) points them at a server of the caller's; without it the
/// test process starts a <see cref="PrivatePostgres"/> of its own on first use, shared by every test of the
/// process and stopped (its folder deleted) when the process exits. No test depends on a server configured by hand.
/// <c>SLAPOLICY_SKIP_POSTGRES=1</c> with no connection string reports the PostgreSQL rows as skipped instead.
/// </summary>
internal static class TestPostgres
{
    private static readonly Lazy<string> Private = new(StartPrivate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string the caller configured, or null.</summary>
    public static string? Configured =>
        Environment.GetEnvironmentVariable("SLAPOLICY_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>The skip reason of a PostgreSQL row, or null when it runs.</summary>
    public static string? SkipReason => Configured is null && Environment.GetEnvironmentVariable("SLAPOLICY_SKIP_POSTGRES") == "1"
        ? "SLAPOLICY_SKIP_POSTGRES=1 and SLAPOLICY_TEST_POSTGRES is not set: PostgreSQL store not tested"
        : null;

    /// <summary>The server's maintenance database: the configured one, else the private server (started now if need be).</summary>
    public static string ConnectionString => Configured ?? Private.Value;

    private static string StartPrivate()
    {
        var server = PrivatePostgres.StartAsync().GetAwaiter().GetResult();
        server.StopWhenThisProcessExitsAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server.ConnectionString;
    }
}
