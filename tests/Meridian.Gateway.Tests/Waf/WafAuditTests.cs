using Meridian.Gateway.Tests.Waf.Corpus;
using Meridian.Gateway.Waf;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Gateway.Tests.Waf;

public sealed class WafAuditTests
{
    [Fact]
    public async Task Block_IsLoggedWithRuleAndTarget_WithoutSecrets()
    {
        var logger = new ListLogger();
        var options = new MeridianOptions();
        var middleware = new WafMiddleware(_ => Task.CompletedTask, new WafInspectorBuild(options.Gateway.Waf), options, logger);
        var context = new WafCase("xss", "GET", "/collections?q=1", new Dictionary<string, string>
        {
            ["Cookie"] = "session=s3cr3t-value; x=<script>alert(1)</script>",
            ["Authorization"] = "Bearer token-never-logged",
        }).ToHttpContext();
        context.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(context);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        var entry = Assert.Single(logger.Entries);
        Assert.Contains("xss-script", entry);
        Assert.Contains("header:cookie", entry);
        Assert.DoesNotContain("s3cr3t", entry);
        Assert.DoesNotContain("token-never-logged", entry);
        Assert.DoesNotContain("<script>", entry);
    }

    [Theory]
    [InlineData("sqli-union", "' UNION SELECT 1--")]
    [InlineData("lfi-traversal", "../../etc/passwd")]
    [InlineData("cmd-substitution", "$(printf x)")]
    public async Task Finding_NamesTheRule(string rule, string payload)
    {
        var inspector = new WafInspector(new WafOptions());
        var context = new WafCase("x", "GET", "/collections?v=" + Uri.EscapeDataString(payload), WafCase.NoHeaders).ToHttpContext();

        var finding = await inspector.InspectAsync(context);

        Assert.Equal(rule, finding?.RuleId);
        Assert.Equal("query:v", finding?.Target);
    }

    [Fact]
    public async Task Body_IsInspectedAndLeftReadableForTheEndpoint()
    {
        var inspector = new WafInspector(new WafOptions());
        const string body = """{"type":"Feature","properties":{"name":"Bern"},"geometry":{"type":"Point","coordinates":[7.4,46.9]}}""";
        var context = new WafCase("geojson", "POST", "/collections/a/items", WafCase.NoHeaders, body, "application/geo+json").ToHttpContext();

        Assert.Null(await inspector.InspectAsync(context));
        Assert.Equal(body, await new StreamReader(context.Request.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task RepeatedValues_KeepTheirVerdict_AndAnExcludedMatchIsNotRememberedAsClean()
    {
        var inspector = new WafInspector(new WafOptions { Exclusions = [new WafExclusion { PathPrefix = "/excluded", Rules = ["xss"] }] });
        var attack = "?q=" + Uri.EscapeDataString("<script>alert(1)</script>");
        HttpContext Get(string target) => new WafCase("x", "GET", target, WafCase.NoHeaders).ToHttpContext();

        Assert.Null(await inspector.InspectAsync(Get("/collections?q=plain")));
        Assert.Null(await inspector.InspectAsync(Get("/collections?q=plain")));
        Assert.Null(await inspector.InspectAsync(Get("/excluded" + attack)));
        Assert.Equal("xss-script", (await inspector.InspectAsync(Get("/collections" + attack)))?.RuleId);
        Assert.Equal("xss-script", (await inspector.InspectAsync(Get("/collections" + attack)))?.RuleId);
    }

    private sealed class ListLogger : ILogger<WafMiddleware>
    {
        public List<string> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(formatter(state, exception));
    }
}
