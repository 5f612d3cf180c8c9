namespace SlaPolicy.Tests.Support;

/// <summary>A copy of the sample policies in a test's folder, to break or edit without touching the repository's.</summary>
internal static class SamplePolicyCopy
{
    /// <summary>Copies <c>policies/</c> to <c>policies</c> under <paramref name="folder"/>; returns the copy's path.</summary>
    public static string Create(TempFolder folder)
    {
        var target = folder.File("policies");
        foreach (var file in Directory.EnumerateFiles(PolicyTestFiles.SamplePolicies, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Join(target, Path.GetRelativePath(PolicyTestFiles.SamplePolicies, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }

    /// <summary>Replaces <paramref name="old"/> (which must be there) with <paramref name="replacement"/> in one file of the copy.</summary>
    public static void Replace(string policies, string file, string old, string replacement)
    {
        var path = Path.Join(policies, file);
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        text.ShouldContain(old);
        File.WriteAllText(path, text.Replace(old, replacement, StringComparison.Ordinal));
    }
}
