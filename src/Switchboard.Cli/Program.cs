using Switchboard.Server.Hosting;

var app = SwitchboardHost.Build(args);
await app.RunAsync();
