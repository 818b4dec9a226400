using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Tests;

/// <summary>The course exported as the README's first command does, plus one page of formulas, in a temporary folder.</summary>
public sealed class ExportedSite : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mg-site-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The formulas page: the kinds of math the course writes, in $…$ and $$…$$ (on lines of its own, and within one).</summary>
    public const string MathSlug = "00-formulas";

    public async Task InitializeAsync()
    {
        var runs = new List<NotebookRun>();
        string mathNotebook = Path.Combine(Folder, "src", MathSlug + ".dib");
        Directory.CreateDirectory(Path.GetDirectoryName(mathNotebook)!);
        File.WriteAllText(mathNotebook, Repo.Notebook(("markdown",
            "# Formulas\n\nf(a, b, c) = $-a^3 + \\sin(3b) - 1/c + b^{2.5} - a^{0.5}$, and the loss $-\\log(e^{l_3} / \\sum_i e^{l_i})$.\n\n" +
            "$$\n\\frac{\\partial L}{\\partial a} = \\frac{\\partial L}{\\partial d}\\cdot\\frac{\\partial d}{\\partial a}\n$$\n\n" +
            "$$f(a, b, c) = -a^3 - \\frac{1}{c}$$\n")));
        runs.Add(new NotebookRun(mathNotebook, await NotebookSession.Open(mathNotebook).RunAllAsync()));
        foreach (var path in Directory.GetFiles(CourseRun.Folder, "*.dib").Order(StringComparer.Ordinal))
            runs.Add(new NotebookRun(path, await NotebookSession.Open(path).RunAllAsync()));
        HtmlSite.Write(Folder, "Micrograd", runs);
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    public IEnumerable<string> Pages => Directory.GetFiles(Folder, "*.html").Order(StringComparer.Ordinal);
}

/// <summary>
/// Every picture on every exported page fits the page's column, checked two ways: from the SVG's
/// own size and style, and measured in headless Chromium at two window widths (a wide browser and
/// a VS Code-sized pane), where formulas are also checked to be typeset by KaTeX.
/// </summary>
public sealed class BrowserTests(ExportedSite site) : IClassFixture<ExportedSite>
{
    internal const string Install = "apt-get update && apt-get install -y chromium";

    [Fact]
    public void Every_picture_on_every_page_carries_the_style_that_fits_it_to_the_column()
    {
        int pictures = 0;
        foreach (string page in site.Pages)
            foreach (Match svg in Regex.Matches(File.ReadAllText(page), "<svg [^>]*>"))
            {
                pictures++;
                string width = Regex.Match(svg.Value, " width=\"([0-9.]+)\"").Groups[1].Value;
                Assert.True(svg.Value.Contains($"style=\"display:block;width:100%;max-width:{width}px;height:auto\"") && svg.Value.Contains("viewBox=\"0 0 " + width + " "),
                    $"{Path.GetFileName(page)}: {svg.Value[..Math.Min(200, svg.Value.Length)]} does not scale to its column");
            }
        Assert.True(pictures >= 20, $"only {pictures} pictures in the course");
    }

    [Fact]
    public void No_markdown_cell_of_the_course_turns_carets_or_tildes_into_markup()
    {
        int cells = 0;
        foreach (string page in site.Pages.Where(p => !Path.GetFileName(p).StartsWith(ExportedSite.MathSlug, StringComparison.Ordinal)))
            foreach (Match cell in Regex.Matches(File.ReadAllText(page), "<section class=\"cell markdown\" id=\"(cell-\\d+)\">([\\s\\S]*?)</section>"))
            {
                cells++;
                Assert.True(!Regex.IsMatch(cell.Groups[2].Value, "<(sup|sub|mark|ins)>"),
                    $"{Path.GetFileName(page)} {cell.Groups[1].Value}: {Regex.Match(cell.Groups[2].Value, ".{0,60}<(sup|sub|mark|ins)>.{0,60}").Value}");
            }
        Assert.True(cells >= 50, $"only {cells} markdown cells in the course");
    }

    [Theory]
    [InlineData(1200, false)]  // a browser window: the column is 1,100 px less padding
    [InlineData(720, false)]   // a narrow window
    [InlineData(720, true)]    // the page's CSS removed, as in VS Code or Jupyter: the pictures' own markup must do it
    public void Every_picture_on_every_page_fits_the_column_in_headless_chromium(int windowWidth, bool withoutPageCss)
    {
        string chromium = FindChromium() ?? throw new Xunit.Sdk.XunitException(
            $"This test measures the exported pages in headless Chromium, which is not installed. On Debian or Ubuntu: {Install}");
        var problems = new List<string>();
        int measured = 0, formulas = 0, steps = 0, buttons = 0;
        foreach (string page in site.Pages)
        {
            var m = Measure(chromium, page, windowWidth, withoutPageCss);
            string name = Path.GetFileName(page) + (withoutPageCss ? " without its CSS" : "");
            double column = m.GetProperty("right").GetDouble() - m.GetProperty("left").GetDouble();
            foreach (var svg in m.GetProperty("svgs").EnumerateArray())
            {
                measured++;
                double l = svg.GetProperty("l").GetDouble(), r = svg.GetProperty("r").GetDouble(), w = svg.GetProperty("w").GetDouble(), h = svg.GetProperty("h").GetDouble();
                double natural = svg.GetProperty("natural").GetDouble(), naturalH = svg.GetProperty("naturalH").GetDouble();
                string what = $"{name} at {windowWidth} px: picture {svg.GetProperty("i").GetInt32()} ({natural} px wide)";
                if (r > m.GetProperty("right").GetDouble() + 0.5 || l < m.GetProperty("left").GetDouble() - 0.5)
                    problems.Add($"{what} spans {l:F0}–{r:F0}, outside the column {m.GetProperty("left").GetDouble():F0}–{m.GetProperty("right").GetDouble():F0}");
                if (w > natural + 0.5) problems.Add($"{what} is blown up to {w:F0} px");
                if (w < Math.Min(natural, column - 40) - 1) problems.Add($"{what} is only {w:F0} px wide in a {column:F0} px column");
                if (Math.Abs(h / w - naturalH / natural) > 0.01) problems.Add($"{what} is distorted: {w:F0}×{h:F0} for {natural}×{naturalH}");
            }
            foreach (var step in m.GetProperty("steps").EnumerateArray())
            {
                steps++;
                string last = step.GetProperty("last").GetString()!, first = step.GetProperty("first").GetString()!;
                if (!Regex.IsMatch(last, @"^step (\d+) of \1: ") || !Regex.IsMatch(first, @"^step 1 of \d+: .*\.grad = 1 ")
                    || step.GetProperty("svgCaptionsShown").GetInt32() != 0 || step.GetProperty("framesShown").GetInt32() != 1)
                    problems.Add($"{name}: step view shows '{last}', then '{first}' at step 1, {step.GetProperty("svgCaptionsShown")} SVG captions, {step.GetProperty("framesShown")} frames");
            }
            foreach (var button in m.GetProperty("fullSize").EnumerateArray())
            {
                buttons++;
                double natural = button.GetProperty("natural").GetDouble(), clicked = button.GetProperty("clicked").GetDouble(), again = button.GetProperty("again").GetDouble();
                if (Math.Abs(clicked - natural) > 0.5 || again > column + 0.5)
                    problems.Add($"{name}: full size shows {clicked:F0} px of {natural} px, then {again:F0} px in a {column:F0} px column");
            }
            int math = m.GetProperty("math").GetInt32(), katex = m.GetProperty("katex").GetInt32(), errors = m.GetProperty("errors").GetInt32();
            formulas += katex;
            if (katex != math || errors > 0) problems.Add($"{name}: {math} formulas, {katex} typeset by KaTeX, {errors} KaTeX errors");
            int displays = m.GetProperty("displays").GetInt32(), displayed = m.GetProperty("displayed").GetInt32();
            if (displayed != displays) problems.Add($"{name}: {displays} display formulas ($$…$$), {displayed} typeset in display mode");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(measured >= 20, $"only {measured} pictures measured");
        Assert.True(formulas >= 4, $"only {formulas} formulas typeset: the formulas page has 4");
        Assert.True(steps >= 1, "no step view found (04 has one)");
        Assert.True(buttons >= 5, $"only {buttons} full-size buttons");
    }

    private static readonly string MeasureScript = """
        <script>
        (function () {
          var main = document.querySelector('main'), ms = getComputedStyle(main), box = main.getBoundingClientRect();
          var out = { left: box.left + parseFloat(ms.paddingLeft), right: box.right - parseFloat(ms.paddingRight), svgs: [],
                      math: document.querySelectorAll('.math').length, katex: document.querySelectorAll('.math > .katex, .math > .katex-display').length,
                      errors: document.querySelectorAll('.katex-error').length,
                      displays: document.querySelectorAll('div.math, .math.display').length, displayed: document.querySelectorAll('.math > .katex-display').length };
          var svgs = document.querySelectorAll('main svg[class^="mg-"]'); // our pictures, not KaTeX's glyphs
          for (var i = 0; i < svgs.length; i++) {
            var s = svgs[i];
            if (s.parentElement.closest('svg')) continue;
            var b = s.getBoundingClientRect();
            out.svgs.push({ i: i, l: b.left, r: b.right, w: b.width, h: b.height,
                            natural: parseFloat(s.getAttribute('width')), naturalH: parseFloat(s.getAttribute('height')) });
          }
          // The step views: the caption under the slider, the SVG's own copies hidden, the slider moving both.
          out.steps = [];
          var views = document.querySelectorAll('.mg-steps');
          for (var v = 0; v < views.length; v++) {
            var root = views[v], slider = root.querySelector('.mg-slider'), shown = 0;
            var captions = root.querySelectorAll('svg .caption');
            for (var c = 0; c < captions.length; c++) if (captions[c].getBoundingClientRect().width > 0) shown++;
            var last = root.querySelector('.mg-caption').textContent;
            slider.value = '1'; slider.dispatchEvent(new Event('input'));
            var visible = 0, frames = root.querySelectorAll('.mg-frame');
            for (var f = 0; f < frames.length; f++) if (frames[f].getAttribute('display') !== 'none') visible++;
            out.steps.push({ last: last, first: root.querySelector('.mg-caption').textContent, svgCaptionsShown: shown, framesShown: visible });
          }
          // The full-size button: one click shows the picture at its natural width, a second fits it again.
          out.fullSize = [];
          var buttons = document.querySelectorAll('.mg-full-size');
          for (var k = 0; k < buttons.length; k++) {
            var pic = buttons[k].parentNode.querySelector('svg');
            buttons[k].click();
            var wide = pic.getBoundingClientRect().width;
            buttons[k].click();
            out.fullSize.push({ natural: parseFloat(pic.getAttribute('width')), clicked: wide, again: pic.getBoundingClientRect().width });
          }
          var pre = document.createElement('pre');
          pre.id = 'mg-measure';
          pre.textContent = JSON.stringify(out);
          document.body.appendChild(pre);
        })();
        </script>
        """;

    private static JsonElement Measure(string chromium, string page, int windowWidth, bool withoutPageCss)
    {
        string html = File.ReadAllText(page);
        if (withoutPageCss) html = Regex.Replace(html, "<style>[\\s\\S]*?</style>", "");
        int end = html.LastIndexOf("</body>", StringComparison.Ordinal);
        string probe = Path.Combine(Path.GetDirectoryName(page)!, Path.GetFileNameWithoutExtension(page) + $".measure-{windowWidth}{(withoutPageCss ? "-bare" : "")}.htm");
        File.WriteAllText(probe, html[..end] + MeasureScript + html[end..]);
        string profile = Path.Combine(Path.GetTempPath(), "mg-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                                         "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", $"--window-size={windowWidth},2000",
                                         "--dump-dom", new Uri(probe).AbsoluteUri })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string dom = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(120_000)) { process.Kill(entireProcessTree: true); throw new TimeoutException($"chromium took over 2 minutes on {page}"); }
            var json = Regex.Match(dom, "<pre id=\"mg-measure\">(.*?)</pre>", RegexOptions.Singleline);
            Assert.True(json.Success, $"no measurement from {Path.GetFileName(page)}; chromium said: {stderr.Result}");
            return JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(json.Groups[1].Value)).RootElement.Clone();
        }
        finally
        {
            File.Delete(probe);
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    internal static string? FindChromium()
    {
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }
}
