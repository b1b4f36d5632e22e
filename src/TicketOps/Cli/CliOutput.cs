using System.Text.Json;
using Spectre.Console;

namespace TicketOps.Cli;

/// <summary>
/// Where a command writes: tables and progress through Spectre.Console on stdout, machine output
/// (<c>--format json</c>) and plain lines as raw text on stdout, errors on stderr.
/// </summary>
internal sealed class CliOutput(IAnsiConsole console, TextWriter @out, TextWriter error, bool interactive)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public IAnsiConsole Console { get; } = console;

    public TextWriter Out { get; } = @out;

    public TextWriter Error { get; } = error;

    /// <summary>True in a terminal: show progress bars and colours. False when piped or in CI: plain lines.</summary>
    public bool Interactive { get; } = interactive;

    public static CliOutput FromConsole()
    {
        bool interactive = !System.Console.IsOutputRedirected && !System.Console.IsErrorRedirected
            && Environment.GetEnvironmentVariable("CI") is null;
        IAnsiConsole console = AnsiConsole.Console;
        if (!interactive)
        {
            // Piped output has no width; 80 columns would wrap every table into a tall, unreadable column.
            console.Profile.Width = Math.Max(console.Profile.Width, 140);
        }

        return new CliOutput(console, System.Console.Out, System.Console.Error, interactive);
    }

    // ", about 3 min left" from the rate so far, once there is a rate to go by.
    private static string Remaining(TimeSpan elapsed, int done, int total)
    {
        if (done <= 0 || done >= total || elapsed < TimeSpan.FromSeconds(2))
        {
            return "";
        }

        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done);
        return left < TimeSpan.FromMinutes(1) ? $", about {Math.Ceiling(left.TotalSeconds):N0} s left" : $", about {Math.Ceiling(left.TotalMinutes):N0} min left";
    }

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, Json));

    public void Fail(string message) => Error.WriteLine($"error: {message}");

    public void Line(string text) => Out.WriteLine(text);

    /// <summary>Runs <paramref name="work"/> with a progress bar in a terminal, or plain progress lines on stderr otherwise.</summary>
    public async Task<T> WithProgressAsync<T>(string title, Func<IProgress<(string Stage, int Done, int? Total)>, Task<T>> work)
    {
        if (!Interactive)
        {
            var started = new Dictionary<string, System.Diagnostics.Stopwatch>();
            var plain = new SyncProgress<(string Stage, int Done, int? Total)>(p =>
            {
                if (!started.TryGetValue(p.Stage, out System.Diagnostics.Stopwatch? clock))
                {
                    started[p.Stage] = clock = System.Diagnostics.Stopwatch.StartNew();
                }

                Error.WriteLine(p.Total is { } total ? $"{title}: {p.Stage} {p.Done:N0}/{total:N0}{Remaining(clock.Elapsed, p.Done, total)}" : $"{title}: {p.Stage} {p.Done:N0}");
            });
            return await work(plain);
        }

        T result = default!;
        await Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SyncProgress<(string Stage, int Done, int? Total)>(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out ProgressTask? task))
                    {
                        task = context.AddTask($"{title}: {p.Stage}", maxValue: p.Total ?? 100);
                        task.IsIndeterminate = p.Total is null;
                        tasks[p.Stage] = task;
                    }

                    if (p.Total is { } total)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = Math.Max(1, total);
                    }

                    task.Value = p.Done;
                });
                result = await work(progress);
                foreach (ProgressTask task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return result;
    }
}

/// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
