using System.CommandLine;
using Meridian.Composition;
using Meridian.Hosting.Configuration;

namespace Meridian.Cli;

internal static class ConfigCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var print = new Command("print", "Print the resolved configuration (all layers applied, secrets masked) and check it.");
        common.AddTo(print);
        print.SetAction((parse, _) => MeridianCli.Guard(async () =>
        {
            var settings = MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse));
            Roles.Deployed(settings.Options);
            await Console.Out.WriteLineAsync(OptionsPrinter.ToJson(settings.Options));
            return 0;
        }));
        return new Command("config", "Inspect configuration.") { print };
    }
}
