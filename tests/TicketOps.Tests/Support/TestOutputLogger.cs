using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace TicketOps.Tests.Support;

/// <summary>Routes the app's logs into the test's output, so a failing web test shows what the server did.</summary>
internal sealed class TestOutputLoggerProvider(Func<ITestOutputHelper?> output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(Func<ITestOutputHelper?> output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // SQL statements would bury the app's own lines.
        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= (category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Information);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                output()?.WriteLine($"{logLevel,-11} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test that owned the output has finished; the line has nowhere to go.
            }
        }
    }
}
