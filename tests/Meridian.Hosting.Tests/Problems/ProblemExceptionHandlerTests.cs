using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Tests.Problems;

public sealed class ProblemExceptionHandlerTests
{
    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_and_is_logged_with_its_exception()
    {
        var log = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var handler = new ProblemExceptionHandler(factory.CreateLogger<ProblemExceptionHandler>());
        var context = new DefaultHttpContext { Request = { Method = "GET", Path = "/collections" } };
        context.Response.Body = new MemoryStream();
        var failure = new InvalidOperationException("boom");

        await handler.TryHandleAsync(context, failure, CancellationToken.None);

        Assert.Equal(500, context.Response.StatusCode);
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(failure, entry.Exception);
        Assert.Contains("/collections", entry.Message);
    }

    [Fact]
    public async Task A_problem_the_request_caused_is_not_logged_as_an_error()
    {
        var log = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var handler = new ProblemExceptionHandler(factory.CreateLogger<ProblemExceptionHandler>());
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await handler.TryHandleAsync(context, ProblemException.InvalidParameter("limit", "Not a number."), CancellationToken.None);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task Nothing_is_written_for_a_client_that_has_gone()
    {
        // An upload cut off by its client: Kestrel's reads fail, and there is no one left to answer.
        var log = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var handler = new ProblemExceptionHandler(factory.CreateLogger<ProblemExceptionHandler>());
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var context = new DefaultHttpContext { RequestAborted = gone.Token };
        context.Response.Body = new MemoryStream();

        var handled = await handler.TryHandleAsync(context, new BadHttpRequestException("Unexpected end of request content."), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.Empty(log.Entries);
    }

    private sealed record Entry(LogLevel Level, string Message, Exception? Exception);

    /// <summary>A logging provider that keeps what is logged, to read it back.</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider, ILogger
    {
        public List<Entry> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(new Entry(logLevel, formatter(state, exception), exception));

        public void Dispose() { }
    }
}
