using System.IO;
using System.Threading.Tasks;

namespace Micrograd.Notebooks.Tests;

public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = await Notebooks.Cli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Help_lists_the_command_and_every_option()
    {
        var (code, output, _) = await Cli("--help");
        Assert.Equal(0, code);
        foreach (var word in new[] { "run", "--out", "--format", "--timeout", "--title", "exit codes" })
            Assert.Contains(word, output);
    }

    [Theory]
    [InlineData(new string[0], "usage")]
    [InlineData(new[] { "walk" }, "unknown command 'walk'")]
    [InlineData(new[] { "run" }, "run needs a notebook or a folder")]
    [InlineData(new[] { "run", "nowhere" }, "'nowhere' does not exist")]
    [InlineData(new[] { "run", ".", "--format", "pdf" }, "--format takes html, ipynb or html,ipynb")]
    [InlineData(new[] { "run", ".", "--timeout", "-1" }, "--timeout takes a number of seconds from 0.1 to 86400 (a day), not '-1'")]
    [InlineData(new[] { "run", ".", "--colour" }, "unknown option '--colour'")]
    public async Task Bad_usage_exits_2_and_says_what_was_wrong(string[] args, string message)
    {
        var (code, _, err) = await Cli(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public async Task A_good_folder_exits_0_and_writes_html_and_ipynb()
    {
        using var folder = new TempFolder();
        folder.Write("nb/01-a.dib", Repo.Notebook(("markdown", "# A"), ("csharp", "1")));
        folder.Write("nb/02-b.dib", Repo.Notebook(("markdown", "# B"), ("csharp", "2")));
        string output = Path.Combine(folder.Path, "site");
        var (code, stdout, _) = await Cli("run", Path.Combine(folder.Path, "nb"), "--out", output, "--format", "html,ipynb");
        Assert.Equal(0, code);
        Assert.Contains("summary: 2 notebooks, 4 cells (2 code), 0 failed", stdout);
        Assert.Contains("01-a.dib  cell  2/2  ok", stdout);
        foreach (var file in new[] { "index.html", "01-a.html", "02-b.html", "01-a.ipynb", "02-b.ipynb" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
    }

    [Fact]
    public async Task A_failing_cell_exits_1_and_reports_where()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.dib", Repo.Notebook(("csharp", "1"), ("csharp", "undefinedName")));
        var (code, _, err) = await Cli("run", path, "--out", Path.Combine(folder.Path, "o"));
        Assert.Equal(1, code);
        Assert.Contains("error: bad.dib:cell 2:line 1: error CS0103", err);
    }

    [Fact]
    public async Task An_unreadable_notebook_exits_1_with_file_and_line_and_the_others_still_run()
    {
        using var folder = new TempFolder();
        folder.Write("nb/01-bad.dib", "#!meta\n\n{\"kernelInfo\": [\n\n#!csharp\n\n1\n");
        folder.Write("nb/02-good.dib", Repo.Notebook(("csharp", "2")));
        var (code, stdout, err) = await Cli("run", Path.Combine(folder.Path, "nb"), "--out", Path.Combine(folder.Path, "o"));
        Assert.Equal(1, code);
        Assert.Contains("01-bad.dib:line 3: #!meta is not valid kernel info JSON", err);
        Assert.Contains("02-good.dib: 1 cells, 0 failed", stdout);
        Assert.True(File.Exists(Path.Combine(folder.Path, "o", "01-bad.html")));
    }
}

public sealed class BadInputTests
{
    [Theory]
    [InlineData("--timeout", "NaN")]
    [InlineData("--timeout", "1e300")]
    [InlineData("--timeout", "1e7")]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "soon")]
    public async Task A_timeout_outside_its_range_is_one_line_and_exit_2(string option, string value)
    {
        var (code, _, err) = await CliRun.Run("run", ".", option, value);
        Assert.Equal(2, code);
        Assert.Equal($"error: --timeout takes a number of seconds from 0.1 to 86400 (a day), not '{value}'\nrun with --help for usage\n", err.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Paths_that_name_no_notebook_say_what_is_wrong_with_a_near_miss()
    {
        using var folder = new TempFolder();
        folder.Write("nb/01-derivatives.dib", Repo.Notebook(("csharp", "1")));
        string readme = folder.Write("nb/README.md", "# R");
        string file = folder.Write("file.txt", "x");
        string link = Path.Combine(folder.Path, "nb", "02-gone.dib");
        File.CreateSymbolicLink(link, Path.Combine(folder.Path, "nowhere.dib"));

        async Task Expect(string message, params string[] args)
        {
            var (code, _, err) = await CliRun.Run(args);
            Assert.Equal(2, code);
            Assert.StartsWith($"error: {message}\n", err.Replace("\r\n", "\n"));
            Assert.DoesNotContain("   at ", err);
        }
        string nb = Path.Combine(folder.Path, "nb");
        await Expect($"'{Path.Combine(nb, "01-derivative.dib")}' does not exist (did you mean 01-derivatives.dib?)", "run", Path.Combine(nb, "01-derivative.dib"));
        await Expect($"'{Path.Combine(folder.Path, "nbs")}' does not exist (did you mean nb?)", "run", Path.Combine(folder.Path, "nbs"));
        await Expect($"'{Path.Combine(folder.Path, "no", "x.dib")}' does not exist (there is no folder '{Path.Combine(folder.Path, "no")}')", "run", Path.Combine(folder.Path, "no", "x.dib"));
        await Expect($"'{readme}' is not a .dib notebook", "run", readme);
        await Expect($"'{link}' is a symbolic link to '{Path.Combine(folder.Path, "nowhere.dib")}', which does not exist", "run", link);
        await Expect($"--out '{file}' is a file; give a folder for the site", "run", nb, "--out", file);
        await Expect("unknown option '--tiemout' (did you mean --timeout?)", "run", nb, "--tiemout", "5");
        await Expect("unknown command 'rnu' (did you mean run?)", "rnu", nb);
    }

    [Fact]
    public async Task Version_prints_one_line_and_exits_0()
    {
        var (code, output, _) = await CliRun.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^Micrograd\.Notebooks \d+\.\d+\.\d+\n$", output.Replace("\r\n", "\n"));
    }
}
