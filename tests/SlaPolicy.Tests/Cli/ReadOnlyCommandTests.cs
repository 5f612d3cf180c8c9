using System.CommandLine;
using Npgsql;

namespace SlaPolicy.Tests.Cli;

/// <summary>A command that only reads the store (<c>why</c>) says when the store does not exist, and creates nothing.</summary>
public class ReadOnlyCommandTests
{
    [Fact]
    public void Why_SqliteStoreMissing_OneLineNamingThePathAndNothingCreated()
    {
        using var folder = new TempFolder();
        var path = Path.Join(folder.Path, "data", "slapolicy.db");
        var error = new StringWriter();

        var exit = WhyCommand.Invoke([new("Store:Path", path)], "C-1001", error);

        exit.ShouldBe(1);
        var line = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem();
        line.ShouldStartWith("error: ");
        line.ShouldContain($"Store:Path `{path}`");
        line.ShouldContain("does not exist");
        Directory.Exists(Path.Join(folder.Path, "data")).ShouldBeFalse();
    }

    [Fact]
    public async Task Why_MistypedStoreOption_ThroughTheCommandLine_SaysTheStoreDoesNotExist()
    {
        using var folder = new TempFolder();
        var error = new StringWriter();

        var exit = await CliApp.CreateRoot().Parse(["why", "C-1001", "--store", folder.File("slapolcy.db")])
            .InvokeAsync(new InvocationConfiguration { Error = error, Output = new StringWriter() });

        exit.ShouldBe(1);
        error.ToString().ShouldContain("does not exist");
        File.Exists(folder.File("slapolcy.db")).ShouldBeFalse();
    }

    [PostgresFact]
    public void Why_PostgresDatabaseMissing_OneLineNamingTheDatabaseAndNothingCreated()
    {
        var database = $"slapolicy_missing_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = database }.ToString();
        var error = new StringWriter();

        var exit = WhyCommand.Invoke([new("Store:Provider", "postgres"), new("Store:ConnectionString", connectionString)], "C-1001", error);

        exit.ShouldBe(1);
        var line = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem();
        line.ShouldStartWith("error: ");
        line.ShouldContain($"database `{database}` does not exist");
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(0);
    }
}
