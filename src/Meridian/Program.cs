using System.CommandLine;
using Meridian.Cli;

// The host handles SIGTERM itself and drains in-flight requests; System.CommandLine must not cut that short.
return await MeridianCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
