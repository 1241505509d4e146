using Meridian.Hosting.Catalog;
using Meridian.Processing.Jobs;
using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Processing.Library;

/// <summary>The library's processes in DI: as themselves, as <see cref="IProcess"/> (what the API and workflows look up by id) and as job handlers.</summary>
public static class ProcessLibrary
{
    private static readonly Type[] Processes =
    [
        typeof(BufferProcess), typeof(SimplifyProcess), typeof(CentroidProcess), typeof(ConvexHullProcess), typeof(ClipProcess),
        typeof(DissolveProcess), typeof(DifferenceProcess), typeof(ReprojectProcess), typeof(SpatialJoinProcess), typeof(NearestProcess),
        typeof(MeasureProcess), typeof(GridProcess), typeof(EchoProcess),
    ];

    /// <summary>Registers the processes once, however many roles ask.</summary>
    public static IServiceCollection AddProcessLibrary(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ProcessRegistry))) return services;
        services.AddCollectionCatalog();
        services.AddSingleton<FeatureInputs>();
        services.AddSingleton<FeatureOutputs>();
        services.AddSingleton<ProcessIo>();
        services.AddSingleton<ProcessRegistry>();
        foreach (var type in Processes)
        {
            services.AddSingleton(type);
            services.AddSingleton(sp => (IProcess)sp.GetRequiredService(type));
        }
        return services;
    }

    /// <summary>One job handler per library process, for the worker role.</summary>
    public static IServiceCollection AddProcessJobHandlers(this IServiceCollection services)
    {
        services.AddProcessLibrary();
        foreach (var type in Processes) services.AddSingleton<IJobHandler>(sp => new ProcessJobHandler((IProcess)sp.GetRequiredService(type)));
        return services;
    }
}
