using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Processing.Notifications;
using Meridian.Processing.Tests.Workflows;

namespace Meridian.Processing.Tests.Notifications;

public sealed class PublicAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    // IPv6 addresses that carry an IPv4 one: a NAT64 gateway (DNS64 on IPv6-only clusters) or a 6to4 relay connects to
    // the IPv4 address inside, so 64:ff9b::a9fe:a9fe is the metadata endpoint.
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("64:ff9b:1::a9fe:a9fe")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("::127.0.0.1")]
    public void Own_network_addresses_are_not_public(string address) =>
        Assert.False(PublicAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:808:808::1")]
    public void Internet_addresses_are_public(string address) =>
        Assert.True(PublicAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task By_default_a_webhook_on_the_servers_own_network_is_never_called()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync("guard-secret-0123456789", failures: 0);
        await using var host = await ProcessingHost.StartAsync(data.Path, [new MirrorProcess()], o =>
        {
            o.Notifications.AllowPrivateNetworks = false;
            o.Notifications.MaxAttempts = 1;
        });
        var created = await host.Client.PostAsync("subscriptions", new StringContent(
            $$"""{"url":"{{receiver.Address}}/hook","secret":"guard-secret-0123456789","topics":["job.accepted"]}""", Encoding.UTF8, "application/json"));
        var subscription = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        await host.Client.PostAsync("workflows", new StringContent("""{"Name":"w","StartAt":"E","States":{"E":{"Type":"Task","Process":"mirror","End":true}}}""",
            Encoding.UTF8, "application/json"));

        await host.Client.PostAsync("workflows/w/executions", new StringContent("{}", Encoding.UTF8, "application/json"));
        JsonNode? delivery = null;
        for (var i = 0; i < 600 && (string?)delivery?["outcome"] is null or "pending"; i++)
        {
            await Task.Delay(50);
            delivery = JsonNode.Parse(await host.Client.GetStringAsync($"subscriptions/{subscription}/deliveries"))!["deliveries"]!.AsArray().FirstOrDefault();
        }

        Assert.Equal("deadLettered", (string?)delivery?["outcome"]);
        Assert.Contains("not a public address", (string?)delivery!["attempts"]![0]!["error"], StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }
}
