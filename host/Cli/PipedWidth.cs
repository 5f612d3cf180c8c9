using Spectre.Console;

namespace SlaPolicy.Host.Cli;

/// <summary>
/// The width tables are laid out in. On a terminal, the terminal's; written to a pipe or a file, where there is no
/// width to fit, a width no table of these commands reaches, so that a row stays on one line and no column is cut
/// (Spectre.Console would otherwise assume 80 columns and wrap or squeeze them).
/// </summary>
public static class PipedWidth
{
    /// <summary>Wide enough for every table <c>evaluate</c>, <c>report</c> and <c>why</c> print, with long ids.</summary>
    public const int Columns = 240;

    /// <summary>Lays <paramref name="console"/> out <see cref="Columns"/> wide when its output is redirected.</summary>
    public static IAnsiConsole Apply(IAnsiConsole console, bool redirected)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (redirected)
        {
            console.Profile.Width = Columns;
        }

        return console;
    }
}
