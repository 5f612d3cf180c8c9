using SlaPolicy.Host.Cli;

return await CliApp.RunAsync(args);
