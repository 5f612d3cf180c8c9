using System.CommandLine;
using Spectre.Console;

namespace SlaPolicy.Tests.Reports;

public class ReportCommandTests
{
    private static (int Exit, string Output) Run(IReportDataSource source, params string[] args) => SampleReport.Invoke(source, args);

    [Fact]
    public void Report_SampleMonth_PrintsTablesAndWritesHtml()
    {
        var html = Path.Combine(Path.GetTempPath(), $"slapolicy-report-{Guid.NewGuid():N}", "report.html");
        var source = new InMemoryReportDataSource(SampleReportData.Inputs(), "2 records rejected from outages.jsonl");

        var (exit, output) = Run(source, "--period", "2026-11", "--as-of", "2026-12-01T02:00:00Z", "--html", html, "--outages", "o.jsonl");

        exit.ShouldBe(0);
        output.ShouldContain("Service level report 2026-11");
        output.ShouldContain("99.884%");
        output.ShouldContain("EUR 120.00");
        output.ShouldContain("USD 300.00");
        output.ShouldContain("2 records rejected from outages.jsonl");
        source.LastRequest!.OutagesFile.ShouldBe("o.jsonl");
        source.LastRequest.AsOf.ShouldBe(SampleReportData.AsOf);
        File.ReadAllText(html).ShouldContain("<svg id=\"availability-chart\"");
    }

    [Fact]
    public void Report_OneCustomer_ShowsOnlyThatCustomer()
    {
        var (exit, output) = Run(new InMemoryReportDataSource(SampleReportData.Inputs()), "--period", "2026-11", "--as-of", "2026-12-01T02:00:00Z", "--customer", "globex");

        exit.ShouldBe(0);
        output.ShouldContain("globex");
        output.ShouldNotContain("acme");
    }

    [Theory]
    [InlineData("--period", "2026-13")]
    [InlineData("--period", "2026-11", "--as-of", "2026-12-01T02:00:00")]
    public void Report_BadArguments_ExitTwo(params string[] args)
    {
        var (exit, output) = Run(new InMemoryReportDataSource(SampleReportData.Inputs()), args);

        exit.ShouldBe(2);
        output.ShouldContain("error:");
    }

    [Fact]
    public void CreateRoot_RegistersReport()
    {
        CliApp.CreateRoot().Subcommands.Select(c => c.Name).ShouldContain("report");
    }
}
