using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Tells an outage of a store (the database or the object store cannot be reached, or dropped the connection) from a
/// defect, by what the drivers throw: a transient <see cref="DbException"/> (Npgsql marks connection failures and broken
/// connections so), a socket error, or an HTTP request that got no answer (the S3 client's transport). Any of them
/// anywhere in the chain of inner exceptions, since drivers and adapters wrap them.
/// </summary>
internal static class StoreOutage
{
    /// <summary>How long a client should wait before trying again: about what a database restart or failover takes.</summary>
    public const string RetryAfterSeconds = "5";

    /// <summary>The answer; it says nothing of which store or where: that is in the log, for the operator.</summary>
    public static ProblemDetails Problem() => new()
    {
        Status = 503, Type = ProblemTypes.Unavailable, Title = "Service unavailable",
        Detail = "A store this request needs cannot be reached at the moment; try again shortly.",
    };

    public static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or SocketException or HttpRequestException { StatusCode: null }) return true;
        }
        return false;
    }
}
