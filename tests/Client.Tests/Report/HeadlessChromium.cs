using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VaeSweep.Client.Tests.Report;

/// <summary>
/// Debian's headless chromium driven over the DevTools protocol: load a page, collect what its console and
/// runtime reported, evaluate script, take a full-page screenshot. Fails (never skips) when chromium is missing.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly List<JsonNode> _events = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console messages of level error (and assertions), uncaught exceptions and browser log errors so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate) return _events.Select(Describe).OfType<string>().ToList();
        }
    }

    public static async Task<HeadlessChromium> StartAsync(int width, int height, CancellationToken cancellationToken)
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/lib/chromium/chromium" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is not installed; the report's browser test needs Debian's chromium package (apt-get install chromium)");
        var profile = Directory.CreateTempSubdirectory("vaesweep-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var flag in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", $"--user-data-dir={profile}",
            "--remote-debugging-port=0", "--remote-allow-origins=*", $"--window-size={width},{height}", "about:blank",
        }) start.ArgumentList.Add(flag);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var port = await DevToolsPortAsync(process, cancellationToken);
            // Keep draining its stderr, or a chatty chromium blocks on a full pipe.
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", cancellationToken))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), cancellationToken);
            browser._reader = Task.Run(() => browser.ReadAsync(browser._stop.Token), CancellationToken.None);
            foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Page.enable" }) await browser.SendAsync(domain, null, cancellationToken);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Navigates to <paramref name="path"/> and returns once its load event fired.</summary>
    public async Task LoadAsync(string path, CancellationToken cancellationToken)
    {
        var loaded = WaitForEvent("Page.loadEventFired");
        await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(path).AbsoluteUri }, cancellationToken);
        await loaded.WaitAsync(cancellationToken);
    }

    /// <summary>The value of a script expression (JSON-serialisable).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancellationToken);
        if (result["exceptionDetails"] is { } e) throw new InvalidOperationException($"script failed: {e.ToJsonString()}");
        return result["result"]?["value"];
    }

    /// <summary>A PNG of the whole page at one device pixel per CSS pixel.</summary>
    public async Task<byte[]> ScreenshotAsync(int width, int height, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        }, cancellationToken);
        return Convert.FromBase64String((string)result["data"]!);
    }

    private Task WaitForEvent(string method)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _waiters.Add((method, seen));
        return seen.Task;
    }

    private readonly List<(string Method, TaskCompletionSource Seen)> _waiters = [];

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            id = ++_nextId;
            _pending[id] = done;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        var reply = await done.Task.WaitAsync(cancellationToken);
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"] ?? new JsonObject();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                lock (_gate)
                {
                    if (node["id"] is { } id && _pending.Remove((int)id, out var waiter)) waiter.TrySetResult(node);
                    else if ((string?)node["method"] is { } method)
                    {
                        _events.Add(node);
                        foreach (var w in _waiters.Where(w => w.Method == method).ToList())
                        {
                            _waiters.Remove(w);
                            w.Seen.TrySetResult();
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser went away or we are shutting down; pending calls fail below.
        }
        lock (_gate)
            foreach (var waiter in _pending.Values) waiter.TrySetException(new InvalidOperationException("chromium closed the DevTools connection"));
    }

    private static string? Describe(JsonNode e)
    {
        var p = e["params"];
        return (string?)e["method"] switch
        {
            "Runtime.consoleAPICalled" when (string?)p?["type"] is "error" or "assert" =>
                $"console.{(string?)p!["type"]}: {string.Join(" ", p["args"]!.AsArray().Select(a => (string?)a?["value"] ?? (string?)a?["description"]))}",
            "Runtime.exceptionThrown" => $"uncaught: {p?["exceptionDetails"]?["exception"]?["description"] ?? p?["exceptionDetails"]?["text"]}",
            "Log.entryAdded" when (string?)p?["entry"]?["level"] == "error" => $"log: {(string?)p!["entry"]!["text"]} ({(string?)p["entry"]!["url"]})",
            _ => null,
        };
    }

    private static async Task<int> DevToolsPortAsync(Process process, CancellationToken cancellationToken)
    {
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.AppendLine(line);
            if (DevToolsLine().Match(line) is { Success: true } m) return int.Parse(m.Groups[1].Value);
        }
        throw new InvalidOperationException($"chromium exited ({(process.HasExited ? process.ExitCode : -1)}) without a DevTools port:\n{seen}");
    }

    [GeneratedRegex(@"DevTools listening on ws://[^:]+:(\d+)/")]
    private static partial Regex DevToolsLine();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open) _socket.Abort();
        }
        finally
        {
            _socket.Dispose();
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            if (_reader is not null) await _reader;
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
        }
    }
}
