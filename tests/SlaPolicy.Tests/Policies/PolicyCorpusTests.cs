namespace SlaPolicy.Tests.Policies;

/// <summary>
/// Each folder of Corpus/bad is a policy directory; its expected.txt lists every diagnostic the loader must
/// report, as <c>file:line:col code</c>. The positions were checked by hand against the files: each points
/// at the offending value, or at the property name for unknown properties.
/// </summary>
public class PolicyCorpusTests
{
    public static TheoryData<string> Cases() => [.. Directory.GetDirectories(PolicyTestFiles.BadCorpus).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_BadCorpus_ReportsExactlyTheExpectedDiagnostics(string name)
    {
        var directory = Path.Join(PolicyTestFiles.BadCorpus, name);
        var expected = File.ReadAllLines(Path.Join(directory, "expected.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

        var result = PolicyLoader.Load(directory);

        var actual = result.Diagnostics.Select(d => $"{Relative(directory, d.Location.File)}:{d.Location.Line}:{d.Location.Column} {d.Code}").ToList();
        actual.ShouldBe(expected);
        result.HasErrors.ShouldBeTrue();
    }

    [Fact]
    public void Corpus_CoversEveryLoaderDiagnostic()
    {
        var codes = Directory.GetDirectories(PolicyTestFiles.BadCorpus)
            .SelectMany(d => File.ReadAllLines(Path.Join(d, "expected.txt")))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ')[1])
            .ToHashSet();

        DiagnosticDescriptor[] loaderCodes =
        [
            DiagnosticCatalog.MalformedJson, DiagnosticCatalog.UnknownProperty, DiagnosticCatalog.WrongType, DiagnosticCatalog.MissingProperty,
            DiagnosticCatalog.BadDuration, DiagnosticCatalog.BadPercentage, DiagnosticCatalog.UnknownTimeZone, DiagnosticCatalog.InvalidHours,
            DiagnosticCatalog.UnknownCalendar, DiagnosticCatalog.MissingParent, DiagnosticCatalog.CyclicExtends, DiagnosticCatalog.DuplicateTargetId,
            DiagnosticCatalog.BadDate, DiagnosticCatalog.BadValue, DiagnosticCatalog.DuplicateCalendarId, DiagnosticCatalog.MissingCalendar,
            DiagnosticCatalog.OverlappingVersions, DiagnosticCatalog.AmbiguousScope, DiagnosticCatalog.DuplicateVersion, DiagnosticCatalog.DuplicateRuleName,
        ];
        loaderCodes.Select(d => d.Code).Where(c => !codes.Contains(c)).ShouldBeEmpty();
    }

    [Fact]
    public void Load_BadCorpus_PathsAreTheDirectoryAsGivenJoinedWithTheFile()
    {
        var directory = Path.Join(PolicyTestFiles.BadCorpus, "versions");

        var result = PolicyLoader.Load(directory);

        result.Diagnostics.Select(d => d.Location.File).ShouldBe([Path.Join(directory, "v2-again.json"), Path.Join(directory, "v2.json")]);
    }

    [Fact]
    public void Load_UnknownProperty_SuggestsTheClosestName()
    {
        var result = PolicyLoader.Load(Path.Join(PolicyTestFiles.BadCorpus, "fields"));

        var typo = result.Diagnostics.Single(d => d.Message.Contains("`taregts`", StringComparison.Ordinal));
        typo.Help.ShouldBe("did you mean `targets`?");
        // `untill` is more than two edits away from both `from` and `to`, so no guess is offered.
        result.Diagnostics.Single(d => d.Message.Contains("`untill`", StringComparison.Ordinal)).Help.ShouldBeNull();
    }

    [Fact]
    public void Load_AmbiguousScopes_NamesBothFiles()
    {
        var directory = Path.Join(PolicyTestFiles.BadCorpus, "scopes");

        var diagnostic = PolicyLoader.Load(directory).Diagnostics.Single();

        diagnostic.Code.ShouldBe("SLA3002");
        diagnostic.Location.File.ShouldBe(Path.Join(directory, "west-gold.json"));
        diagnostic.Message.ShouldContain(Path.Join(directory, "eu-gold.json"));
    }

    [Fact]
    public void Load_MissingDirectory_ReportsUnreadable()
    {
        var result = PolicyLoader.Load(Path.Join(PolicyTestFiles.BadCorpus, "no-such-folder"));

        result.Diagnostics.Single().Code.ShouldBe("SLA1005");
    }

    private static string Relative(string directory, string file) => Path.GetRelativePath(directory, file).Replace('\\', '/');
}
