using Meridian.Hosting.Configuration;
using Meridian.Hosting.Security;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Tests.Security;

public sealed class AnonymousProcessesTests
{
    private static readonly AnonymousProcesses EchoOpen = new(new MeridianOptions { Security = { AnonymousProcesses = ["echo"] } });

    [Theory]
    [InlineData("POST", "/processes/echo/execution", true)]
    [InlineData("POST", "/Processes/echo/Execution", true)]
    [InlineData("POST", "/processes/Echo/execution", false)]
    [InlineData("POST", "/processes/buffer/execution", false)]
    [InlineData("POST", "/processes/echo/execution/", false)]
    [InlineData("POST", "/processes/echo/execution/more", false)]
    [InlineData("POST", "/processes/echo", false)]
    [InlineData("POST", "/jobs/echo/execution", false)]
    [InlineData("POST", "//processes/echo/execution", false)]
    [InlineData("PUT", "/processes/echo/execution", false)]
    [InlineData("DELETE", "/processes/echo/execution", false)]
    public void Only_the_execution_of_a_listed_process_is_open(string method, string path, bool open)
    {
        var request = new DefaultHttpContext { Request = { Method = method, Path = path } }.Request;

        Assert.Equal(open, EchoOpen.Allows(request));
    }

    [Fact]
    public void Nothing_is_open_by_default()
    {
        var closed = new AnonymousProcesses(new MeridianOptions());
        var request = new DefaultHttpContext { Request = { Method = "POST", Path = "/processes/echo/execution" } }.Request;

        Assert.False(closed.Allows(request));
        Assert.False(closed.Allows("echo"));
    }
}
