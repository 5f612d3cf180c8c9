using System.CommandLine;

namespace SlaPolicy.Tests.Cli;

/// <summary>
/// <c>run</c>, <c>why</c> and <c>serve</c> on a store configuration they cannot use: one line naming the setting
/// and what is wrong, exit code 1, no stack trace.
/// </summary>
public class StoreConfigurationErrorTests
{
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=slapolicy;Password=secret-password;Database=slapolicy;Timeout=5";

    /// <summary>A store configuration and the words its error line must hold.</summary>
    public static TheoryData<string, string> BadConfigurations => new()
    {
        { "unknown provider", "Store:Provider `mongodb` is not known; use sqlite or postgres" },
        { "postgres without a connection string", "Store:Provider is postgres but Store:ConnectionString is empty" },
        { "unreachable postgres", "cannot use the PostgreSQL database of Store:ConnectionString `Host=127.0.0.1;Port=1;" },
        { "malformed connection string", "Store:ConnectionString is not a valid Npgsql connection string" },
        { "unwritable sqlite path", "cannot open the SQLite file of Store:Path `" },
    };

    private static Dictionary<string, string?> Overrides(string configuration, TempFolder folder)
    {
        // A regular file where the store's folder should be: not creatable, even for root.
        var blocked = folder.File("not-a-folder");
        File.WriteAllText(blocked, "x");
        return configuration switch
        {
            "unknown provider" => new() { ["Store:Provider"] = "mongodb" },
            "postgres without a connection string" => new() { ["Store:Provider"] = "postgres", ["Store:ConnectionString"] = "" },
            "unreachable postgres" => new() { ["Store:Provider"] = "postgres", ["Store:ConnectionString"] = Unreachable },
            "malformed connection string" => new() { ["Store:Provider"] = "postgres", ["Store:ConnectionString"] = "Host=127.0.0.1;NoSuchKeyword=1" },
            "unwritable sqlite path" => new() { ["Store:Provider"] = "sqlite", ["Store:Path"] = Path.Join(blocked, "db", "slapolicy.db") },
            _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
        };
    }

    private static void ShouldBeOneClearLine(string error, string expected)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, error);
        lines[0].ShouldStartWith("error: ");
        lines[0].ShouldContain(expected, Case.Sensitive);
        lines[0].ShouldNotContain("secret-password");
        error.ShouldNotContain("   at ");
    }

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void Run_BadStoreConfiguration_OneLineNamingTheSettingAndExit1(string configuration, string expected)
    {
        using var folder = new TempFolder();
        var error = new StringWriter();

        var exit = RunCommand.Invoke(Overrides(configuration, folder), asOf: null, ingest: null, new StringWriter(), error);

        exit.ShouldBe(1);
        ShouldBeOneClearLine(error.ToString(), expected);
    }

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void Why_BadStoreConfiguration_OneLineNamingTheSettingAndExit1(string configuration, string expected)
    {
        using var folder = new TempFolder();
        var error = new StringWriter();

        var exit = WhyCommand.Invoke(Overrides(configuration, folder), "C-1001", error);

        exit.ShouldBe(1);
        ShouldBeOneClearLine(error.ToString(), expected);
    }

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task Serve_BadStoreConfiguration_OneLineNamingTheSettingAndExit1(string configuration, string expected)
    {
        using var folder = new TempFolder();
        var error = new StringWriter();
        var overrides = Overrides(configuration, folder);
        overrides["Ingestion:Inbox"] = folder.File("inbox");

        var exit = await ServeCommand.Invoke("http://127.0.0.1:0", overrides, error, CancellationToken.None);

        exit.ShouldBe(1);
        ShouldBeOneClearLine(error.ToString(), expected);
    }

    [Fact]
    public async Task Serve_SchedulerFilesInUseByAnotherHost_OneLineAndExit1()
    {
        using var folder = new TempFolder();
        using var other = SchedulerStorage.Open(new HostSettings { StorePath = folder.File("slapolicy.db") });
        var error = new StringWriter();
        var overrides = new Dictionary<string, string?> { ["Store:Path"] = folder.File("slapolicy.db"), ["Ingestion:Inbox"] = folder.File("inbox") };

        var exit = await ServeCommand.Invoke("http://127.0.0.1:0", overrides, error, CancellationToken.None);

        exit.ShouldBe(1);
        ShouldBeOneClearLine(error.ToString(), "is in use by another host");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("why", "C-1001")]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    public async Task Command_UnwritableStoreOption_ThroughTheCommandLine_OneLineAndExit1(params string[] args)
    {
        using var folder = new TempFolder();
        var blocked = folder.File("not-a-folder");
        await File.WriteAllTextAsync(blocked, "x");
        var error = new StringWriter();

        var exit = await CliApp.CreateRoot().Parse([.. args, "--store", Path.Join(blocked, "slapolicy.db")])
            .InvokeAsync(new InvocationConfiguration { Error = error, Output = new StringWriter() });

        exit.ShouldBe(1);
        ShouldBeOneClearLine(error.ToString(), $"cannot open the SQLite file of Store:Path `{Path.Join(blocked, "slapolicy.db")}`");
    }
}
