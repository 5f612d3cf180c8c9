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
}
