using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Telemetry;
using Meridian.Messaging;
using Meridian.Messaging.Sqlite;
using Meridian.Processing.Jobs;
using Meridian.Processing.Notifications;
using Meridian.Processing.Processes;
using Meridian.Processing.Workflows;
using Meridian.Storage;
using Meridian.Storage.Caching;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.GeoPackage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests;

/// <summary>
/// The processing roles (processes, worker, notifications) on a real Kestrel server on a free loopback port, over
/// the embedded stores in a data directory (SQLite jobs, local objects), with the given processes. Starting a
/// second host on the same directory after stopping the first is a restart.
/// </summary>
public sealed class ProcessingHost : IAsyncDisposable
{
    public const string ApiKey = "processing-test-key-0123456789";

    private readonly WebApplication _app;
    private bool _stopped;

    private ProcessingHost(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="runProcessJobs">Whether the worker also runs asynchronous executions of <paramref name="processes"/> (as the worker role does).</param>
    public static async Task<ProcessingHost> StartAsync(string data, IEnumerable<IProcess> processes, Action<MeridianOptions>? configure = null,
        bool runProcessJobs = false)
    {
        var options = new MeridianOptions { Data = data };
        options.Security.ApiKeys.Add(ApiKey);
        options.Notifications.FirstRetrySeconds = 0.02;
        // The test receivers listen on loopback.
        options.Notifications.AllowPrivateNetworks = true;
        configure?.Invoke(options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<IObjectStore>(new LocalObjectStore(Path.Combine(data, "objects")));
        // The process library (which the processes module registers) reads and writes collections.
        services.AddSingleton(_ => new GeoPackageDirectoryStore(Path.Combine(data, "features"), NullLogger.Instance));
        services.AddSingleton<IFeatureStore>(sp => sp.GetRequiredService<GeoPackageDirectoryStore>());
        services.AddSingleton(sp => new CollectionHome(sp.GetRequiredService<GeoPackageDirectoryStore>()));
        services.AddSingleton<ICollectionVersions, InMemoryCollectionVersions>();
        services.AddJobStore(_ => new SqliteJobStore(Path.Combine(data, "jobs.db")));
        services.AddSingleton<IMessageBus>(_ => new SqliteMessageBus(Path.Combine(data, "messages.db")));
        services.AddSingleton<JobQueue>();
        foreach (var process in processes)
        {
            services.AddSingleton(process);
            if (runProcessJobs) services.AddSingleton<IJobHandler>(new ProcessJobHandler(process));
        }
        services.AddSingleton<IJobHandler, WorkflowJobHandler>();
        services.AddSingleton<GeospatialMetrics>();
        services.AddHostedService<JobWorker>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        var modules = new Hosting.Modules.IModule[] { new ProcessesModule(), new NotificationsModule() };
        foreach (var module in modules) module.AddServices(services);

        var app = builder.Build();
        app.UseExceptionHandler();
        foreach (var module in modules) module.MapEndpoints(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProcessingHost(app, new Uri(address));
    }

    /// <summary>Stops the host as a shutdown would: running jobs are abandoned mid-work, their leases left to expire.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
