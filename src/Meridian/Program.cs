using Meridian.Cli;

return await MeridianCli.Build().Parse(args).InvokeAsync();
