using Meridian.Analytics;
using Meridian.Gateway;
using Meridian.Hosting;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Modules;
using Meridian.Ingestion;
using Meridian.Processing;
using Meridian.Processing.Jobs;
using Meridian.Storage;

namespace Meridian.Composition;

/// <summary>The composition root: options, service defaults, stores and the modules of the chosen roles.</summary>
internal static class MeridianHost
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static WebApplication Build(MeridianSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.WebHost.UseUrls(settings.Configuration["urls"] ?? DefaultUrls);

        var options = settings.Options;
        var modules = Roles.Resolve(options.Roles);
        builder.AddServiceDefaults(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddGatewayPolicies(options);

        FeatureStores.Register(builder.Services, options);
        // Built on first use, so roles that need no object or job store never open one.
        builder.Services.AddSingleton(_ => ObjectStores.Create(options));
        builder.Services.AddJobStore(_ => JobStores.Create(options));
        MessageBuses.Register(builder.Services, options);
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddIngestProcess();
        builder.Services.AddAnalyticsWriting(options);
        foreach (var module in modules) module.AddServices(builder.Services);
        foreach (var contribution in Roles.Deployed(options).Select(m => m.Contribution).OfType<ApiContribution>())
            builder.Services.AddSingleton(contribution);
        Caching.Register(builder.Services, options.Cache);

        var app = builder.Build();
        _ = app.Services.GetServices<IFeatureStore>().ToList();
        app.UseServiceDefaults(policies => policies.UseGatewayPolicies(options));
        app.MapServiceDefaults();
        foreach (var module in modules) module.MapEndpoints(app);
        return app;
    }
}
