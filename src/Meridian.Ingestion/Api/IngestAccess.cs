using Meridian.Hosting.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Ingestion.Api;

/// <summary>Uploads and ingests write data: they need the same credential as every other write.</summary>
internal static class IngestAccess
{
    public static void Require(HttpContext context) => context.RequestServices.GetRequiredService<WriteAccess>().Require(context);
}
