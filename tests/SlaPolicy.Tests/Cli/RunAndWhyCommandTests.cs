using Microsoft.Extensions.DependencyInjection;
using SlaPolicy.Host.Cli;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Host.Storage;
using SlaPolicy.Tests.Support;
using Spectre.Console;

namespace SlaPolicy.Tests.Cli;

public class RunAndWhyCommandTests
{
    [Fact]
    public void Run_OutputRedirected_PlainLinesSummaryAndWhereToLookNext()
    {
        using var folder = new TempFolder();
        using var services = CoreServices.BuildCommandServices(
            [new("Store:Path", folder.File("slapolicy.db"))],
            s => s.AddSingleton<IEvaluatorProvider>(new FixedEvaluatorProvider()));
        services.GetRequiredService<IStore>().Ingest(new RecordBatch([Cases.Open("C-1001", "2026-11-20T08:00:00Z")], [], [], [], [], DateTimeOffset.UtcNow));
        var output = new StringWriter();

        var exit = RunCommand.Execute(services, DateTimeOffset.Parse("2026-11-20T19:00:00Z"), output, redirected: true);

        exit.ShouldBe(0);
        var text = output.ToString();
        text.ShouldContain("evaluated 1/1 cases, 1 decisions written");
        text.ShouldContain("run 1 succeeded: as of 2026-11-20T19:00:00Z, 1 cases, 1 decisions (1 new or changed), 0 rejected");
        text.ShouldContain("slapolicy why C-1001");
        text.ShouldContain("http://127.0.0.1:5080/");
    }

    [Fact]
    public void Why_Render_ShowsDecisionPolicyLineExplanationAndEscalations()
    {
        using var folder = new TempFolder();
        using var services = CoreServices.BuildCommandServices(
            [new("Store:Path", folder.File("slapolicy.db"))],
            s => s.AddSingleton<IEvaluatorProvider>(new FixedEvaluatorProvider()));
        var store = services.GetRequiredService<IStore>();
        store.Ingest(new RecordBatch([Cases.Open("C-1001", "2026-11-20T08:00:00Z")], [], [], [], [], DateTimeOffset.UtcNow));
        services.GetRequiredService<NightlyRun>().Run(DateTimeOffset.Parse("2026-11-20T19:00:00Z"), RunTrigger.Cli);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;

        console.Write(WhyCommand.Render(store.GetCaseTrace("C-1001")!));

        // Opened 08:00Z, as of 19:00Z: 660 minutes of 240, 275% used, breached, level 3.
        var text = writer.ToString();
        text.ShouldContain("resolution: breached");
        text.ShouldContain("elapsed 660 min, paused 0 min, 275% used, escalation level 3");
        text.ShouldContain("policy fixed@1  policies/fixed.json:7  rule fixed.resolution");
        text.ShouldContain("24x7: 660 minutes from opening to asOf");
        text.ShouldContain("level 3 first reached by run 1");
    }
}
