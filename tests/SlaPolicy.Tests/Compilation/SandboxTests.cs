using Newtonsoft.Json;
using SlaPolicy.Engine.Compilation;
using static SlaPolicy.Tests.Compilation.PolicyBuilder;

namespace SlaPolicy.Tests.Compilation;

/// <summary>
/// Hostile expressions, each written into a real workflow file (so JSON escapes count), compiled as a policy's
/// rules; each must be rejected with its code at the column where <c>anchor</c> is written in the file.
/// </summary>
public class SandboxTests
{
    public static TheoryData<string, string, string> Hostile => new()
    {
        { "System.IO.File.ReadAllText(\"/etc/passwd\") != \"\"", "SLA4003", "ReadAllText" },
        { "new System.Net.Sockets.TcpClient(\"example.com\", 80) != null", "SLA4002", "Sockets" },
        { "System.Net.Http.HttpClient.DefaultProxy != null", "SLA4002", "System.Net.Http" },
        { "System.Diagnostics.Process.Start(\"sh\") != null", "SLA4002", "System.Diagnostics" },
        { "typeof(string).Assembly != null", "SLA4003", "typeof(" },
        { "ticket.GetType().Name == \"CaseRecord\"", "SLA4003", "Name ==" },
        { "Activator.CreateInstance<object>() != null", "SLA4003", "CreateInstance" },
        { "AppDomain.CurrentDomain.BaseDirectory != \"\"", "SLA4003", "BaseDirectory" },
        { "Environment.GetEnvironmentVariable(\"HOME\") != null", "SLA4003", "GetEnvironmentVariable" },
        { "Console.ReadLine() == \"x\"", "SLA4002", "Console" },
        { "System.Threading.Thread.CurrentThread.ManagedThreadId > 0", "SLA4003", "ManagedThreadId" },
        { "System.Threading.Tasks.Task.FromResult(1).Result == 1", "SLA4003", "Result ==" },
        { "GC.GetTotalMemory(false) > 0", "SLA4003", "GetTotalMemory" },
        { "System.Runtime.InteropServices.Marshal.SizeOf<int>() == 4", "SLA4003", "SizeOf" },
        { "DateTime.Now > ticket.OpenedAt", "SLA4003", "Now" },
        { "default(System.IO.FileInfo) == null", "SLA4003", "default(" },
        { "$\"{Environment.MachineName}\" != \"\"", "SLA4003", "MachineName" },
        { "new System.Text.StringBuilder().Append(\"x\").Length == 1", "SLA4003", "Length ==" },
        { "ticket.Tags.AsQueryable().Any()", "SLA4002", "AsQueryable" },
        { "((dynamic)ticket).Severity == 1", "SLA4004", "dynamic)" },
        { "(stackalloc int[1])[0] == 0", "SLA4004", "stackalloc" },
        { "*(int*)0 == 0", "SLA4004", "*(int*)" },
        { "&ticket != null", "SLA4004", "&ticket" },
        { "((Func<int, int>)(x => x))(1) == 1", "SLA4004", "((Func" },
        { "new Func<int>(() => { int F() => 1; return F(); })() == 1", "SLA4004", "() => {" },
        { "nameof(System.IO.File) == \"File\"", "SLA4004", "nameof" },
        { "string.Concat(__arglist(1)) != null", "SLA4004", "__arglist" },
        { "((Func<int, bool>)([System.Obsolete] x => x > 0))(1)", "SLA4004", "[System.Obsolete]" },
        // A lone `=` is Dynamic LINQ's comparison (rewritten to `==`); every other assignment is refused.
        { "(policy ??= null) == null", "SLA4004", "policy ??= null" },
        { "new[] { 1 }.Select(x => x += 1).Any()", "SLA4004", "x += 1" },
        { "true); } public static void X() { System.IO.File.Delete(\"x\"); } static bool Y() { return (true", "SLA4006", "); }" },
        { "true // ignore the rest", "SLA4006", "//" },
        { "true /* hidden */ && false", "SLA4006", "/*" },
        { "true;\n#line 1 \"x\"\n", "SLA4006", "#line" },
        // A comment left open for the next expression to close: each expression is parsed alone, so it never opens.
        { "true\n/*", "SLA4006", "/*" },
        { "true\n#if false", "SLA4006", "#if" },
        // A function kept in a value, which could call itself through the collection (stack overflow).
        { "new HashSet<Func<int,bool>>() is var fs && fs.Add(n => n > 0 && new[] { n - 1 }.Any(fs.First())) && new[] { 1000000 }.Any(fs.First())", "SLA4003", "new HashSet" },
        { "new[] { (Func<int, bool>)(n => n > 0) }.Length == 1", "SLA4003", "new[]" },
        { "ticket.Tags.Select(t => (Func<int>)(() => 1)).Count() > 0", "SLA4003", "Count()" },
        // Generators and results that multiply in size.
        { "Enumerable.Range(0, int.MaxValue).SelectMany(i => Enumerable.Range(0, int.MaxValue)).LongCount() > 0", "SLA4002", "Enumerable.Range" },
        { "System.Linq.Enumerable.Range(0, int.MaxValue).Count() > 0", "SLA4003", "Range(" },
        { "ticket.Tags.Aggregate(\"x\", (a, b) => a + a) != \"\"", "SLA4002", "Aggregate" },
        { "new string('x', 1000000000).Length > 0", "SLA4003", "new string" },
        { "ticket.Customer.PadLeft(1000000000).Length > 0", "SLA4003", "PadLeft" },
        { "new int[1000000000].Length > 0", "SLA4004", "new int[" },
        { "$\"{ticket.Customer,1000000000}\" != \"\"", "SLA4004", ",1000000000" },
        { "$\"{ticket.Severity:D999999999}\" != \"\"", "SLA4004", ":D999999999" },
        { "ticket.Severity.ToString(\"D999999999\") != \"\"", "SLA4004", "\"D999999999\"" },
        { "ticket.Severity.ToString(ticket.Customer) != \"\"", "SLA4004", "ticket.Customer)" },
        // A pooled buffer handed out twice corrupts every later string of the process.
        { "new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0).ToStringAndClear() != \"\"", "SLA4003", "ToStringAndClear" },
        // Not the same on every machine or in every process.
        { "Guid.CreateVersion7() != Guid.Empty", "SLA4003", "Guid.CreateVersion7" },
        { "ticket.Customer.GetHashCode() != 0", "SLA4003", "GetHashCode" },
        { "new DateTime(2026, 1, 1).ToUniversalTime().Hour == 0", "SLA4003", "ToUniversalTime" },
        { "ticket.OpenedAt.LocalDateTime.Hour == 0", "SLA4003", "LocalDateTime" },
        { "ticket.OpenedAt > new DateTime(2026, 1, 1)", "SLA4003", "new DateTime" },
        { "new DateTimeOffset(new DateTime(2026, 1, 1)).Year == 2026", "SLA4003", "new DateTimeOffset" },
        { "new Random(1).Next() > 0", "SLA4003", "Next()" },
        // Compile time: nested lambdas multiply overload resolution.
        { "ticket.Events.Sum(a => ticket.Events.Sum(b => ticket.Events.Sum(c => ticket.Events.Sum(d => 1)))) > 0", "SLA4008", "b => ticket" },
        { "ticket.Events.Sum(a => ticket.Events.Sum(b => b.At.Minute)) > 0", "SLA4008", "b => b.At" },
        { "ticket.Events.Average(e => ticket.Events.Min(f => f.At.Minute)) > 2", "SLA4008", "f => f.At" },
        { "ticket.Tags.Select(t => new()).Count() > 0", "SLA4004", "t => new()" },
        // More of the core library that binds but is not on the list: unsafe access, pools, spans, threads, the process.
        { "System.Runtime.CompilerServices.Unsafe.As<string>(ticket) != null", "SLA4003", "As<string>" },
        { "System.Buffers.ArrayPool<byte>.Shared.Rent(10).Length > 0", "SLA4003", "Rent(" },
        { "ticket.Customer.AsSpan().Length > 0", "SLA4003", "Length >" },
        { "System.Threading.Thread.Yield()", "SLA4003", "Yield" },
        { "System.Threading.Tasks.Task.Run(() => 1).Result == 1", "SLA4003", "Result ==" },
        { "System.Threading.Monitor.IsEntered(ticket)", "SLA4003", "IsEntered" },
        { "AppContext.TryGetSwitch(\"x\", out var on) && on", "SLA4003", "TryGetSwitch" },
        { "Type.GetType(\"System.IO.File\") != null", "SLA4003", "Type.GetType" },
        { "Environment.ProcessorCount > 1", "SLA4003", "ProcessorCount" },
        { "ticket.Events.ToList().ConvertAll(e => e.Status).Count > 0", "SLA4003", "ConvertAll" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Compile_HostileExpression_RejectedAtItsText(string expression, string code, string anchor)
    {
        var directory = Directory.CreateTempSubdirectory("slapolicy-sandbox-");
        try
        {
            // The rule sits alone on line 4 of the file, so the anchor's column is its index in that line.
            var json = JsonConvert.ToString(expression);
            var ruleLine = $"    {{ \"RuleName\": \"hostile\", \"SuccessEvent\": \"escalate:9\", \"Expression\": {json} }}";
            var text = new StringBuilder()
                .Append("{\n  \"WorkflowName\": \"custom\",\n  \"Rules\": [\n").Append(ruleLine).Append("\n  ]\n}\n").ToString();
            var path = Path.Combine(directory.FullName, "rules.json");
            File.WriteAllText(path, text);
            var readDiagnostics = new DiagnosticBag();
            var workflow = WorkflowJson.Parse(text, path, readDiagnostics).ShouldHaveSingleItem();
            readDiagnostics.Items.ShouldBeEmpty();

            var policy = Policy(rules: workflow.Rules);
            var diagnostics = new DiagnosticBag();
            var compiled = CompileOne(policy, diagnostics);

            var escapedAnchor = JsonConvert.ToString(anchor)[1..^1];
            var expressionStart = ruleLine.IndexOf("\"Expression\": ", StringComparison.Ordinal) + "\"Expression\": ".Length;
            var expectedColumn = ruleLine.IndexOf(escapedAnchor, expressionStart, StringComparison.Ordinal) + 1;
            var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
            diagnostic.Code.ShouldBe(code, diagnostic.ToString());
            diagnostic.Location.ShouldBe(new SourceLocation(path, 4, expectedColumn), diagnostic.ToString());

            // Fail closed: the rejected rule yields an error, and the rest of the workflow still runs.
            var outcome = compiled.Run(new RuleInputs(Case(), Clock(192), policy.Targets[0], policy));
            outcome.HasErrors.ShouldBeTrue();
            outcome.EscalationLevel.ShouldBe(2);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Compile_SelfReferencingLambdaParam_Rejected()
    {
        // A LocalParam whose lambda calls itself does not bind (C# locals are not in scope of their own
        // initialiser), and calling any delegate is forbidden besides; either way the rule cannot run.
        var rule = Rule("fact", "fact(5) == 120") with
        {
            LocalParams = [new LocalParam("fact", "(Func<int, int>)(n => n <= 1 ? 1 : n * fact(n - 1))", At(41, 30))],
        };
        var diagnostics = new DiagnosticBag();
        var compiled = CompileOne(Policy(rules: [rule]), diagnostics);

        var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA4002");
        // `fact(n - 1)` starts at offset 39 of the parameter's text: column 30 + 39.
        diagnostic.Location.ShouldBe(At(41, 69));
        compiled.Execute(new RuleInputs(Case(), Clock(0), Policy().Targets[0], Policy())).Single(r => r.RuleName == "fact").HasError.ShouldBeTrue();
    }

    [Fact]
    public void Compile_DelegateCall_RejectedEvenWithoutSelfReference()
    {
        var rule = Rule("call", "twice(2) == 4") with { LocalParams = [new LocalParam("twice", "(Func<int, int>)(n => n * 2)", At(41, 30))] };
        var diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [rule]), diagnostics);

        // The parameter already holds a function as a value, which is refused where it is written.
        var diagnostic = diagnostics.Items.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("SLA4004");
        diagnostic.Location.ShouldBe(At(41, 30));
    }

    [Theory]
    [InlineData("ticket.Tags.Where(t => t.StartsWith(\"v\")).Select(t => t.ToUpperInvariant()).Contains(\"VIP\")")]
    [InlineData("Math.Max(clock.ElapsedMinutes, 1) / 60 > 2 || clock.Elapsed > TimeSpan.FromHours(2)")]
    [InlineData("ticket.OpenedAt.DayOfWeek == DayOfWeek.Friday && ticket.OpenedAt.ToUniversalTime().Hour >= 15")]
    [InlineData("string.Equals(ticket.Tier, \"GOLD\", StringComparison.OrdinalIgnoreCase) && Convert.ToInt32(\"1\") == ticket.Severity")]
    [InlineData("ticket.Events.Count(e => e.Status == \"waiting_on_customer\") >= 1 || policy.Targets.Any(t => t.Within < TimeSpan.FromHours(1))")]
    [InlineData("$\"{ticket.Customer}-{ticket.Severity}\" == \"acme-1\" && new { A = 1 }.A == 1 && (ticket.Severity, 2).Item2 == 2")]
    [InlineData("ticket.Severity is 1 or 2")]
    public void Compile_AllowedExpression_Compiles(string expression)
    {
        var diagnostics = new DiagnosticBag();
        CompileOne(Policy(rules: [Rule("ok", expression)]), diagnostics);

        // `is 1 or 2` is the documented exception: `or` is rewritten to `||`, so it no longer compiles.
        if (expression.Contains(" or ", StringComparison.Ordinal))
        {
            diagnostics.Items.ShouldHaveSingleItem().Code.ShouldBe("SLA4002");
        }
        else
        {
            diagnostics.Items.ShouldBeEmpty(string.Join("\n", diagnostics.Items));
        }
    }
}
