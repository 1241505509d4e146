using Meridian.Hosting.Configuration;

namespace Meridian.Composition;

/// <summary>
/// The layered configuration of one invocation: appsettings.json beside the binary, an optional --config
/// file, the environment (MERIDIAN__SECTION__KEY), then command-line options, each layer overriding the last.
/// </summary>
internal sealed record MeridianSettings(IConfiguration Configuration, MeridianOptions Options)
{
    public static MeridianSettings Load(string? configFile, IReadOnlyDictionary<string, string?> commandLine)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new OptionsException([$"--config: file '{configFile}' does not exist"]);
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.AddEnvironmentVariables().AddInMemoryCollection(commandLine);
        IConfiguration configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new OptionsException([$"configuration file: {e.Message}"]);
        }
        return new MeridianSettings(configuration, OptionsValidator.BindAndValidate(configuration));
    }
}
