using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Micrograd.Notebooks.Tests;

/// <summary>A site served by <c>serve</c> in this process, on a free loopback port, until disposed (as Ctrl+C would end it).</summary>
internal sealed class ServedSite : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _out = new(), _err = new();
    private Task<int> _serving = Task.FromResult(0);

    public Uri Url { get; private set; } = null!;

    public static async Task<ServedSite> Start(string folder)
    {
        var site = new ServedSite();
        site._serving = Task.Run(() => Cli.RunAsync(["serve", folder, "--port", "0"], TextWriter.Synchronized(site._out), TextWriter.Synchronized(site._err), site._stop.Token));
        for (int i = 0; i < 300 && !site._serving.IsCompleted; i++)
        {
            var m = Regex.Match(site._out.ToString(), @"at (http://127\.0\.0\.1:\d+/)");
            if (m.Success) { site.Url = new Uri(m.Groups[1].Value); return site; }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"serve did not start: exit {(site._serving.IsCompleted ? site._serving.Result : -1)}, {site._err}");
    }

    /// <summary>Ends the server as Ctrl+C does; its exit code.</summary>
    public async Task<int> Stop()
    {
        _stop.Cancel();
        return await _serving;
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _stop.Dispose();
    }
}

/// <summary><c>serve</c>: the site's files with WebAssembly's MIME types, the cross-origin isolation headers, compression, loopback only.</summary>
public sealed class ServeTests
{
    [Fact]
    public async Task Serves_wasm_with_its_type_and_every_response_with_the_isolation_headers_until_ctrl_c()
    {
        using var folder = new TempFolder();
        folder.Write("site/index.html", "<!DOCTYPE html><title>i</title>");
        folder.Write("site/live/_framework/dotnet.native.wasm", "\0asm");
        folder.Write("site/live/_framework/Micrograd.dll", "MZ");
        folder.Write("site/live/_framework/icudt.dat", "dat");
        folder.Write("site/live/worker.js", "self.x = 1;");
        folder.Write("site/live/a.mjs", "export {};");
        folder.Write("site/live/manifest.json", "{}");
        await using var site = await ServedSite.Start(Path.Combine(folder.Path, "site"));
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        foreach (var (path, type) in new[] { ("live/_framework/dotnet.native.wasm", "application/wasm"), ("live/_framework/Micrograd.dll", "application/octet-stream"),
                                             ("live/_framework/icudt.dat", "application/octet-stream"), ("live/worker.js", "text/javascript"),
                                             ("live/a.mjs", "text/javascript"), ("live/manifest.json", "application/json"), ("", "text/html") })
        {
            using var response = await http.GetAsync(new Uri(site.Url, path));
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Cross-Origin-Opener-Policy")));
            Assert.Equal("require-corp", Assert.Single(response.Headers.GetValues("Cross-Origin-Embedder-Policy")));
        }
        using (var missing = await http.GetAsync(new Uri(site.Url, "live/nothing.wasm")))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("127.0.0.1", site.Url.Host); // loopback only by default
        Assert.Equal(0, await site.Stop());
    }

    [Fact]
    public async Task Sends_a_files_precompressed_copy_when_the_browser_takes_it_and_compresses_the_others()
    {
        using var folder = new TempFolder();
        string big = string.Concat(Enumerable.Repeat("console.log('the same line again');\n", 400));
        folder.Write("site/live/big.js", big);
        folder.Write("site/live/pre.wasm", "plain");
        string brotli = Path.Combine(folder.Path, "site", "live", "pre.wasm.br");
        await using (var file = File.Create(brotli))
        await using (var br = new System.IO.Compression.BrotliStream(file, System.IO.Compression.CompressionLevel.Optimal))
            await br.WriteAsync("from the .br file"u8.ToArray());
        await using var site = await ServedSite.Start(Path.Combine(folder.Path, "site"));
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.All });

        using var pre = new HttpRequestMessage(HttpMethod.Get, new Uri(site.Url, "live/pre.wasm"));
        pre.Headers.AcceptEncoding.ParseAdd("br");
        using var preResponse = await http.SendAsync(pre);
        Assert.Equal("from the .br file", await preResponse.Content.ReadAsStringAsync());
        Assert.Equal("application/wasm", preResponse.Content.Headers.ContentType?.MediaType);

        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        using var plain = await raw.GetAsync(new Uri(site.Url, "live/pre.wasm")); // no Accept-Encoding: the file itself
        Assert.Equal("plain", await plain.Content.ReadAsStringAsync());

        using var js = new HttpRequestMessage(HttpMethod.Get, new Uri(site.Url, "live/big.js"));
        js.Headers.AcceptEncoding.ParseAdd("gzip");
        using var compressed = await raw.SendAsync(js);
        Assert.Equal("gzip", Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.True((await compressed.Content.ReadAsByteArrayAsync()).Length < big.Length / 10);
    }

    [Theory]
    [InlineData(new[] { "serve" }, "error: serve needs the folder of an exported site, such as out/course (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE", "--port", "70000" }, "error: --port takes a number from 0 to 65535, not '70000' (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE", "--port" }, "error: --port takes a number from 0 to 65535 (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE", "--host", "localhost:80" }, "error: --host takes an IP address such as 127.0.0.1 or 0.0.0.0, not 'localhost:80' (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE", "--prot", "80" }, "error: unknown option '--prot' (did you mean --port?) (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE", "other" }, "error: one site folder at a time (got 'SITE' and 'other') (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE/index.html" }, "error: 'SITE/index.html' is a file; give the folder of an exported site (serve --help for usage)")]
    [InlineData(new[] { "serve", "SITE/corse" }, "error: 'SITE/corse' does not exist (did you mean course?); export a site first: run notebooks --out SITE/corse --live (serve --help for usage)")]
    public async Task Bad_arguments_and_a_missing_folder_exit_2_in_one_line(string[] args, string message)
    {
        using var folder = new TempFolder();
        folder.Write("site/index.html", "i");
        folder.Write("site/course/index.html", "i");
        string site = Path.Combine(folder.Path, "site");
        var (code, stdout, stderr) = await CliRun.Run(args.Select(a => a.Replace("SITE", site)).ToArray());
        Assert.Equal(2, code);
        Assert.Equal(message.Replace("SITE", site) + "\n", stderr.Replace("\r\n", "\n"));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_port_in_use_exits_1_in_one_line()
    {
        using var folder = new TempFolder();
        folder.Write("site/index.html", "i");
        await using var first = await ServedSite.Start(Path.Combine(folder.Path, "site"));
        var (code, _, stderr) = await CliRun.Run("serve", Path.Combine(folder.Path, "site"), "--port", first.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
        Assert.StartsWith($"error: cannot listen on 127.0.0.1:{first.Url.Port}: ", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Help_shows_the_command_and_its_options()
    {
        var (code, stdout, _) = await CliRun.Run("serve", "--help");
        Assert.Equal(0, code);
        foreach (string word in new[] { "serve <site folder>", "--port", "--host", "Cross-Origin-Opener-Policy", "exit codes" }) Assert.Contains(word, stdout);
        Assert.Contains("serve <site folder> [--port N]", (await CliRun.Run("--help")).Out);
    }
}
