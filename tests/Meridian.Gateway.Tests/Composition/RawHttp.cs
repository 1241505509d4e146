using System.Net.Sockets;
using System.Text;

namespace Meridian.Gateway.Tests.Composition;

/// <summary>Sends bytes no HttpClient would send (smuggling shapes) and reads the status code of the answer.</summary>
public static class RawHttp
{
    public static async Task<int> SendAsync(Uri address, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
