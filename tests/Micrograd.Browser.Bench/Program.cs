using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

// Serves the worker's live folder, the engine and a harness page (cross-origin isolated), drives
// headless Chromium through the course's kinds of cells, and prints what the first Run downloads
// (raw, gzip and brotli at their smallest), the times, and each cell's outputs.
string repo = FindRepo();
string live = Path.Combine(repo, "artifacts/bin/Micrograd.Browser/debug/live");
string engine = Path.Combine(repo, "artifacts/bin/Micrograd/debug/Micrograd.dll");
string chromium = args.Length > 0 ? args[0] : "/usr/bin/chromium";
foreach (string needed in new[] { Path.Combine(live, "worker.js"), engine, chromium })
    if (!File.Exists(needed)) { Console.Error.WriteLine($"error: '{needed}' does not exist (build the solution; install chromium)"); return 2; }

var served = new ConcurrentQueue<string>();
var builder = WebApplication.CreateBuilder();
builder.Logging.ClearProviders();
var app = builder.Build();
app.Urls.Add("http://127.0.0.1:0");
app.Run(async context =>
{
    string path = context.Request.Path.Value ?? "/";
    string? file = path == "/lib/Micrograd.dll" ? engine
        : path.StartsWith("/live/", StringComparison.Ordinal) ? Path.GetFullPath(Path.Combine(live, path["/live/".Length..])) : null;
    context.Response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
    context.Response.Headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    if (path == "/harness.html")
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        await typeof(Program).Assembly.GetManifestResourceStream("harness.html")!.CopyToAsync(context.Response.Body);
        return;
    }
    if (file is null || !file.StartsWith(live, StringComparison.Ordinal) && file != engine || !File.Exists(file)) { context.Response.StatusCode = 404; return; }
    served.Enqueue(file);
    context.Response.ContentType = Path.GetExtension(file) switch { ".js" => "text/javascript", ".wasm" => "application/wasm", ".json" => "application/json", _ => "application/octet-stream" };
    await context.Response.SendFileAsync(file);
});
await app.StartAsync();
string url = app.Urls.First() + "/harness.html";

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
var page = await browser.NewPageAsync();
page.Console += (_, m) => { if (m.Type is "error" && !m.Text.Contains("favicon")) Console.WriteLine($"[console.{m.Type}] {m.Text}"); };
Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()} (2-core machine, shared)");
await page.GotoAsync(url);
await page.WaitForFunctionAsync("() => window.mg.ready || window.mg.messages.some(m => m.type === 'fatal')", null, new() { Timeout = 180_000 });
string? fatal = await page.EvaluateAsync<string?>("() => (window.mg.messages.find(m => m.type === 'fatal') || {}).message || null");
if (fatal is not null) { Console.WriteLine("fatal: " + fatal); return 1; }
double ready = await page.EvaluateAsync<double>("() => window.mg.messages.find(m => m.type === 'ready').t");
Console.WriteLine($"worker start to ready: {ready / 1000:F2} s");

int next = 0;
var firstRun = new List<string>();
async Task<JsonElement> Run(string code, bool stop = false)
{
    int id = ++next;
    double sent = await page.EvaluateAsync<double>("([id, code]) => { window.mg.run(id, 'bench.dib:cell ' + id, code); return performance.now(); }", new object[] { id, code });
    if (stop)
    {
        await Task.Delay(1500);
        sent = await page.EvaluateAsync<double>("() => { Atomics.store(window.mg.flag, 0, 1); return performance.now(); }");
    }
    await page.WaitForFunctionAsync($"() => window.mg.done[{id}]", null, new() { Timeout = 300_000, PollingInterval = 5 });
    var r = JsonDocument.Parse(await page.EvaluateAsync<string>($"() => JSON.stringify({{ done: window.mg.done[{id}], outputs: window.mg.messages.filter(m => m.id === {id} && m.type === 'output').map(m => m.output), first: (window.mg.messages.find(m => m.id === {id}) || {{}}).t, now: performance.now() }})")).RootElement;
    var done = r.GetProperty("done");
    Console.WriteLine($"cell {id}: {(stop ? "stopped after" : "round trip")} {r.GetProperty("now").GetDouble() - sent:F0} ms (core {done.GetProperty("ms").GetDouble():F0} ms), {done.GetProperty("status").GetString()}"
        + (done.GetProperty("error").ValueKind == JsonValueKind.Object ? $": {done.GetProperty("error").GetProperty("evalue").GetString()}" : ""));
    foreach (var o in r.GetProperty("outputs").EnumerateArray())
    {
        bool stream = o.GetProperty("kind").GetString() == "stream";
        string text = stream ? o.GetProperty("text").GetString()! : o.GetProperty("data").GetProperty("text/plain").GetString()!;
        string kind = stream ? o.GetProperty("name").GetString()! : string.Join(",", o.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Console.WriteLine($"    [{kind}] {(text.Length > 160 ? text[..160] + "…" : text).Replace("\n", "\\n")}");
    }
    if (id == 1)
    {
        Console.WriteLine($"worker start to the first cell's first output: {r.GetProperty("first").GetDouble() / 1000:F2} s");
        firstRun.AddRange(served.Distinct());
    }
    return r;
}

var course02 = Cells("02-value.dib");
var course08 = Cells("08-moons.dib");
await Run(course02[0]);
await Run(course02[1]);
await Run("1 + 1");
await Run("var a = new Micrograd.Value(2.0); a");
await Run("var b = new Micrograd.Value(-3.0) { Label = \"b\" }; var c = a * b + 1; c.Label = \"c\"; c.Backward(); Micrograd.Pictures.Graphs.Graph.Draw(c)");
await Run("var x = 20;\nclass Point { public int X; public override string ToString() => $\"Point({X})\"; }");
await Run("var p = new Point { X = x };");
await Run("x += 1; p.X = x;");
await Run("p");
await Run("var shown = display(1);\nfor (int i = 2; i <= 30; i++) { shown.Update(i); System.Threading.Thread.Sleep(10); }\n\"updated\"");
await Run("var spins = 0L;\nwhile (true) { spins++; }", stop: true);
await Run("p.X + 1");
await Run("int Twice(int v) => 2 * v;\nvar zero = 0;\nConsole.WriteLine(Twice(3));\nvar boom = 1 / zero;");
await Run("System.Diagnostics.Process.Start(\"dotnet\", \"build\")");
await Run("Console.ReadLine() is null");
await Run("await Task.Delay(100);\nConsole.WriteLine(\"after await\");\n\"async done\"");
for (int i = 0; i < 7; i++) await Run(course08[i]); // setup, data, network, loss, 100 training steps, the comparison
await Run("System.Text.Json.JsonSerializer.Serialize(new[] { 1, 2, 3 })");
int updates = await page.EvaluateAsync<int>("() => window.mg.messages.filter(m => m.type === 'update').length");
Console.WriteLine($"update messages: {updates}; load: {File.ReadAllText("/proc/loadavg").Trim()}");

Console.WriteLine($"\nthe first Run downloaded {firstRun.Count} files:");
long raw = 0, gzip = 0, brotli = 0;
foreach (string file in firstRun)
{
    byte[] bytes = File.ReadAllBytes(file);
    raw += bytes.Length;
    gzip += Compressed(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true));
    brotli += Compressed(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize, leaveOpen: true));
}
Console.WriteLine($"  raw {raw / 1e6:F1} MB, gzip {gzip / 1e6:F1} MB, brotli {brotli / 1e6:F1} MB");
await app.StopAsync();
return 0;

static long Compressed(byte[] bytes, Func<Stream, Stream> compressor)
{
    using var target = new MemoryStream();
    using (var stream = compressor(target)) stream.Write(bytes);
    return target.Length;
}

List<string> Cells(string notebook) =>
    Regex.Split(File.ReadAllText(Path.Combine(repo, "notebooks", notebook)), @"^#!(\w+)[ \t]*\r?$", RegexOptions.Multiline)
        .Skip(1).Chunk(2).Where(c => c[0] == "csharp").Select(c => c[1].Trim('\r', '\n')).ToList();

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Micrograd.Notebooks.sln"))) return dir.FullName;
    throw new InvalidOperationException("run this from inside the repository");
}
