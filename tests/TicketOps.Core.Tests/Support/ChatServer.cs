using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace TicketOps.Core.Tests.Support;

/// <summary>A minimal local HTTP server on a free port: it answers chat completions for the LLM tests and receives webhooks.</summary>
internal sealed class ChatServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, (int Status, string Body, TimeSpan Delay)> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _requests = [];
    private readonly List<System.Collections.Specialized.NameValueCollection> _headers = [];

    public ChatServer(Func<int, (int Status, string Body, TimeSpan Delay)> respond)
    {
        _respond = respond;
        int port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        _ = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    /// <summary>The headers of each request, in arrival order.</summary>
    public IReadOnlyList<System.Collections.Specialized.NameValueCollection> Headers
    {
        get
        {
            lock (_requests)
            {
                return [.. _headers];
            }
        }
    }

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static string Completion(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "local-test",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
    });

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        int number;
        lock (_requests)
        {
            _requests.Add(body);
            _headers.Add(new System.Collections.Specialized.NameValueCollection(context.Request.Headers));
            number = _requests.Count;
        }

        var (status, answer, delay) = _respond(number);
        try
        {
            await Task.Delay(delay, _stop.Token);
            byte[] bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // The test is over or the client gave up.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
