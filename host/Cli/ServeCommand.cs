using System.CommandLine;
using SlaPolicy.Host.Web;

namespace SlaPolicy.Host.Cli;

/// <summary><c>slapolicy serve [--urls URL]</c>: the scheduler, the HTTP API, the inbox watcher and the page, until stopped.</summary>
public sealed class ServeCommand : ICliCommand
{
    public Command Create()
    {
        var urlsOption = new Option<string?>("--urls") { Description = $"where to listen (default {SlaPolicyWebHost.DefaultUrls})" };
        var storeOption = new Option<string?>("--store") { Description = "SQLite file to use instead of `Store:Path`" };
        var command = new Command("serve", "run the nightly scheduler, the HTTP API and the support leads' page");
        command.Options.Add(urlsOption);
        command.Options.Add(storeOption);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = SlaPolicyWebHost.Create(parse.GetValue(urlsOption), RunCommand.StoreOverride(parse.GetValue(storeOption)));
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
