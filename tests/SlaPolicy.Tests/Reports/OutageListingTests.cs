namespace SlaPolicy.Tests.Reports;

/// <summary>The outages a report counted, listed with the fields of their input (their <c>resource</c> among them).</summary>
public sealed class OutageListingTests
{
    [Fact]
    public void Report_Samples_ListsTheCountedOutagesWithTheirResource()
    {
        using var folder = new TempFolder();
        var (html, json) = (folder.File("report.html"), folder.File("report.jsonl"));

        SampleReport.Run("--html", html, "--json", json).Exit.ShouldBe(0);

        var email = File.ReadLines(json).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(l => l.GetProperty("kind").GetString() == "availability" && l.GetProperty("customer").GetString() == "acme"
                         && l.GetProperty("service").GetString() == "email" && l.GetProperty("region").GetString() == "eu-west");
        var outages = email.GetProperty("outages").EnumerateArray().ToList();
        outages.Select(o => o.GetProperty("id").GetString()).ShouldContain("O-2026-002");
        var second = outages.Single(o => o.GetProperty("id").GetString() == "O-2026-002");
        second.GetProperty("resource").GetString().ShouldBe("mx-03");
        second.GetProperty("start").GetString().ShouldBe("2026-11-03T02:00:00+00:00");
        second.GetProperty("kind").GetString().ShouldBe("unplanned");
        outages.Single(o => o.GetProperty("id").GetString() == "O-2026-001").TryGetProperty("resource", out _).ShouldBeFalse();

        // Every counted outage overlaps the month; none of another service or region is listed.
        outages.ShouldAllBe(o => o.GetProperty("service").GetString() == "email" && o.GetProperty("region").GetString() == "eu-west");

        var page = File.ReadAllText(html);
        // The table has a column per outage input field, the share of users affected (`affected`) last.
        page.ShouldContain("<h3>Outages counted</h3><table id=\"outages\"><thead><tr><th>service</th><th>region</th><th>start</th><th>end</th><th>kind</th><th>id</th><th>resource</th><th>affected</th></tr>");
        page.ShouldContain("<td>O-2026-002</td><td>mx-03</td>");
    }
}
