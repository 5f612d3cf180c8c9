using Microsoft.Extensions.Logging.Abstractions;

namespace SlaPolicy.Tests.Contracts;

/// <summary>Review dates (<c>reviewBy</c>, <c>reviewNoticeDays</c>) and versions that ended with cases still open.</summary>
public class ReviewDateTests
{
    private const string AcmeCurrent = "customers/acme-gold-2026.2.json";
    private const string SampleReview = "\"reviewBy\": \"2027-09-30\",\n  \"reviewNoticeDays\": 60\n";

    [Theory]
    [InlineData("2027-07-31", null)]
    [InlineData("2027-08-01", "warning SLA3004: the review of `acme-gold` 2026.2 is due by 2027-09-30, in 60 days (notice period 60 days)")]
    [InlineData("2027-09-30", "warning SLA3004: the review of `acme-gold` 2026.2 is due by 2027-09-30, today (notice period 60 days)")]
    [InlineData("2027-10-02", "warning SLA3005: the review of `acme-gold` 2026.2 was due by 2027-09-30, 2 days ago")]
    public void Check_SampleReviewDate_WarnsFromTheNoticePeriodAtTheReviewBy(string today, string? warning)
    {
        var output = new StringWriter();

        CheckCommand.Run(PolicyTestFiles.SamplePolicies, output, today: DateOnly.Parse(today, CultureInfo.InvariantCulture)).ShouldBe(0);

        var file = Path.Join(PolicyTestFiles.SamplePolicies, AcmeCurrent);
        var (line, column) = ContractExampleTests.Position(file, "\"reviewBy\": \"2027-09-30\"", "\"reviewBy\": ".Length);
        var lines = output.ToString().Split('\n');
        if (warning is null)
        {
            lines.ShouldNotContain(l => l.Contains("SLA300", StringComparison.Ordinal));
            output.ToString().ShouldContain(", 0 warnings, no errors");
        }
        else
        {
            lines.ShouldContain($"{file}:{line}:{column}: {warning}");
            output.ToString().ShouldContain(", 1 warning, no errors");
        }
    }

    [Fact]
    public void Check_EndedVersion_NeedsNoReview()
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, "customers/acme-gold-2026.1.json", "\"calendar\": \"eu-office\",", "\"calendar\": \"eu-office\",\n  \"reviewBy\": \"2026-09-01\",");
        var output = new StringWriter();

        CheckCommand.Run(policies, output, today: new DateOnly(2026, 12, 1)).ShouldBe(0);

        output.ToString().ShouldNotContain("SLA3005");
    }

    [Theory]
    [InlineData("\"reviewNoticeDays\": 60", "\"reviewNoticeDays\": -1", "SLA2010", "`reviewNoticeDays` is -1")]
    [InlineData("\"reviewBy\": \"2027-09-30\",", "\"reviewBy\": \"30.09.2027\",", "SLA2009", "`30.09.2027` is not a date")]
    [InlineData("\"reviewBy\": \"2027-09-30\",", "\"reviewBye\": \"2027-09-30\",", "SLA1002", "unknown property `reviewBye` (did you mean `reviewBy`?)")]
    [InlineData("\"reviewBy\": \"2027-09-30\",", "", "SLA1004", "`reviewNoticeDays` needs a `reviewBy` date")]
    public void Check_BadReviewFields_AreErrorsAtTheValue(string old, string replacement, string code, string message)
    {
        using var folder = new TempFolder();
        var policies = SamplePolicyCopy.Create(folder);
        SamplePolicyCopy.Replace(policies, AcmeCurrent, SampleReview, SampleReview.Replace(old, replacement, StringComparison.Ordinal));
        var output = new StringWriter();

        CheckCommand.Run(policies, output, today: new DateOnly(2026, 12, 1)).ShouldBe(1);

        var line = output.ToString().Split('\n').Single(l => l.Contains(code, StringComparison.Ordinal));
        line.ShouldStartWith(Path.Join(policies, AcmeCurrent) + ":");
        line.ShouldContain(message);
    }

    [Fact]
    public void Check_StoreWithOpenCasesOfAnEndedVersion_FlagsTheVersionAtItsEffectiveTo()
    {
        using var folder = new TempFolder();
        var db = folder.File("slapolicy.db");
        var store = new SqliteStore(db);
        store.Migrate();

        // Two acme cases opened under 2026.1 (in effect until 2026-10-01): one still open, one resolved; one opened under 2026.2.
        store.Ingest(new RecordBatch(
            [Cases.Open("OLD-OPEN", "2026-09-20T10:00:00+02:00"), Cases.Open("OLD-DONE", "2026-09-21T10:00:00+02:00", "2026-09-21T12:00:00+02:00"), Cases.Open("NEW-OPEN", "2026-11-20T10:00:00+01:00")],
            [], [], [], [], DateTimeOffset.Parse("2026-11-22T02:00:00Z", CultureInfo.InvariantCulture)));
        var output = new StringWriter();

        CheckCommand.Run(PolicyTestFiles.SamplePolicies, output, today: new DateOnly(2026, 12, 1), storeSettings: [new("Store:Path", db)]).ShouldBe(0);

        var file = Path.Join(PolicyTestFiles.SamplePolicies, "customers/acme-gold-2026.1.json");
        var (line, column) = ContractExampleTests.Position(file, "\"to\": \"2026-10-01\"", "\"to\": ".Length);
        output.ToString().ShouldContain($"{file}:{line}:{column}: warning SLA3006: `acme-gold` 2026.1 is no longer in effect since 2026-10-01, but 1 case it governs is still open: OLD-OPEN");
        output.ToString().ShouldNotContain("NEW-OPEN");
    }

    [Fact]
    public void Check_NoStore_CreatesNone()
    {
        using var folder = new TempFolder();
        var db = folder.File("absent.db");

        CheckCommand.Run(PolicyTestFiles.SamplePolicies, new StringWriter(), today: new DateOnly(2026, 12, 1), storeSettings: [new("Store:Path", db)]).ShouldBe(0);

        File.Exists(db).ShouldBeFalse();
    }

    [Fact]
    public void PolicyStatus_ReviewDue_IsListedForTheApi()
    {
        var provider = new PolicyFolderEvaluatorProvider(PolicyTestFiles.SamplePolicies, new FixedTime(new DateTimeOffset(2027, 9, 1, 12, 0, 0, TimeSpan.Zero)), NullLogger<PolicyFolderEvaluatorProvider>.Instance);

        var review = provider.Status.ReviewsDue.ShouldHaveSingleItem();

        review.Policy.ShouldBe("acme-gold@2026.2");
        review.ReviewBy.ShouldBe(new DateOnly(2027, 9, 30));
        review.DaysLeft.ShouldBe(29);
        review.Overdue.ShouldBeFalse();
        review.Location.ShouldStartWith(Path.Join(PolicyTestFiles.SamplePolicies, AcmeCurrent) + ":");
        JsonSerializer.Serialize(provider.Status, new JsonSerializerOptions(JsonSerializerDefaults.Web)).ShouldContain("\"reviewsDue\":[{\"policy\":\"acme-gold@2026.2\"");
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
