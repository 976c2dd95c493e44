using System.Collections.Concurrent;
using System.Net;
using Empower.InProcess;

namespace Empower.Testing.Telemetry;

/// <summary>
/// A minimal OTLP/HTTP receiver on loopback: keeps the body of every POST by path (<c>/v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>) and answers 200. Protobuf bodies hold span, metric and attribute names as
/// UTF-8, which is what the tests look for.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _bodies = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = StablePorts.Pick();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>What arrived at <paramref name="path"/>, as text (protobuf strings stay readable).</summary>
    public string Received(string path) =>
        string.Concat(_bodies.GetValueOrDefault(path, new ConcurrentQueue<byte[]>()).Select(b => System.Text.Encoding.UTF8.GetString(b)));

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _bodies.GetOrAdd(context.Request.Url!.AbsolutePath, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
