using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Micrograd.Notebooks.Tests;

/// <summary>Debian's chromium, driven through Playwright (its driver ships in the NuGet package; no browser is downloaded).</summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string chromium = BrowserTests.FindChromium() ?? throw new InvalidOperationException("install: " + BrowserTests.Install);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context (its own storage) with one page; everything the page logs to its console is kept.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Console)> Open(int width = 1100, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (console) console.Add($"page error: {e}"); };
        return (context, page, console);
    }
}

/// <summary>
/// A small course exported with --live against the stand-in worker (LiveFake/worker.js, which obeys the
/// contract and runs no C#), served by <c>serve</c> from a sub-path (/course/), as a GitHub Pages project site is.
/// </summary>
public sealed class FakeLiveCourse : IAsyncLifetime
{
    private ServedSite? _server;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mg-live-" + Guid.NewGuid().ToString("N")[..12]);
    public string Site => Path.Combine(Root, "www", "course");
    public string Notebooks { get; private set; } = "";
    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Notebooks = LiveCourseSource.Write(Root);
        using (LiveRuntime.Use(LiveRuntime.Fake))
        {
            var (code, _, err) = await CliRun.Run("run", Notebooks, "--out", Site, "--live");
            if (code != 0) throw new InvalidOperationException($"the export failed ({code}): {err}");
        }
        _server = await ServedSite.Start(Path.Combine(Root, "www"));
        Url = new Uri(_server.Url, "course/");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The page side of the live course in headless Chromium, against the stand-in worker: fast, and no .NET in the page.</summary>
public sealed class LivePageTests(FakeLiveCourse course, Chromium chromium) : IClassFixture<FakeLiveCourse>, IClassFixture<Chromium>
{
    private const string First = "01-first.html";

    private static ILocator Cell(IPage page, int number) => page.Locator($"#cell-{number}");

    private static Task<string> Source(IPage page, int number) =>
        page.EvaluateAsync<string>($"document.querySelector('#cell-{number} .CodeMirror').CodeMirror.getValue()");

    /// <summary>Replaces a cell's code by typing, as a learner does.</summary>
    private static async Task Type(IPage page, int number, string code)
    {
        await Cell(page, number).Locator(".CodeMirror").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(code);
    }

    private static Task Click(IPage page, string button) => page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

    /// <summary>Runs a cell with ▶ and expects the stand-in worker's count of the session's runs.</summary>
    private static async Task RunsAs(IPage page, int cell, int run)
    {
        await Cell(page, cell).Locator(".mg-run").ClickAsync();
        await Expect(Cell(page, cell).Locator("pre.output.stream")).ToHaveTextAsync(new Regex($"session run {run}\n$"), new() { Timeout = 10_000 });
    }

    /// <summary>Types code into a cell and runs it, until the page says it is running.</summary>
    private static async Task StartRunning(IPage page, int cell, string code)
    {
        await Type(page, cell, code);
        await Cell(page, cell).Locator(".mg-run").ClickAsync();
        await Expect(Cell(page, cell).Locator(".mg-cell-status")).ToHaveTextAsync("running…", new() { Timeout = 10_000 });
    }

    private static async Task<string> Download(IPage page, string button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => Click(page, button));
        return File.ReadAllText(await download.PathAsync());
    }

    [Fact]
    public async Task Before_the_first_run_the_page_is_the_static_page_with_an_editor_per_cell_and_fetches_no_runtime()
    {
        var (context, page, console) = await chromium.Open();
        await using var _ = context;
        var requests = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        await Expect(page.Locator(".mg-source .CodeMirror")).ToHaveCountAsync(3);
        Assert.Equal("var x = 2;\nConsole.WriteLine(x * 3);", await Source(page, 3));
        Assert.Equal("x * 21", await Source(page, 4));
        await Expect(Cell(page, 3).Locator("pre.output.stream")).ToHaveTextAsync("6\n"); // the runner's outputs, until the cell runs
        await Expect(Cell(page, 4).Locator("pre.output.text")).ToHaveTextAsync("42");
        await Expect(page.Locator(".mg-live-bar")).ToBeVisibleAsync();
        await Expect(Cell(page, 3).Locator(".mg-reset")).ToBeHiddenAsync();
        await Expect(Cell(page, 2).Locator(".cm-keyword, .cm-number, .cm-string").First).ToBeVisibleAsync(); // C# highlighting
        await page.WaitForTimeoutAsync(300);
        lock (requests) Assert.DoesNotContain(requests, u => u.Contains("worker.js", StringComparison.Ordinal) || u.Contains("lib/", StringComparison.Ordinal));
        Assert.True(await page.EvaluateAsync<bool>("self.crossOriginIsolated"), "serve's COOP/COEP headers make the page cross-origin isolated");
        Assert.DoesNotContain(console, c => c.StartsWith("error", StringComparison.Ordinal) || c.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_all_loads_the_worker_with_a_progress_bar_and_replaces_each_cells_outputs_in_the_static_markup()
    {
        var (context, page, console) = await chromium.Open();
        await using var _ = context;
        var requests = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        await Click(page, "Run all");
        await Expect(page.Locator(".mg-live-progress")).ToBeVisibleAsync();
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("loading the compiler… ");
        await Expect(Cell(page, 4).Locator(".mg-cell-status")).ToHaveTextAsync(new Regex(@"^\d+\.\d\d s$"), new() { Timeout = 10_000 });
        await Expect(page.Locator(".mg-live-progress")).ToBeHiddenAsync();
        // Each cell's static outputs were replaced by what the worker sent, consecutive writes in one block.
        await Expect(Cell(page, 2).Locator("pre.output.stream")).ToHaveTextAsync("ran 01-first.dib:cell 2: session run 1\n");
        await Expect(Cell(page, 3).Locator("pre.output.stream")).ToHaveTextAsync("ran 01-first.dib:cell 3: session run 2\n");
        await Expect(Cell(page, 3).Locator(".output")).ToHaveCountAsync(2);
        await Expect(Cell(page, 4).Locator("pre.output.text")).ToHaveTextAsync("x * 21");
        lock (requests)
        {
            Assert.Contains(new Uri(course.Url, "live/worker.js").AbsoluteUri, requests); // from the sub-path
            Assert.Contains(new Uri(course.Url, "lib/Micrograd.dll").AbsoluteUri, requests); // the page data's files, fetched by the worker from base
        }
        Assert.DoesNotContain(console, c => c.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edits_survive_a_reload_reset_brings_back_the_course_code_and_the_downloads_hold_the_page_as_it_is()
    {
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        string url = new Uri(course.Url, First).AbsoluteUri;
        await page.GotoAsync(url);
        // Unedited: the .dib is the course's file byte for byte, the .ipynb what the export writes for it without outputs.
        Assert.Equal(LiveCourseSource.First, await Download(page, "⇩ .dib"));
        string source = Path.Combine(course.Notebooks, "01-first.dib");
        var notRun = LiveCourseSource.NotRun(source);
        Assert.Equal(Ipynb.ToJson(notRun), await Download(page, "⇩ .ipynb"));

        await Type(page, 4, "x * 22");
        await Expect(Cell(page, 4).Locator(".mg-reset")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400); // saved a moment after the last keystroke
        await page.ReloadAsync();
        await Expect(page.Locator(".mg-source .CodeMirror")).ToHaveCountAsync(3);
        Assert.Equal("x * 22", await Source(page, 4));
        await Expect(Cell(page, 4).Locator(".mg-reset")).ToBeVisibleAsync();
        Assert.Equal(LiveCourseSource.First.Replace("x * 21", "x * 22"), await Download(page, "⇩ .dib"));
        Assert.Equal(Ipynb.ToJson(notRun).Replace("\"x * 21\"", "\"x * 22\""), await Download(page, "⇩ .ipynb"));

        await Cell(page, 4).Locator(".mg-reset").ClickAsync();
        Assert.Equal("x * 21", await Source(page, 4));
        await Expect(Cell(page, 4).Locator(".mg-reset")).ToBeHiddenAsync();
        await page.WaitForTimeoutAsync(400);
        await page.ReloadAsync();
        await Expect(page.Locator(".mg-source .CodeMirror")).ToHaveCountAsync(3);
        Assert.Equal("x * 21", await Source(page, 4));
        Assert.Equal("null", await page.EvaluateAsync<string>("JSON.stringify(Object.keys(localStorage).find(k => k.startsWith('micrograd-live:')) ?? null)"));

        // The CRLF notebook comes back with its CRLFs.
        await page.GotoAsync(new Uri(course.Url, "02-second.html").AbsoluteUri);
        Assert.Equal(LiveCourseSource.Second, await Download(page, "⇩ .dib"));
    }

    [Fact]
    public async Task Shift_Enter_runs_a_cell_an_update_redraws_its_display_and_an_error_shows_with_its_line()
    {
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        await Type(page, 4, "display(x)");
        await page.Keyboard.PressAsync("Shift+Enter");
        await Expect(Cell(page, 4).Locator("div.output.html b.shown")).ToHaveTextAsync("shown", new() { Timeout = 10_000 });
        await Expect(Cell(page, 4).Locator("div.output.html b.shown")).ToHaveTextAsync("updated");
        Assert.Equal(1, await Cell(page, 4).Locator("div.output.html").CountAsync());

        await Type(page, 3, "throw new Exception(\"boom\");");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(Cell(page, 3).Locator("pre.output.error")).ToHaveTextAsync("01-first.dib:cell 3:line 1: Exception: boom");
        await Expect(Cell(page, 3).Locator(".mg-cell-status")).ToContainTextAsync("error");
        await Expect(Cell(page, 3).Locator("pre.output.stream")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Stop_through_shared_memory_keeps_the_session_and_restart_ends_it()
    {
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        await RunsAs(page, 3, 1);

        await StartRunning(page, 4, "while (true) { }");
        await Expect(Cell(page, 4).Locator(".output")).ToHaveCountAsync(0); // the static output went when the cell started
        await Click(page, "Stop");
        await Expect(Cell(page, 4).Locator("pre.output.error")).ToHaveTextAsync("01-first.dib:cell 4:line 1: interrupted");
        await Expect(Cell(page, 4).Locator(".mg-cell-status")).ToHaveTextAsync("stopped");
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("state is kept");

        await RunsAs(page, 3, 3); // the same session: its third run

        await Click(page, "Restart");
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("Restarted");
        await RunsAs(page, 3, 1);
    }

    [Fact]
    public async Task A_cell_that_ignores_the_stop_is_ended_after_3_s_and_the_next_run_starts_a_new_session()
    {
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        await Type(page, 4, "// stuck");
        await Cell(page, 4).Locator(".mg-run").ClickAsync();
        await Cell(page, 3).Locator(".mg-run").ClickAsync(); // queued behind it
        await Expect(Cell(page, 4).Locator(".mg-cell-status")).ToHaveTextAsync("running…", new() { Timeout = 10_000 });
        await Expect(Cell(page, 3).Locator(".mg-cell-status")).ToHaveTextAsync("queued");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Click(page, "Stop");
        await Expect(Cell(page, 3).Locator(".mg-cell-status")).ToHaveTextAsync(""); // the queue is dropped at once
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("everything the cells defined is gone", new() { Timeout = 10_000 });
        Assert.True(clock.Elapsed.TotalSeconds >= 2.9, $"ended after {clock.Elapsed.TotalSeconds:0.0} s, before the 3 s grace");
        await Expect(Cell(page, 4).Locator(".mg-cell-status")).ToHaveTextAsync("stopped");
        await RunsAs(page, 3, 1);
    }

    [Fact]
    public async Task Without_cross_origin_isolation_stop_ends_the_session_at_once_and_says_so()
    {
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        // A static host that sends no COOP/COEP headers.
        await page.RouteAsync("**/*", async route =>
        {
            var response = await route.FetchAsync();
            var headers = response.Headers.Where(h => !h.Key.StartsWith("cross-origin", StringComparison.OrdinalIgnoreCase)).ToDictionary(h => h.Key, h => h.Value);
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Headers = headers });
        });
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        Assert.False(await page.EvaluateAsync<bool>("self.crossOriginIsolated"));
        await Cell(page, 3).Locator(".mg-run").ClickAsync();
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("not cross-origin isolated", new() { Timeout = 10_000 });
        await StartRunning(page, 4, "while (true) { }");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Click(page, "Stop");
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("everything the cells defined is gone");
        Assert.True(clock.Elapsed.TotalSeconds < 2, $"took {clock.Elapsed.TotalSeconds:0.0} s");
        await RunsAs(page, 3, 1);
    }

    [Fact]
    public async Task Opened_as_a_file_the_page_says_to_serve_it_and_stays_the_static_page()
    {
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(Path.Combine(course.Site, First)).AbsoluteUri);
        await Expect(page.Locator("p.mg-live-notice")).ToHaveTextAsync("To run these cells, serve this folder: " + ServeCommand.Hint(course.Site));
        await Expect(Cell(page, 3).Locator("pre.source")).ToHaveCountAsync(1);
        await Expect(Cell(page, 3).Locator("pre.output.stream")).ToHaveTextAsync("6\n");
        Assert.Equal(0, await page.Locator(".CodeMirror, .mg-live-bar:visible").CountAsync());
    }

    [Fact]
    public async Task With_scripts_off_a_live_page_looks_like_the_static_page()
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        await using var __ = context;
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(course.Url, First).AbsoluteUri);
        var live = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        // The same page without its live part, from the same folder.
        string html = File.ReadAllText(Path.Combine(course.Site, First));
        html = Regex.Replace(html, "<link rel=\"stylesheet\" href=\"live/[^\"]+\">\n", "");
        html = Regex.Replace(html, "<script type=\"application/json\" id=\"mg-live\">[\\s\\S]*?</script>\n", "");
        string plain = Path.Combine(course.Site, "plain-copy.html");
        File.WriteAllText(plain, html);
        try
        {
            await page.GotoAsync(new Uri(course.Url, "plain-copy.html").AbsoluteUri);
            Assert.Equal(live, await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }));
        }
        finally
        {
            File.Delete(plain);
        }
    }
}
