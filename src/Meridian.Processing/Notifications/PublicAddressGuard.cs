using System.Net;
using System.Net.Sockets;

namespace Meridian.Processing.Notifications;

/// <summary>
/// Keeps webhook deliveries off the deployment's own network: whoever may subscribe could otherwise make the server
/// POST to its cloud metadata endpoint, its database or anything else only it can reach (server-side request
/// forgery). The check runs where the connection is made, on every address the name resolves to, so a name that
/// resolves to a public address when subscribed and to a private one later (DNS rebinding) is refused too.
/// </summary>
public static class PublicAddressGuard
{
    /// <summary>A connect callback for <see cref="SocketsHttpHandler"/> that refuses non-public addresses.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refused = addresses.Length == 0 ? "no address" : addresses.FirstOrDefault(a => !IsPublic(a))?.ToString();
        if (refused is not null)
            throw new HttpRequestException($"{host} resolves to {refused}, which is not a public address; " +
                "set Meridian:Notifications:AllowPrivateNetworks to deliver inside your own network");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>False for loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT, unspecified and multicast addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168));
        }
        var first = address.GetAddressBytes()[0];
        return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (first & 0xFE) == 0xFC);
    }
}
