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

    private static readonly byte[] Nat64WellKnown = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] Nat64LocalUse = [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01];

    /// <summary>False for loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT, unspecified and multicast addresses, also inside NAT64, 6to4 and IPv4-compatible IPv6 addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            // NAT64's local-use prefix (RFC 8215) is by definition inside the deployment's network.
            if (v6.AsSpan(0, 6).SequenceEqual(Nat64LocalUse)) return false;
            // An IPv4 address inside an IPv6 one is where a NAT64 gateway (the well-known 64:ff9b::/96), a 6to4 relay
            // (2002::/16) or an IPv4-compatible address (::/96) connects: the IPv4 address decides.
            if (v6.AsSpan(0, 12).SequenceEqual(Nat64WellKnown)) address = new IPAddress(v6.AsSpan(12, 4));
            else if (v6[0] == 0x20 && v6[1] == 0x02) address = new IPAddress(v6.AsSpan(2, 4));
            else if (v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) address = new IPAddress(v6.AsSpan(12, 4));
        }
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
