using System.CommandLine;
using Meridian.Composition;

namespace Meridian.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, ASP.NET style (default {MeridianHost.DefaultUrls})." };
        var roles = new Option<string[]>("--roles") { Description = "Roles to run, comma-separated (default all): " + string.Join(", ", Roles.Names) + "." };
        var command = new Command("serve", "Run Meridian: every role on the embedded defaults, or the roles named.") { urls, roles };
        common.AddTo(command);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var values = common.ToConfiguration(parse);
            if (parse.GetValue(urls) is { } u) values["urls"] = u;
            var requested = parse.GetValue(roles) ?? [];
            for (var i = 0; i < requested.Length; i++) values[$"Meridian:Roles:{i}"] = requested[i];

            var settings = MeridianSettings.Load(parse.GetValue(common.Config), values);
            ProxySockets.Configure(settings.Options);
            await using var app = MeridianHost.Build(settings);
            await StartupChecks.RunAsync(app, ct);
            await app.RunAsync();
            return 0;
        }));
        return command;
    }
}
