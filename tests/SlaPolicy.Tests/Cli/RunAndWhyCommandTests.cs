using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace SlaPolicy.Tests.Cli;

public class RunAndWhyCommandTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z");

    private static string Samples => Path.Join(PolicyTestFiles.RepoRoot, "samples");

    private static ServiceProvider Services(TempFolder folder) => CoreServices.BuildCommandServices(
        [new("Store:Path", folder.File("slapolicy.db"))],
        s => s.AddSingleton<IEvaluatorProvider>(SamplePolicyEvaluator.Provider));

    /// <summary>The services of a store in <paramref name="folder"/> on which <c>run --ingest samples</c> has succeeded once.</summary>
    private static ServiceProvider SamplesRun(TempFolder folder, out IStore store)
    {
        var services = Services(folder);
        store = services.GetRequiredService<IStore>();
        RunCommand.Execute(services, AsOf, new StringWriter(), redirected: true, Samples).ShouldBe(0);
        return services;
    }

    [Fact]
    public void Run_IngestSamples_SummaryWithRejectionsAndWhereToLookNext()
    {
        using var folder = new TempFolder();
        using var services = Services(folder);
        var output = new StringWriter();

        var exit = RunCommand.Execute(services, AsOf, output, redirected: true, Samples, "dotnet run --project host --");

        // samples/cases.jsonl holds 443 good cases; bad-cases.jsonl is deliberately bad, and its rejected lines
        // (counted in the file: 14 of its 19 records) go to the quarantine, while its 5 good ones are ingested.
        exit.ShouldBe(0);
        var text = output.ToString();
        text.ShouldContain("cases.jsonl: 443 cases accepted, 0 rejected");
        text.ShouldContain("bad-cases.jsonl: 5 cases accepted, 14 rejected");
        text.ShouldContain("ingested 5 files: ");
        text.ShouldContain(", 14 rejected and kept in the quarantine");
        text.ShouldContain("run 1 succeeded: as of 2026-11-22T02:00:00Z");

        // C-1001 is the breached level-3 case with the most paused time (960 minutes), the one worth explaining.
        text.ShouldContain("dotnet run --project host -- why C-1001");
        text.ShouldContain("dotnet run --project host -- serve");
        text.ShouldContain("http://127.0.0.1:5080/");

        // The month's service credits are computed and stored by the run; acme's email in eu-west owes EUR 120.00 month
        // to date (135 of 30,360 minutes down: 99.555%, under 99.9%, 10% of EUR 1200).
        text.ShouldContain("service credits: ");
        text.ShouldContain("credits owed in 2026-11");
        text.ShouldContain("acme email eu-west: availability at least 99.9%, measured 99.555: EUR 120.00");
        text.ShouldContain("/api/credits?month=2026-11");
    }

    [Fact]
    public void Run_IngestSamplesTwice_SecondRunChangesAndDuplicatesNothing()
    {
        using var folder = new TempFolder();
        using var services = SamplesRun(folder, out var store);
        var cases = store.CountCases();
        var decisions = store.QueryDecisions(new DecisionQuery(Limit: 100_000)).Count;
        var quarantined = store.GetQuarantine(1000).Count;

        var output = new StringWriter();
        RunCommand.Execute(services, AsOf, output, redirected: true, Samples).ShouldBe(0);

        // The second night evaluates only the cases whose clocks still count (the same samples again change no record)
        // and keeps the decisions of the others.
        var second = store.GetRuns(1).Single();
        second.CasesKept.ShouldBeGreaterThan(0);
        (second.CasesRead + second.CasesKept).ShouldBe(cases);
        output.ToString().ShouldContain(
            $"run 2 succeeded: as of 2026-11-22T02:00:00Z, {second.CasesRead} cases evaluated, {second.CasesKept} kept (settled, unchanged), {second.DecisionsWritten} decisions (0 new or changed)");
        store.CountCases().ShouldBe(cases);
        store.QueryDecisions(new DecisionQuery(Limit: 100_000)).Count.ShouldBe(decisions);
        store.GetQuarantine(1000).Count.ShouldBe(quarantined);
        quarantined.ShouldBe(14);
    }

    [Fact]
    public void Run_IngestFolderMissing_ExitsTwoWithoutRunning()
    {
        using var folder = new TempFolder();
        using var services = Services(folder);
        var output = new StringWriter();

        RunCommand.Execute(services, AsOf, output, redirected: true, folder.File("nowhere")).ShouldBe(2);

        output.ToString().ShouldContain("no such folder");
        services.GetRequiredService<IStore>().GetRuns().ShouldBeEmpty();
    }

    [Fact]
    public void Why_SampleCaseC1001_ShowsBreachPauseLevelThreeAndPolicyFile()
    {
        using var folder = new TempFolder();
        using var services = SamplesRun(folder, out var store);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 400;

        // As `why` tells it: a decision still counting is stored without its explanation, which is built on request.
        var evaluator = services.GetRequiredService<IEvaluatorProvider>().Current;
        console.Write(WhyCommand.Render((OnRequestExplanations.Fill(store.GetCaseTrace("C-1001")!, evaluator), SlaPolicy.Engine.Calendars.CaseZone.Of("Europe/Berlin", default))));

        // C-1001 (severity 1, vip, acme gold) opened 16:30+01:00, paused waiting on the customer from 17:00 to 09:00 the
        // next day (960 min), never resolved. As of 02:00Z on the 22nd (03:00+01:00): 30 + 1080 = 1110 minutes counted
        // of the 4 h resolution target, 462.5%: breached. Its 100% step (level 3) was crossed when 240 minutes had been
        // counted: 30 before the pause, 210 after 09:00+01:00, so at 12:30+01:00 = 11:30Z.
        var text = writer.ToString();
        text.ShouldContain("sev1-resolution: breached");
        text.ShouldContain("elapsed 1110 min, paused 960 min, 462.5% used, escalation level 3");
        text.ShouldContain("policy acme-gold@2026.2");
        text.ShouldContain("tiers/gold.json:11");
        text.ShouldContain("paused from 2026-11-20 17:00 to 2026-11-21 09:00 +01:00 while the status was waiting_on_customer");
        text.ShouldContain("escalate to level 3 (duty-manager)");
        text.ShouldContain("level 3 first reached at 2026-11-21 12:30 +01:00");
    }
}
