using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Notebooks.Export;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Micrograd.Notebooks.Tests;

/// <summary>
/// The course itself, live in headless Chromium with the real .NET WebAssembly worker: exported with
/// --live (the whole course folder, as the README does), served by <c>serve</c>. Made once, on first use.
/// </summary>
internal static class RealLiveCourse
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ServedSite? _server;
    private static Uri? _url;

    public static async Task<Uri> Url()
    {
        await Gate.WaitAsync();
        try
        {
            if (_url is not null) return _url;
            if (LiveSite.RuntimeProblem(LiveSite.RuntimeFolder()) is { } problem) throw new InvalidOperationException(problem);
            string site = Path.Combine(Path.GetTempPath(), "mg-live-course-" + Guid.NewGuid().ToString("N")[..12]);
            var (code, _, err) = await CliRun.Run("run", Path.Combine(Repo.Root, "notebooks"), "--out", site, "--live");
            if (code != 0) throw new InvalidOperationException($"the export of the course failed ({code}): {err}");
            _server = await ServedSite.Start(site); // lives as long as the test process
            return _url = _server.Url;
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>The live course in a real browser, with the real worker built by src/Micrograd.Browser.</summary>
public sealed partial class LiveCourseTests(Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>Every page of the course.</summary>
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (string dib in Directory.GetFiles(Path.Combine(Repo.Root, "notebooks"), "*.dib").Order(StringComparer.Ordinal))
            pages.Add(Path.GetFileNameWithoutExtension(dib) + ".html");
        return pages;
    }

    /// <summary>Every code cell's outputs as text, in order: what the page shows for it (static, or after a live run).</summary>
    private static Task<string[][]> Outputs(IPage page) => page.EvaluateAsync<string[][]>("""
        Array.from(document.querySelectorAll('section.cell.code')).map(s =>
          Array.from(s.querySelectorAll(':scope > .output')).map(o => o.className + ': ' + o.textContent))
        """);

    private static async Task RunAll(IPage page, float timeout)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Run all" }).ClickAsync();
        await Expect(page.Locator(".mg-cell-status.queued, .mg-cell-status.running")).ToHaveCountAsync(0, new() { Timeout = timeout });
    }

    private static async Task Type(IPage page, int cell, string code)
    {
        await page.Locator($"#cell-{cell} .CodeMirror").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(code);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Run_all_shows_what_the_runner_printed_cell_for_cell(string page)
    {
        const float timeout = 300_000;
        var url = await RealLiveCourse.Url();
        var (context, tab, console) = await chromium.Open();
        await using var _ = context;
        await tab.GotoAsync(new Uri(url, page).AbsoluteUri);
        var printed = await Outputs(tab);
        await RunAll(tab, timeout);
        var live = await Outputs(tab);
        Assert.Equal(0, await tab.Locator(".mg-cell-status.error").CountAsync());
        Assert.DoesNotContain(console, line => line.Contains("Failed to load resource", StringComparison.Ordinal)); // every file the page asks for is there
        Assert.Equal(printed.Length, live.Length);
        for (int i = 0; i < printed.Length; i++)
            Assert.True(printed[i].Length == live[i].Length && printed[i].Zip(live[i]).All(p => SameUpToRounding(p.First, p.Second)),
                $"{page}, code cell {i + 1}:\nthe runner: {string.Join("\n", printed[i])}\nthe browser: {string.Join("\n", live[i])}\n{string.Join("\n", console)}");
    }

    /// <summary>
    /// The same text, every word and every number, except that a number may differ in its last
    /// digits: the browser's math library (Math.Tanh, Math.Exp) rounds some results to the
    /// neighbouring double of glibc's (tanh(0.8813735870195432) is 0.7071067811865476 there,
    /// 0.7071067811865477 here), as the lecture's own Python printed 0.7071067811865476.
    /// A different word, such as "identical" against "DIFFERENT", or a number off by more than
    /// rounding, still fails.
    /// </summary>
    internal static bool SameUpToRounding(string runner, string browser)
    {
        // A step view's script names its element by a hash of the picture, numbers included.
        var a = Number().Split(StepViewId().Replace(runner.TrimEnd(), "mg-steps-…"));
        var b = Number().Split(StepViewId().Replace(browser.TrimEnd(), "mg-steps-…"));
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (i % 2 == 0) // text between numbers, where a column's padding may follow a number's width
            {
                if (Space().Replace(a[i], " ") != Space().Replace(b[i], " ")) return false;
                continue;
            }
            if (a[i] == b[i]) continue;
            double x = double.Parse(a[i], System.Globalization.CultureInfo.InvariantCulture);
            double y = double.Parse(b[i], System.Globalization.CultureInfo.InvariantCulture);
            bool rounding = Math.Abs(x - y) <= 1e-9 * Math.Max(Math.Abs(x), Math.Abs(y)) || (Math.Abs(x) <= 1e-15 && Math.Abs(y) <= 1e-15);
            if (!rounding) return false;
        }
        return true;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+(?:\.\d+)?(?:e[-+]?\d+)?)")]
    private static partial System.Text.RegularExpressions.Regex Number();

    [System.Text.RegularExpressions.GeneratedRegex(" +")]
    private static partial System.Text.RegularExpressions.Regex Space();

    [System.Text.RegularExpressions.GeneratedRegex("mg-steps-[0-9a-f]+")]
    private static partial System.Text.RegularExpressions.Regex StepViewId();

    [Fact]
    public void Numbers_may_differ_in_their_last_digits_and_nothing_else()
    {
        Assert.True(SameUpToRounding("o = 0.7071067811865477, grad 0.4999999999999998", "o = 0.7071067811865476, grad 0.4999999999999999"));
        Assert.True(SameUpToRounding("o  0.0e0  x", "o  1.1e-16 x"));
        Assert.False(SameUpToRounding("ours 0.5 identical", "ours 0.5 DIFFERENT"));
        Assert.False(SameUpToRounding("loss 0.010978", "loss 0.010979"));
        Assert.False(SameUpToRounding("41 parameters", "42 parameters"));
        Assert.False(SameUpToRounding("a 1 b", "a 1 b 2"));
    }

    [Fact]
    public async Task A_number_edited_in_03_changes_the_gradient_when_the_cells_run_again()
    {
        var url = await RealLiveCourse.Url();
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(url, "03-manual-backprop.html").AbsoluteUri);
        await RunAll(page, 120_000);
        await Expect(page.Locator("#cell-15 pre.output.text")).ToContainTextAsync("dL/db = dL/de · a = -2 · 2 = -4");
        string graph = await page.Locator("#cell-6").InnerHTMLAsync();
        string source = await page.EvaluateAsync<string>("document.querySelector('#cell-6 .CodeMirror').CodeMirror.getValue()");
        await Type(page, 6, source.Replace("var a = new Value(2.0, \"a\");", "var a = new Value(3.0, \"a\");", StringComparison.Ordinal));
        await RunAll(page, 120_000);
        await Expect(page.Locator("#cell-15 pre.output.text")).ToContainTextAsync("dL/db = dL/de · a = -2 · 3 = -6");
        Assert.NotEqual(graph, await page.Locator("#cell-6").InnerHTMLAsync());
    }

    [Fact]
    public async Task A_cell_that_needs_more_of_the_framework_fetches_it_and_display_and_ClearOutput_still_work()
    {
        var url = await RealLiveCourse.Url();
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(url, "02-value.html").AbsoluteUri);
        await RunAll(page, 120_000); // the engine is #r'd by the setup cells
        await Type(page, 6, "using System.Text.Json;"); // a cell of usings only, of an assembly not downloaded yet
        await page.Locator("#cell-6 .mg-run").ClickAsync();
        await Type(page, 8, "JsonSerializer.Serialize(new[] { 1, 2 })"); // not an everyday reference: fetched now
        await page.Locator("#cell-8 .mg-run").ClickAsync();
        await Expect(page.Locator("#cell-8 pre.output.text")).ToHaveTextAsync("[1,2]", new() { Timeout = 60_000 });
        await Type(page, 10, "display(new Micrograd.Value(2.0));\n6 * 7");
        await page.Locator("#cell-10 .mg-run").ClickAsync();
        await Expect(page.Locator("#cell-10 pre.output.text")).ToHaveTextAsync("42", new() { Timeout = 30_000 });
        Assert.Equal(0, await page.Locator("#cell-6 pre.output.error, #cell-8 pre.output.error, #cell-10 pre.output.error").CountAsync());
        await Expect(page.Locator("#cell-10 div.output.html")).ToHaveCountAsync(1); // the engine's Value, shown by display
        await Type(page, 12, "Console.WriteLine(\"before\");\nClearOutput();\nConsole.WriteLine(\"after\");");
        await page.Locator("#cell-12 .mg-run").ClickAsync();
        await Expect(page.Locator("#cell-12 .mg-cell-status")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("ok"), new() { Timeout = 30_000 });
        Assert.Equal(["after\n"], await page.Locator("#cell-12 > .output").AllTextContentsAsync()); // as the runner's page keeps it
    }

    [Fact]
    public async Task An_endless_loop_stops_the_state_stays_and_restart_clears_it()
    {
        var url = await RealLiveCourse.Url();
        var (context, page, _) = await chromium.Open();
        await using var __ = context;
        await page.GotoAsync(new Uri(url, "03-manual-backprop.html").AbsoluteUri);
        Assert.True(await page.EvaluateAsync<bool>("self.crossOriginIsolated"));
        await RunAll(page, 120_000);
        string expected = await page.Locator("#cell-15 pre.output.text").TextContentAsync() ?? "";

        await Type(page, 10, "while (true) { }");
        await page.Locator("#cell-10 .mg-run").ClickAsync();
        await Expect(page.Locator("#cell-10 .mg-cell-status")).ToHaveTextAsync("running…");
        await page.WaitForTimeoutAsync(500);
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await Expect(page.Locator("#cell-10 pre.output.error")).ToContainTextAsync("03-manual-backprop.dib:cell 10:line 1: interrupted", new() { Timeout = 5_000 });
        await Expect(page.Locator(".mg-live-status")).ToContainTextAsync("state is kept");

        await page.Locator("#cell-15 .mg-run").ClickAsync(); // uses a, b and e from earlier cells
        await Expect(page.Locator("#cell-15 .mg-cell-status")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("ok"), new() { Timeout = 30_000 });
        await Expect(page.Locator("#cell-15 pre.output.text")).ToHaveTextAsync(expected);

        await page.GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();
        await page.Locator("#cell-15 .mg-run").ClickAsync();
        await Expect(page.Locator("#cell-15 pre.output.error")).ToContainTextAsync("error CS0103", new() { Timeout = 60_000 });
    }
}
