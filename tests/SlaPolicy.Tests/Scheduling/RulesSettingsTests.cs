using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using SlaPolicy.Engine.Compilation;
using SlaPolicy.Host.Scheduling;
using SlaPolicy.Tests.Policies;

namespace SlaPolicy.Tests.Scheduling;

/// <summary>The <c>Rules:</c> section chooses who runs the policies, and a wrong value stops the host with what to write.</summary>
public class RulesSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void From_NoRulesSection_IsTheCompiledExecutor() =>
        HostSettings.From(Config()).Rules.Executor.ShouldBe(RuleExecutor.Compiled);

    [Fact]
    public void From_RulesEngineWithCustomTypes_ReadsThemAll()
    {
        var settings = HostSettings.From(Config(
            ("Rules:Executor", "RulesEngine"),
            ("Rules:CustomTypes", "System.Guid, System.Private.CoreLib; System.Uri, System.Private.Uri"),
            ("Rules:IsExpressionCaseSensitive", "true")));

        settings.Rules.Executor.ShouldBe(RuleExecutor.RulesEngine);
        settings.Rules.RulesEngine.CustomTypes.ShouldBe([typeof(Guid), typeof(Uri)]);
        settings.Rules.RulesEngine.IsExpressionCaseSensitive.ShouldBeTrue();
    }

    [Fact]
    public void From_UnknownExecutor_SaysWhatToWrite() =>
        Should.Throw<InvalidOperationException>(() => HostSettings.From(Config(("Rules:Executor", "roslyn"))))
            .Message.ShouldBe("Rules:Executor is `roslyn`; use compiled or rulesengine");

    [Fact]
    public void From_CustomTypeThatDoesNotLoad_NamesIt() =>
        Should.Throw<InvalidOperationException>(() => HostSettings.From(Config(("Rules:CustomTypes", "Acme.Helpers, Acme"))))
            .Message.ShouldStartWith("Rules:CustomTypes names `Acme.Helpers, Acme`, which is not a type this host can load");

    [Fact]
    public void Provider_RulesEngineExecutor_EvaluatesTheSamplePoliciesWithRulesEngine()
    {
        var options = HostSettings.From(Config(("Rules:Executor", "rulesengine"))).Rules with { UseDiskCache = false };
        var provider = new PolicyFolderEvaluatorProvider(PolicyTestFiles.SamplePolicies, TimeProvider.System, NullLogger<PolicyFolderEvaluatorProvider>.Instance, options);

        provider.Status.Ready.ShouldBeTrue(string.Join("\n", provider.Status.Diagnostics));
        var evaluator = provider.Current.ShouldBeOfType<SlaPolicy.Engine.Evaluation.CaseEvaluator>();
        evaluator.Executor.ShouldBe(RuleExecutor.RulesEngine);
    }
}
