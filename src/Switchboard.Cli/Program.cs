using Switchboard.Cli;

return await SwitchboardCli.InvokeAsync(args, CliConsole.System);
