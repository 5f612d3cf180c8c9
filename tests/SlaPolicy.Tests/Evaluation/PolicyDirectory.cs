namespace SlaPolicy.Tests.Evaluation;

/// <summary>A temporary policy directory written from JSON texts, deleted on dispose.</summary>
internal sealed class PolicyDirectory : IDisposable
{
    public PolicyDirectory(IReadOnlyDictionary<string, string> files)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slapolicy-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "calendars"));
        foreach (var (name, text) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, name), text);
        }
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
