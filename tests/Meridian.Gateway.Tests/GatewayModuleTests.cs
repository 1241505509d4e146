using Meridian.Gateway.Tests.Composition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Meridian.Gateway.Tests;

public sealed class GatewayModuleTests
{
    [Fact]
    public async Task No_data_protection_key_ring_is_loaded_at_start()
    {
        await using var host = await MeridianTestHost.StartAsync();

        var hosted = host.Services.GetServices<IHostedService>().Select(s => s.GetType().FullName).ToList();
        Assert.NotEmpty(hosted);
        Assert.DoesNotContain(hosted, name => name!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }
}
