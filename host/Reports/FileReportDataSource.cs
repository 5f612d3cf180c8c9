namespace SlaPolicy.Host.Reports;

/// <summary>
/// The report's data from policy and JSON Lines files. Reading them is done by the policy reader, the input
/// readers and the case evaluator; until those are connected here this source refuses with a clear message
/// rather than producing an empty (and therefore misleading) report.
/// </summary>
public sealed class FileReportDataSource : IReportDataSource
{
    public ReportData Load(ReportRequest request)
        => throw new ReportDataException("loading report data from files is not connected in this build; use a build where the policy and input readers are wired into `report`");
}
