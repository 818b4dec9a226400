using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Tests;

/// <summary>The browser runtime the exporter copies, for the length of a test: a folder given through <see cref="LiveSite.RuntimeVariable"/>.</summary>
internal sealed class LiveRuntime : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(LiveSite.RuntimeVariable);

    private LiveRuntime(string folder) => Environment.SetEnvironmentVariable(LiveSite.RuntimeVariable, folder);

    /// <summary>The stand-in worker of the page tests (LiveFake/worker.js), which obeys the contract and runs no C#.</summary>
    public static string Fake => Path.Combine(Repo.Root, "tests", "Micrograd.Notebooks.Tests", "LiveFake");

    public static LiveRuntime Use(string folder) => new(folder);

    public void Dispose() => Environment.SetEnvironmentVariable(LiveSite.RuntimeVariable, _before);
}

/// <summary>A small course that references a copy of the engine by a relative path, as the real one does.</summary>
internal static class LiveCourseSource
{
    public const string First = "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"languageName\":\"csharp\",\"name\":\"csharp\"}]}}\n\n" +
        "#!markdown\n\n# First\n\nThe first notebook: \"quotes\", <tags> & a tab\there.\n\n" +
        "#!csharp\n\n#r \"../bin/Micrograd.dll\"\nnew Micrograd.Value(1.5).Data\n\n" +
        "#!csharp\n\nvar x = 2;\nConsole.WriteLine(x * 3);\n\n" +
        "#!csharp\n\n\n\nx * 21\n\n\n" +
        "#!markdown\n\nDone.\n";

    public const string Second = "#!csharp\r\n\r\nConsole.WriteLine(\"second\");\r\n\r\n#!markdown\r\n\r\n# Second\r\n";

    /// <summary>A notebook as read, not run: its cells with no outputs (what a page's downloads hold when unedited).</summary>
    public static NotebookRun NotRun(string path) =>
        new(path, DibFormat.Read(path).Cells.Where(c => c.Kernel != "meta")
            .Select((c, i) => new CellResult(i + 1, c.Kernel, c.Source, CellStatus.NotRun, [], TimeSpan.Zero)).ToArray());

    /// <summary>Writes nb/01-first.dib, nb/02-second.dib and bin/Micrograd.dll under <paramref name="folder"/>; returns the notebooks' folder.</summary>
    public static string Write(string folder)
    {
        string nb = Path.Combine(folder, "nb"), bin = Path.Combine(folder, "bin");
        Directory.CreateDirectory(nb);
        Directory.CreateDirectory(bin);
        File.Copy(typeof(Micrograd.Value).Assembly.Location, Path.Combine(bin, "Micrograd.dll"), overwrite: true);
        File.WriteAllText(Path.Combine(nb, "01-first.dib"), First);
        File.WriteAllText(Path.Combine(nb, "02-second.dib"), Second);
        return nb;
    }
}

/// <summary>run … --live: opt-in, its files listed in the site's manifest, and the page data a page's downloads are made from.</summary>
public sealed class LiveExportTests
{
    private static string[] ManifestFiles(string site) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(site, SiteFolder.ManifestName))).RootElement.GetProperty("Files").EnumerateArray().Select(f => f.GetString()!).ToArray();

    private static JsonElement PageData(string page)
    {
        var m = Regex.Match(File.ReadAllText(page), "<script type=\"application/json\" id=\"mg-live\">(.*?)</script>");
        Assert.True(m.Success, $"{page} has no page data");
        return JsonDocument.Parse(m.Groups[1].Value).RootElement.Clone();
    }

    [Fact]
    public async Task Without_live_a_page_has_no_live_part_and_the_site_no_live_folder()
    {
        using var folder = new TempFolder();
        string nb = LiveCourseSource.Write(folder.Path), site = Path.Combine(folder.Path, "site");
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site)).Code);
        string page = File.ReadAllText(Path.Combine(site, "01-first.html"));
        Assert.DoesNotContain("mg-live", page);
        Assert.DoesNotContain("live/", page);
        Assert.DoesNotContain("<script", page); // the static page of a notebook without math or pictures runs nothing
        Assert.False(Directory.Exists(Path.Combine(site, "live")));
        Assert.DoesNotContain(ManifestFiles(site), f => f.StartsWith("live/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Live_adds_the_page_side_the_runtime_and_the_engine_all_in_the_manifest_and_each_page_its_data()
    {
        using var folder = new TempFolder();
        string nb = LiveCourseSource.Write(folder.Path), site = Path.Combine(folder.Path, "site");
        string runtime = folder.Write("runtime/worker.js", "// worker\n");
        folder.Write("runtime/_framework/dotnet.wasm", "wasm");
        folder.Write("runtime/_framework/dotnet.wasm.br", "br");
        folder.Write("runtime/live.js", "not the page side"); // the page side's own file wins
        using (LiveRuntime.Use(Path.GetDirectoryName(runtime)!))
        {
            var (code, _, err) = await CliRun.Run("run", nb, "--out", site, "--live");
            Assert.True(code == 0, err);
        }

        var files = ManifestFiles(site);
        foreach (string f in new[] { "live/live.js", "live/live.css", "live/codemirror/codemirror.js", "live/codemirror/codemirror.css", "live/codemirror/clike.js",
                                     "live/codemirror/LICENSE", "live/worker.js", "live/_framework/dotnet.wasm", "live/_framework/dotnet.wasm.br", "lib/Micrograd.dll" })
        {
            Assert.Contains(f, files);
            Assert.True(File.Exists(Path.Combine(site, f)), f);
        }
        Assert.Equal(LiveSite.Assets().Single(a => a.Path == "live/live.js").Bytes, File.ReadAllBytes(Path.Combine(site, "live", "live.js")));
        Assert.Equal(File.ReadAllBytes(typeof(Micrograd.Value).Assembly.Location), File.ReadAllBytes(Path.Combine(site, "lib", "Micrograd.dll")));

        string page = File.ReadAllText(Path.Combine(site, "01-first.html"));
        Assert.Contains("<link rel=\"stylesheet\" href=\"live/live.css\">", page);
        Assert.Contains("<script type=\"module\" src=\"live/live.js\"></script>", page);
        Assert.DoesNotContain("\"/", Regex.Replace(page, "<script type=\"application/json\"[\\s\\S]*?</script>", "")); // every URL relative: the site works from a sub-path
        var data = PageData(Path.Combine(site, "01-first.html"));
        Assert.Equal("01-first.dib", data.GetProperty("notebook").GetString());
        var file = Assert.Single(data.GetProperty("files").EnumerateArray());
        Assert.Equal("bin/Micrograd.dll", file.GetProperty("path").GetString()); // the worker's folder is /course/nb: "../bin/Micrograd.dll" is /course/bin/Micrograd.dll
        Assert.Equal("lib/Micrograd.dll", file.GetProperty("url").GetString());
        Assert.Equal(6, data.GetProperty("dib").GetProperty("cells").GetArrayLength()); // the #!meta cell too
        Assert.Equal(5, data.GetProperty("ipynb").GetProperty("ids").GetArrayLength());
        Assert.Equal("micrograd-csharp", data.GetProperty("ipynb").GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Contains(ServeCommand.Hint(site), data.GetProperty("serve").GetString());
        Assert.Empty(PageData(Path.Combine(site, "02-second.html")).GetProperty("files").EnumerateArray()); // no #r: nothing to load
    }

    [Fact]
    public async Task A_new_runtime_replaces_the_old_ones_files_and_a_folder_run_without_live_removes_them()
    {
        using var folder = new TempFolder();
        string nb = LiveCourseSource.Write(folder.Path), site = Path.Combine(folder.Path, "site");
        folder.Write("a/worker.js", "a");
        folder.Write("a/_framework/old.wasm", "old");
        folder.Write("b/worker.js", "b");
        folder.Write("b/_framework/new.wasm", "new");
        folder.Write("site/live/mine.txt", "the site owner's file");
        using (LiveRuntime.Use(Path.Combine(folder.Path, "a"))) Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site, "--live")).Code);
        Assert.True(File.Exists(Path.Combine(site, "live", "_framework", "old.wasm")));

        using (LiveRuntime.Use(Path.Combine(folder.Path, "b"))) Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site, "--live")).Code);
        Assert.False(File.Exists(Path.Combine(site, "live", "_framework", "old.wasm")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(site, "live", "_framework", "new.wasm")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(site, "live", "worker.js")));
        Assert.DoesNotContain("live/_framework/old.wasm", ManifestFiles(site));

        // One notebook without --live into the live site: the other page still needs live/.
        Assert.Equal(0, (await CliRun.Run("run", Path.Combine(nb, "02-second.dib"), "--out", site)).Code);
        Assert.True(File.Exists(Path.Combine(site, "live", "live.js")));
        Assert.Contains("live/live.js", File.ReadAllText(Path.Combine(site, "01-first.html")));

        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site)).Code);
        Assert.False(File.Exists(Path.Combine(site, "live", "live.js")));
        Assert.False(Directory.Exists(Path.Combine(site, "live", "_framework")));
        Assert.Equal("the site owner's file", File.ReadAllText(Path.Combine(site, "live", "mine.txt")));
        Assert.DoesNotContain(ManifestFiles(site), f => f.StartsWith("live/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Live_pages_are_the_same_bytes_run_after_run()
    {
        using var folder = new TempFolder();
        string nb = LiveCourseSource.Write(folder.Path);
        using var _ = LiveRuntime.Use(LiveRuntime.Fake);
        string site = Path.Combine(folder.Path, "site"), a = Path.Combine(folder.Path, "a"), b = Path.Combine(folder.Path, "b");
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site, "--live")).Code);
        Directory.Move(site, a);
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site, "--live")).Code);
        Directory.Move(site, b);
        foreach (string page in new[] { "01-first.html", "02-second.html" })
            Assert.Equal(File.ReadAllText(Path.Combine(a, page)), File.ReadAllText(Path.Combine(b, page)));
    }

    [Theory]
    [InlineData(new[] { "--live", "--format", "ipynb" }, "error: --live makes HTML pages: add html to --format")]
    [InlineData(new[] { "--live", "--untrusted" }, "error: --live runs the notebooks' code and shows its HTML in the pages; it cannot be combined with --untrusted")]
    public async Task Live_with_what_it_cannot_do_exits_2(string[] options, string message)
    {
        using var folder = new TempFolder();
        string nb = LiveCourseSource.Write(folder.Path);
        var (code, _, err) = await CliRun.Run(["run", nb, "--out", Path.Combine(folder.Path, "site"), .. options]);
        Assert.Equal(2, code);
        Assert.Equal(message, err.Split('\n')[0]);
    }

    [Fact]
    public async Task Live_without_a_built_runtime_exits_2_saying_how_to_build_it()
    {
        using var folder = new TempFolder();
        string nb = LiveCourseSource.Write(folder.Path), missing = Path.Combine(folder.Path, "no-runtime");
        using var _ = LiveRuntime.Use(missing);
        var (code, _, err) = await CliRun.Run("run", nb, "--out", Path.Combine(folder.Path, "site"), "--live");
        Assert.Equal(2, code);
        Assert.Equal($"error: the browser runtime is not built ('{missing}' has no worker.js): run dotnet build src/Micrograd.Browser", err.Split('\n')[0]);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "site")));
    }

    /// <summary>What live.js does for the .dib download (dibText), over the page data: an unedited page gives the file's bytes.</summary>
    private static string DibOf(JsonElement data)
    {
        var dib = data.GetProperty("dib");
        var text = new StringBuilder(dib.GetProperty("preamble").GetString());
        foreach (var c in dib.GetProperty("cells").EnumerateArray())
        {
            string leading = c.GetProperty("leading").GetString()!, trailing = c.GetProperty("trailing").GetString()!;
            string newline = leading.Contains("\r\n") || trailing.Contains("\r\n") ? "\r\n" : "\n";
            if (c.GetProperty("directive").GetString() is { } directive) text.Append("#!").Append(directive);
            text.Append(leading).Append(c.GetProperty("source").GetString()!.Replace("\n", newline)).Append(trailing);
        }
        return text.ToString();
    }

    [Fact]
    public void The_page_data_of_every_course_notebook_gives_back_its_dib_byte_for_byte()
    {
        using var folder = new TempFolder();
        var notebooks = Directory.GetFiles(Path.Combine(Repo.Root, "notebooks"), "*.dib").Order(StringComparer.Ordinal)
            .Append(folder.Write("nb/crlf.dib", LiveCourseSource.Second))
            .Append(folder.Write("nb/odd.dib", "\n\n#!c#  \n\n1\n#!md\n#!csharp\n\n\n"))
            .Append(folder.Write("nb/first.dib", LiveCourseSource.First)).ToArray();
        Assert.True(notebooks.Length >= 13);
        foreach (string path in notebooks)
        {
            var run = LiveCourseSource.NotRun(path);
            string json = LiveSite.PageData(run, "serve", (_, _) => { }) ?? throw new Xunit.Sdk.XunitException($"{path}: no page data");
            Assert.DoesNotContain("</", json); // safe inside <script>
            var data = JsonDocument.Parse(json).RootElement;
            Assert.Equal(File.ReadAllText(path), DibOf(data));
            Assert.Equal(Ipynb.CellIds(run), data.GetProperty("ipynb").GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToArray());
        }
    }

    [Fact]
    public void A_notebook_that_changed_after_it_ran_gets_a_static_page()
    {
        using var folder = new TempFolder();
        string path = folder.Write("nb/a.dib", Repo.Notebook(("csharp", "1")));
        var run = new NotebookRun(path, [new CellResult(1, "csharp", "2", CellStatus.Ran, [new StreamOutput("2\n")], TimeSpan.Zero)]);
        Assert.Null(LiveSite.PageData(run, "serve", (_, _) => { }));
    }
}
