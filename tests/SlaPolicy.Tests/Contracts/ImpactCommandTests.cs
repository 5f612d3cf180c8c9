using Microsoft.Extensions.DependencyInjection;

namespace SlaPolicy.Tests.Contracts;

/// <summary>
/// <c>slapolicy impact</c> over the store of <c>run --ingest samples</c>: the sample edit (acme's sev1 resolution from
/// 4h to 2h) against the repository's policies, checked against what the stored baseline decisions imply.
/// </summary>
public class ImpactCommandTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture);
    private static readonly ReportingMonth November = new(2026, 11);

    /// <summary>The edit of the README's walkthrough: acme-gold 2026.2 overrides gold's 4-hour sev1 resolution with 2 hours.</summary>
    internal static string EditedPolicies(TempFolder folder)
    {
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, "customers/acme-gold-2026.2.json", "  \"attainment\": [", """
              "targets": [
                { "id": "sev1-resolution", "metric": "resolution", "severity": [1], "within": "2h", "clock": "24x7" }
              ],
              "attainment": [
            """.ReplaceLineEndings("\n"));
        return policies;
    }

    [Fact]
    public void Impact_SampleEdit_ListsExactlyTheDecisionsAndAmountsTheStoredBaselineImplies()
    {
        using var folder = new TempFolder();
        var db = folder.File("slapolicy.db");
        using (var services = CoreServices.BuildCommandServices([new("Store:Path", db)], s => s.AddSingleton<IEvaluatorProvider>(SamplePolicyEvaluator.Provider)))
        {
            RunCommand.Execute(services, AsOf, new StringWriter(), redirected: true, Path.Join(PolicyTestFiles.RepoRoot, "samples")).ShouldBe(0);
        }

        var store = new SqliteStore(db);
        var decisionsStored = store.QueryDecisions(new DecisionQuery(Limit: 100_000)).Count;
        var creditsStored = store.QueryServiceCredits(new ServiceCreditQuery(Limit: 100_000));
        var policies = EditedPolicies(folder);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = ImpactCommand.Invoke(
            [new("Store:Path", db)],
            new ImpactCommand.ImpactRequest(policies, PolicyTestFiles.SamplePolicies, November, November, null, folder.File("impact.html")),
            output,
            error);

        exit.ShouldBe(0, error.ToString());
        var text = output.ToString();

        // What the edit must change, worked out from the baseline decisions the run stored: the elapsed time on a
        // 24x7 clock does not depend on the target, so under 2h a stopped clock is met iff it counted at most 120
        // minutes, a running one is breached once past 120, and the ladder (75% level 2, 100% level 3) and the two
        // custom rules (VIP sev1-2 to level 3, regulated at 90% to level 3) give the level.
        var baseline = store.QueryDecisions(new DecisionQuery(Limit: 100_000))
            .Select(s => s.Decision)
            .Where(d => d.Target == "sev1-resolution" && d.Policy == "acme-gold" && d.PolicyVersion == "2026.2")
            .Select(d => (Decision: d, Case: store.GetCase(d.CaseId)!))
            .Where(x => x.Case.ResolvedAt is null || x.Case.ResolvedAt >= November.Start)
            .ToList();
        baseline.ShouldNotBeEmpty();
        baseline.ShouldNotContain(x => x.Decision.Status == DecisionStatus.Paused, "the oracle below does not cover a paused clock");
        baseline.ShouldAllBe(x => Level(x.Case, x.Decision.ElapsedMinutes, 240) == x.Decision.EscalationLevel, "the level rule reproduces the stored levels");
        var expected = new List<(string Id, DecisionStatus Status, int Level)>();
        foreach (var (d, c) in baseline)
        {
            var stopped = c.ResolvedAt is { } resolved && resolved <= AsOf;
            var status = d.ElapsedMinutes > 120 ? DecisionStatus.Breached : stopped ? DecisionStatus.Met : d.Status;
            var level = Level(c, d.ElapsedMinutes, 120);
            if (status != d.Status || level != d.EscalationLevel || d.DueAt is not null)
            {
                expected.Add((d.CaseId, status, level));
            }
        }

        var listed = text.Split('\n').Where(l => l.StartsWith("  C-", StringComparison.Ordinal)).ToList();
        listed.Select(l => l.Trim().Split(' ')[0]).ShouldBe(expected.Select(e => e.Id), ignoreOrder: true);
        listed.ShouldAllBe(l => l.Contains(" sev1-resolution (acme): acme-gold@2026.2 -> acme-gold@2026.2;", StringComparison.Ordinal));
        foreach (var (id, status, level) in expected)
        {
            var line = listed.Single(l => l.StartsWith($"  {id} ", StringComparison.Ordinal));
            line.ShouldContain($"-> {DecisionJson.StatusName(status)};");
            line.ShouldContain($"-> {level};");
        }

        var flips = baseline.Count(x => x.Decision.Status == DecisionStatus.Met && x.Decision.ElapsedMinutes > 120);
        flips.ShouldBeGreaterThan(0);
        text.ShouldContain($"; {expected.Count} change\n");
        text.ShouldContain($"  met -> breached: {flips}\n");
        text.ShouldContain($"  due earlier: {baseline.Count(x => x.Decision.DueAt is not null)}\n");

        // Money: the baseline total is the one the run stored; severity-1 attainment was already under its 100%
        // objective, so its 10% credit was owed before and is owed after: the EUR amount that moves is 0.00, while the
        // attainment drops by the flipped resolutions (those stopped in November).
        var total = creditsStored.Single(c => c.Credit.Period == "2026-11" && c.Credit.Customer == "acme" && c.Credit.Kind == ServiceCreditKind.CustomerTotal && c.Credit.Currency == "EUR").Credit;
        var sev1 = creditsStored.Single(c => c.Credit.Period == "2026-11" && c.Credit.Customer == "acme" && c.Credit.Kind == ServiceCreditKind.Attainment && c.Credit.Objective == "sev 1").Credit;
        sev1.Met.ShouldBe(false);
        var stoppedInNovember = baseline.Count(x => x.Decision.Status == DecisionStatus.Met && x.Decision.ElapsedMinutes > 120 && November.Contains(x.Case.ResolvedAt!.Value));
        var targets = Sev1Targets(store);
        var metBefore = (int)Math.Round(sev1.Measured!.Value * targets / 100m, 0);
        var measuredAfter = Math.Round((metBefore - stoppedInNovember) * 100m / targets, 3, MidpointRounding.AwayFromZero);
        text.ShouldContain($"credits payable: EUR 0.00 (EUR {total.Amount:#,##0.00} -> EUR {total.Amount:#,##0.00})");
        text.ShouldContain($"acme 2026-11 attainment sev 1: measured {Math.Round(sev1.Measured.Value, 3):0.###} -> {measuredAfter:0.###}, EUR {sev1.Amount:#,##0.00} -> EUR {sev1.Amount:#,##0.00} (0.00)");

        // In memory: the store is as the run left it. The HTML page is self-contained.
        store.QueryDecisions(new DecisionQuery(Limit: 100_000)).Count.ShouldBe(decisionsStored);
        static object Row(StoredServiceCredit c) => (c.Credit with { Explanation = [] }, c.AsOf, c.RunId);
        store.QueryServiceCredits(new ServiceCreditQuery(Limit: 100_000)).Select(Row).ShouldBe(creditsStored.Select(Row));
        var html = File.ReadAllText(folder.File("impact.html"));
        html.ShouldContain("<svg id=\"credits\"");
        html.ShouldContain("both explanations");
        html.ShouldNotContain("<script");
        html.ShouldNotContain("src=");
    }

    [Fact]
    public void Impact_NoStore_IsOneLineAndExitOne()
    {
        using var folder = new TempFolder();
        var error = new StringWriter();

        var exit = ImpactCommand.Invoke(
            [new("Store:Path", folder.File("missing.db"))],
            new ImpactCommand.ImpactRequest(PolicyTestFiles.SamplePolicies, PolicyTestFiles.SamplePolicies, November, November, AsOf),
            new StringWriter(),
            error);

        exit.ShouldBe(1);
        error.ToString().ShouldContain("does not exist");
        File.Exists(folder.File("missing.db")).ShouldBeFalse();
    }

    [Fact]
    public void Impact_NewPoliciesWithErrors_NamesTheFileAndReplaysNothing()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, "tiers/gold.json", "\"within\": \"4h\"", "\"within\": \"4 hours\"");
        var error = new StringWriter();

        var exit = ImpactCommand.Invoke(
            [new("Store:Path", folder.File("missing.db"))],
            new ImpactCommand.ImpactRequest(policies, PolicyTestFiles.SamplePolicies, November, November, AsOf),
            new StringWriter(),
            error);

        exit.ShouldBe(1);
        error.ToString().ShouldContain($"{Path.Join(policies, "tiers/gold.json")}:11:");
        error.ToString().ShouldContain("SLA2001");
        error.ToString().ShouldContain("the new policies");
    }

    /// <summary>The escalation level of an acme sev1 case that counted <paramref name="elapsed"/> minutes of a <paramref name="within"/>-minute target.</summary>
    private static int Level(CaseRecord c, double elapsed, double within)
    {
        var percent = elapsed / within * 100;
        var ladder = percent >= 100 ? 3 : percent >= 75 ? 2 : 0;
        var vip = c.Tags.Contains("vip") ? 3 : 0;
        var regulated = c.Tags.Contains("regulated") && percent >= 90 ? 3 : 0;
        return Math.Max(ladder, Math.Max(vip, regulated));
    }

    /// <summary>acme's severity-1 targets whose clock stopped in November, met or breached, as the run stored them.</summary>
    private static int Sev1Targets(SqliteStore store) =>
        store.ReadAttainmentDecisions(November.Start, November.End, exactFrom: November.Start).Count(d => d.Customer == "acme" && d.Severity == 1);
}
