namespace SlaPolicy.Tests.Inputs;

/// <summary>Helpers for reading inputs from text and from the repository's samples.</summary>
internal static class InputTestData
{
    public static string SamplesDirectory { get; } = Path.Combine(SlaPolicy.Tests.Policies.PolicyTestFiles.RepoRoot, "samples");

    public static string Sample(string name) => Path.Combine(SamplesDirectory, name);

    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static List<InputResult<CaseRecord>> ReadCases(string text, InputLimits? limits = null) =>
        [.. CaseReader.Read(Utf8(text), "cases.jsonl", limits)];

    public static List<InputResult<CaseRecord>> ReadCases(byte[] bytes, InputLimits? limits = null) =>
        [.. CaseReader.Read(new MemoryStream(bytes), "cases.jsonl", limits)];

    /// <summary>A valid case line with the given id; <paramref name="extra"/> is appended inside the object.</summary>
    public static string CaseLine(string id, string extra = "") =>
        $$"""{"id":"{{id}}","customer":"acme","tier":"gold","region":"eu-west","service":"email","severity":2,"openedAt":"2026-11-10T09:00:00+01:00"{{extra}}}""";

    /// <summary>
    /// Checks the fields of C-1001, the worked example of the README, which the CSV reader's first test row repeats:
    /// acme's gold email case in eu-west, severity 1, opened 2026-11-20 16:30 +01:00, first answered at 16:41, not resolved.
    /// </summary>
    public static void ShouldBeTheWorkedExample(this CaseRecord record) =>
        record.ShouldBe(record with
        {
            Customer = "acme",
            Tier = "gold",
            Region = "eu-west",
            Service = "email",
            Severity = 1,
            OpenedAt = new DateTimeOffset(2026, 11, 20, 16, 30, 0, TimeSpan.FromHours(1)),
            FirstResponseAt = new DateTimeOffset(2026, 11, 20, 16, 41, 0, TimeSpan.FromHours(1)),
            ResolvedAt = null,
        });
}
