using Npgsql;

namespace SlaPolicy.Tests.Support;

public class PrivatePostgresTests
{
    [Fact]
    public async Task StopImmediate_ThenStartAgain_CommittedRowSurvivesOnTheSamePort()
    {
        await using var server = await PrivatePostgres.StartAsync();
        var port = server.Port;
        await Execute(server.ConnectionString, "CREATE TABLE t (id int PRIMARY KEY, note text); INSERT INTO t VALUES (1, 'committed')");

        // An immediate stop writes no checkpoint: the row comes back only through the replay of the write-ahead
        // log at the next start, which is what a crash of the database server leaves to recover from.
        await server.StopAsync(immediate: true);
        await server.StartAgainAsync();

        server.Port.ShouldBe(port);
        (await Scalar(server.ConnectionString, "SELECT note FROM t WHERE id = 1")).ShouldBe("committed");
        server.LogTail().ShouldContain("database system was interrupted");
    }

    [Fact]
    public async Task Restart_ConnectionOpenAcrossIt_FailsTransientlyAndANewConnectionWorks()
    {
        await using var server = await PrivatePostgres.StartAsync();
        await using var open = new NpgsqlConnection(server.ConnectionString);
        await open.OpenAsync();

        await server.RestartAsync(immediate: true);

        await using var command = new NpgsqlCommand("SELECT 1", open);
        var error = await Should.ThrowAsync<NpgsqlException>(() => command.ExecuteScalarAsync());
        error.IsTransient.ShouldBeTrue(error.ToString());
        (await Scalar(server.ConnectionString, "SELECT 'again'")).ShouldBe("again");
    }

    [Fact]
    public async Task Dispose_RunningServer_StopsItAndDeletesItsFolder()
    {
        var server = await PrivatePostgres.StartAsync();
        var folder = server.Folder;
        var connectionString = server.ConnectionString;

        await server.DisposeAsync();

        Directory.Exists(folder).ShouldBeFalse();
        await Should.ThrowAsync<NpgsqlException>(() => Scalar(connectionString, "SELECT 1"));
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
