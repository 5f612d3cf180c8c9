using System.Globalization;
using System.Text;
using System.Xml;
using SlaPolicy.Engine.Decisions;

namespace SlaPolicy.Host.Contracts;

/// <summary>How the examples' results are shown: failures with explanations as text, and JUnit XML for CI.</summary>
public static class ExampleReport
{
    /// <summary>Writes every reading problem and failure (each with the explanation of what the policies gave), then the summary.</summary>
    public static void Write(ExampleRun run, string directory, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var diagnostic in run.Diagnostics)
        {
            output.WriteLine(diagnostic.ToString());
        }

        foreach (var outcome in run.Outcomes.Where(o => !o.Passed))
        {
            // The failures of one decision or credit figure come one after the other; its explanation follows them once.
            for (var i = 0; i < outcome.Failures.Length; i++)
            {
                var failure = outcome.Failures[i];
                output.WriteLine($"{failure} (example `{outcome.Example.Name}`, {failure.Subject})");
                if (i + 1 < outcome.Failures.Length && outcome.Failures[i + 1].Subject == failure.Subject)
                {
                    continue;
                }

                foreach (var line in ExplanationLines(failure.Explanation))
                {
                    output.WriteLine("    " + line);
                }
            }
        }

        output.WriteLine(run.Summary(directory));
    }

    /// <summary>An explanation as lines of text: <c>kind  sentence  file:line:col</c>.</summary>
    public static IEnumerable<string> ExplanationLines(IEnumerable<ExplanationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps)
        {
            var where = step.Location is { IsKnown: true } location ? $"  ({location})" : string.Empty;
            yield return $"{step.Kind,-10} {step.Text}{where}";
        }
    }

    /// <summary>The run as JUnit XML: one test suite per example file, one test case per example, one failure element per failed expectation.</summary>
    public static void WriteJUnit(ExampleRun run, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) });
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "slapolicy test");
        xml.WriteAttributeString("tests", Text(run.Outcomes.Count));
        xml.WriteAttributeString("failures", Text(run.Outcomes.Count(o => !o.Passed)));
        xml.WriteAttributeString("errors", Text(run.Files.Count(f => f.Diagnostics.Count > 0)));
        foreach (var file in run.Files)
        {
            var outcomes = run.Outcomes.Where(o => o.File == file.File).ToList();
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", file.File);
            xml.WriteAttributeString("tests", Text(outcomes.Count + (file.Diagnostics.Count > 0 ? 1 : 0)));
            xml.WriteAttributeString("failures", Text(outcomes.Count(o => !o.Passed)));
            xml.WriteAttributeString("errors", Text(file.Diagnostics.Count > 0 ? 1 : 0));
            if (file.Diagnostics.Count > 0)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", file.File);
                xml.WriteAttributeString("name", "reading the file");
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", file.Diagnostics[0].ToString());
                xml.WriteString(string.Join('\n', file.Diagnostics.Select(d => d.ToString())));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            foreach (var outcome in outcomes)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", file.File);
                xml.WriteAttributeString("name", outcome.Example.Name);
                foreach (var failure in outcome.Failures)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", failure.ToString());
                    xml.WriteString(string.Join('\n', ExplanationLines(failure.Explanation).Prepend($"{failure} ({failure.Subject})")));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
