namespace SlaPolicy.Tests.Reports;

/// <summary>docs/AVAILABILITY.md "What the samples show" against an actual report of the samples.</summary>
public sealed class AvailabilityDocTests
{
    [Fact]
    public void WhatTheSamplesShow_EveryCreditAndMeasuredFigure_IsTheReportsOwn()
    {
        using var folder = new TempFolder();
        var json = folder.File("report.jsonl");
        SampleReport.Run("--json", json).Exit.ShouldBe(0);
        var doc = File.ReadAllText(Path.Join(PolicyTestFiles.RepoRoot, "docs", "AVAILABILITY.md"));
        var section = doc[doc.IndexOf("## What the samples show", StringComparison.Ordinal)..];
        section.ShouldContain("as of 2026-12-01");

        foreach (var line in File.ReadLines(json).Select(l => JsonDocument.Parse(l).RootElement))
        {
            var kind = line.GetProperty("kind").GetString();
            var amount = line.GetProperty("creditAmount").GetDecimal();
            var currency = line.GetProperty("currency").GetString();
            if (amount > 0)
            {
                section.ShouldContain($"{currency} {amount.ToString("#,0.00", CultureInfo.InvariantCulture)}", customMessage: $"the {kind} credit of {line}");
            }

            if (kind is "availability" or "performance" or "attainment")
            {
                var measured = kind switch
                {
                    "availability" => line.GetProperty("availabilityPercent").GetDecimal(),
                    "attainment" => line.GetProperty("attainmentPercent").GetDecimal(),
                    _ => line.GetProperty("measured").GetDecimal(),
                };
                section.ShouldContain(Math.Round(measured, 3).ToString("0.###", CultureInfo.InvariantCulture), customMessage: $"the measured figure of {line}");
            }
        }
    }
}
