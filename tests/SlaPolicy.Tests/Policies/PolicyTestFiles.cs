namespace SlaPolicy.Tests.Policies;

/// <summary>Paths of the repository and throw-away policy directories for tests.</summary>
internal static class PolicyTestFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds SlaPolicy.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SamplePolicies => Path.Join(RepoRoot, "policies");

    public static string BadCorpus => Path.Join(RepoRoot, "tests", "SlaPolicy.Tests", "Policies", "Corpus", "bad");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "SlaPolicy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SlaPolicy.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary policy directory filled with the given files; deleted on dispose.</summary>
internal sealed class TempPolicyDirectory : IDisposable
{
    public TempPolicyDirectory(params (string Name, string Json)[] files)
    {
        Path = System.IO.Path.Join(System.IO.Path.GetTempPath(), "slapolicy-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var (name, json) in files)
        {
            var file = System.IO.Path.Join(Path, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, json);
        }
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
