using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Reports;

/// <summary>A sample folder with policies of its own (samples/globex, samples/hooli): November 2026 of it, as of 1 December.</summary>
internal static class SampleFolderReport
{
    public static ServiceLevelReport November(string sample, string? creditHistory = null)
    {
        string File(string name) => Path.Join(PolicyTestFiles.RepoRoot, "samples", sample, name);
        var request = new ReportRequest(
            File("policies"), File("cases.jsonl"), File("outages.jsonl"), File("subscriptions.jsonl"), File("measurements.jsonl"),
            DateTimeOffset.Parse("2026-12-01T00:00:00Z", CultureInfo.InvariantCulture))
        {
            CreditHistoryFile = creditHistory is null ? null : File(creditHistory),
        };
        var data = new FileReportDataSource().Load(request);
        data.Warnings.ShouldBeEmpty();
        return ServiceLevelCalculator.Compute(data.Inputs, new ReportingMonth(2026, 11), request.AsOf);
    }
}
