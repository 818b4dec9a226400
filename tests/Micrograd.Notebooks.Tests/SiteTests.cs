using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Tests;

/// <summary>The --out folder stays a site: staged, published whole, its other files never touched.</summary>
public sealed class SiteTests
{
    private static string Read(string folder, string file) => File.ReadAllText(Path.Combine(folder, file));

    [Fact]
    public async Task One_notebook_into_a_course_folder_keeps_the_other_rows_and_links_and_removed_notebooks_lose_their_pages()
    {
        using var folder = new TempFolder();
        string nb = Path.Combine(folder.Path, "nb"), site = Path.Combine(folder.Path, "site");
        folder.Write("nb/01-a.dib", Repo.Notebook(("markdown", "# A\n\nFirst."), ("csharp", "1")));
        folder.Write("nb/02-b.dib", Repo.Notebook(("markdown", "# B\n\nSecond."), ("csharp", "2")));
        folder.Write("nb/03-c.dib", Repo.Notebook(("markdown", "# C\n\nThird."), ("csharp", "3")));
        folder.Write("site/CNAME", "course.example\n");
        folder.Write("site/.git/HEAD", "ref: refs/heads/pages\n");
        folder.Write("site/notes.html", "mine");
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site, "--format", "html,ipynb")).Code);

        folder.Write("nb/02-b.dib", Repo.Notebook(("markdown", "# B, again\n\nSecond, changed."), ("csharp", "22")));
        var (code, stdout, _) = await CliRun.Run("run", Path.Combine(nb, "02-b.dib"), "--out", site);
        Assert.Equal(0, code);
        Assert.Contains("summary: 1 notebooks", stdout);
        string index = Read(site, "index.html");
        Assert.Equal(3, index.Split("<tr><td>").Length - 1);
        Assert.Contains("<a href=\"01-a.html\">A</a></td><td>First.</td>", index);
        Assert.Contains("<a href=\"02-b.html\">B, again</a></td><td>Second, changed.</td>", index);
        string b = Read(site, "02-b.html");
        Assert.Contains("<pre class=\"output text\">22</pre>", b);
        Assert.Contains("<a href=\"01-a.html\">← A</a>", b);
        Assert.Contains("<a href=\"03-c.html\">C →</a>", b);
        Assert.Contains("<a href=\"02-b.html\">B, again →</a>", Read(site, "01-a.html")); // the neighbour links to the new title
        Assert.True(File.Exists(Path.Combine(site, "02-b.ipynb"))); // from the first run, kept

        File.Delete(Path.Combine(nb, "03-c.dib"));
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site)).Code);
        Assert.False(File.Exists(Path.Combine(site, "03-c.html")));
        Assert.False(File.Exists(Path.Combine(site, "03-c.ipynb")));
        Assert.DoesNotContain("03-c", Read(site, "index.html"));
        Assert.Equal("course.example\n", Read(site, "CNAME"));
        Assert.Equal("mine", Read(site, "notes.html"));
        Assert.True(File.Exists(Path.Combine(site, ".git", "HEAD")));
        Assert.Empty(Directory.GetDirectories(site, ".staging-*"));
        Assert.False(File.Exists(Path.Combine(site, SiteFolder.LockName)));
    }

    [Fact]
    public async Task Page_names_are_safe_links_are_encoded_and_index_is_the_sites()
    {
        using var folder = new TempFolder();
        string nb = Path.Combine(folder.Path, "nb"), site = Path.Combine(folder.Path, "site");
        folder.Write("nb/index.dib", Repo.Notebook(("markdown", "# The index notebook"), ("csharp", "1")));
        folder.Write("nb/a#b.dib", Repo.Notebook(("markdown", "# Hash"), ("csharp", "2")));
        folder.Write("nb/what?.dib", Repo.Notebook(("markdown", "# Question"), ("csharp", "3")));
        folder.Write("nb/50%.dib", Repo.Notebook(("markdown", "# Percent"), ("csharp", "4")));
        folder.Write("nb/été.dib", Repo.Notebook(("markdown", "# Summer"), ("csharp", "5")));
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site)).Code);
        string index = Read(site, "index.html");
        Assert.Contains("<h1>nb</h1>", index); // the site's index, not the notebook's page
        Assert.Contains("<a href=\"index-notebook.html\">The index notebook</a>", index);
        Assert.Contains("<a href=\"a-b.html\">Hash</a>", index);
        Assert.Contains("<a href=\"what-.html\">Question</a>", index);
        Assert.Contains("<a href=\"50-.html\">Percent</a>", index);
        Assert.Contains("<a href=\"%C3%A9t%C3%A9.html\">Summer</a>", index);
        foreach (var page in new[] { "index-notebook.html", "a-b.html", "what-.html", "50-.html", "été.html" })
            Assert.True(File.Exists(Path.Combine(site, page)), page);
    }

    [Fact]
    public async Task A_second_run_into_a_folder_in_use_is_refused_and_a_stale_lock_is_taken_over()
    {
        using var folder = new TempFolder();
        string nb = folder.Write("nb/01-a.dib", Repo.Notebook(("csharp", "1")));
        string site = Path.Combine(folder.Path, "site");
        folder.Write($"site/{SiteFolder.LockName}", $"{Environment.ProcessId}\n");
        var (code, _, stderr) = await CliRun.Run("run", nb, "--out", site);
        Assert.Equal(2, code);
        Assert.Contains($"error: another run (process {Environment.ProcessId}) is writing to '{site}'", stderr);

        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        folder.Write($"site/{SiteFolder.LockName}", $"{gone.Id}\n");
        Assert.Equal(0, (await CliRun.Run("run", nb, "--out", site)).Code);
        Assert.False(File.Exists(Path.Combine(site, SiteFolder.LockName)));
    }

    [Fact]
    public async Task An_interrupted_run_leaves_the_previous_site_whole_and_exits_130()
    {
        using var folder = new TempFolder();
        string nb = Path.Combine(folder.Path, "nb"), site = Path.Combine(folder.Path, "site");
        folder.Write("nb/01-a.dib", Repo.Notebook(("markdown", "# A"), ("csharp", "1")));
        folder.Write("nb/02-b.dib", Repo.Notebook(("markdown", "# B"), ("csharp", "2"), ("csharp", "System.Threading.Thread.Sleep(600_000);")));
        Assert.Equal(0, (await CliRun.Run("run", Path.Combine(nb, "01-a.dib"), "--out", site)).Code);
        string before = Read(site, "index.html"), page = Read(site, "01-a.html");

        folder.Write("nb/01-a.dib", Repo.Notebook(("markdown", "# A, changed"), ("csharp", "11")));
        using var interrupt = new CancellationTokenSource();
        var stdout = new Tripwire("02-b.dib  cell  2/3", interrupt); // Ctrl+C while cell 3 sleeps
        var stderr = new StringWriter();
        int code = await Cli.RunAsync(["run", nb, "--out", site], stdout, stderr, interrupt.Token);

        Assert.Equal(130, code);
        Assert.Contains("interrupted: 1 of 2 notebooks ran", stderr.ToString());
        Assert.Equal(before, Read(site, "index.html"));
        Assert.Equal(page, Read(site, "01-a.html"));
        Assert.False(File.Exists(Path.Combine(site, "02-b.html")));
        Assert.Empty(Directory.GetDirectories(site, ".staging-*"));
    }

    [Fact]
    public async Task An_export_that_throws_is_that_notebooks_error_and_markdown_too_deep_shows_as_text()
    {
        using var folder = new TempFolder();
        string nb = Path.Combine(folder.Path, "nb"), site = Path.Combine(folder.Path, "site");
        folder.Write("nb/01-deep.dib", Repo.Notebook(("markdown", "# Deep\n\n" + string.Concat(Enumerable.Repeat("> ", 20_000)) + "x"), ("csharp", "1")));
        folder.Write("nb/02-fine.dib", Repo.Notebook(("markdown", "# Fine"), ("csharp", "2")));
        var (code, stdout, stderr) = await CliRun.Run("run", nb, "--out", site);
        Assert.True(code is 0 or 1, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Contains("02-fine.dib: 2 cells, 0 failed", stdout);
        Assert.True(File.Exists(Path.Combine(site, "01-deep.html")));
        Assert.True(File.Exists(Path.Combine(site, "02-fine.html")));
    }

    [Fact]
    public void Untrusted_pages_run_no_script_from_markdown_or_outputs()
    {
        string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>";
        var run = new NotebookRun("/x/u.dib",
        [
            new CellResult(1, "markdown", "# U\n\n<script>alert(1)</script> [click](javascript:alert(1)) [ok](https://example.org) **b**{onclick=\"alert(1)\"}", CellStatus.Ran, [], TimeSpan.Zero),
            new CellResult(2, "csharp", "x", CellStatus.Ran,
            [
                new DisplayOutput([("text/html", "<div onmouseover=\"alert(1)\">" + svg + "</div>"), ("text/plain", "picture")], null),
                new DisplayOutput([("text/html", "<b onclick=\"alert(2)\">hi</b>"), ("text/plain", "hi as text")], null),
            ], TimeSpan.Zero),
        ]);
        string page = HtmlSite.Page("T", run, null, null, trusted: false);
        Assert.DoesNotContain("<script>", page);
        Assert.DoesNotContain("javascript:", page);
        Assert.DoesNotContain("onclick=\"", page);   // as text it is harmless: {onclick=&quot;…
        Assert.DoesNotContain("onmouseover", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("<a href=\"https://example.org\">ok</a>", page);
        Assert.Contains("<img alt=\"picture\" src=\"data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg)) + "\">", page);
        Assert.Contains("<pre class=\"output text\">hi as text</pre>", page);

        string trusted = HtmlSite.Page("T", run, null, null, trusted: true);
        Assert.Contains("<b onclick=\"alert(2)\">hi</b>", trusted); // course notebooks are trusted, as in Jupyter
    }

    /// <summary>A console that presses Ctrl+C when a line it is given contains a text.</summary>
    private sealed class Tripwire(string text, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(text, StringComparison.Ordinal)) interrupt.Cancel();
        }
    }
}
