using System.Reflection;

namespace SlaPolicy.Tests.Policies;

public class DiagnosticsDocTests
{
    [Fact]
    public void DiagnosticsDoc_DocumentsEveryCodeOfTheCatalog()
    {
        var doc = File.ReadAllText(Path.Join(PolicyTestFiles.RepoRoot, "docs", "DIAGNOSTICS.md"));
        var codes = typeof(DiagnosticCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Code)
            .ToList();

        codes.ShouldNotBeEmpty();
        codes.Where(c => !doc.Contains($"## {c}", StringComparison.Ordinal)).ShouldBeEmpty();
    }
}
