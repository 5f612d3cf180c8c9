using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using SlaPolicy.Engine.Inputs.Generation;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// <c>slapolicy generate --cases N --seed S --out FILE [--profile realistic|synthetic]</c>: writes generated cases
/// as JSON Lines, streaming (a million cases in flat memory). With <c>--measurements</c> it writes a month of
/// sample measurements instead. The same seed gives the same file on every machine.
/// </summary>
public sealed class GenerateCommand : ICliCommand
{
    public Command Create()
    {
        var cases = new Option<int>("--cases") { Description = "how many cases to generate", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "seed of the random generator; the same seed gives the same file", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "file to write (`-` for standard output)", Required = true };
        var profile = new Option<string>("--profile") { Description = "`realistic` (like the samples, office hours, worked examples first) or `synthetic` (even spread, for benchmarks)", DefaultValueFactory = _ => "realistic" };
        profile.AcceptOnlyFromAmong("realistic", "synthetic");
        var measurements = new Option<bool>("--measurements") { Description = "write sample measurements (every 6 hours of `--month`) instead of cases" };
        var month = new Option<string>("--month") { Description = "month of the measurements, `YYYY-MM`", DefaultValueFactory = _ => "2026-11" };

        var command = new Command("generate", "generate input data: cases (seeded, streaming) or sample measurements");
        command.Options.Add(cases);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(profile);
        command.Options.Add(measurements);
        command.Options.Add(month);
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(output)!;
            var count = parseResult.GetValue(cases);
            if (count < 0)
            {
                Console.Error.WriteLine($"error: `--cases` must be zero or more, not `{count}`");
                return 2;
            }

            var stopwatch = Stopwatch.StartNew();
            if (path != "-" && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                // `--out new-folder/cases.jsonl` makes the folder, as `run --ingest new-folder` will read it.
                Directory.CreateDirectory(folder);
            }

            using var stream = path == "-" ? Console.OpenStandardOutput() : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            using var writer = new JsonLinesWriter(stream);
            string what;
            if (parseResult.GetValue(measurements))
            {
                var monthText = parseResult.GetValue(month)!;
                if (!DateTime.TryParseExact(monthText, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
                {
                    Console.Error.WriteLine($"error: `--month` must be written `YYYY-MM`, not `{monthText}`");
                    return 2;
                }

                foreach (var record in MeasurementGenerator.Generate(parseResult.GetValue(seed), new YearMonth(first.Year, first.Month), Duration.FromHours(6)))
                {
                    writer.Write(record);
                }

                what = "measurements";
            }
            else
            {
                var chosen = parseResult.GetValue(profile) == "synthetic" ? GenerationProfile.Synthetic : GenerationProfile.Realistic;
                foreach (var record in new CaseGenerator(parseResult.GetValue(seed), chosen).Generate(count))
                {
                    writer.Write(record);
                }

                what = "cases";
            }

            writer.Flush();
            Console.Error.WriteLine($"wrote {writer.Count} {what} to {path} in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            return 0;
        });
        return command;
    }
}
