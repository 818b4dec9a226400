using System.Linq;
using Micrograd.Notebooks.Dib;

namespace Micrograd.Notebooks.Tests;

public sealed class DibFormatTests
{
    private const string Meta = "{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"languageName\":\"csharp\",\"name\":\"csharp\"}]}}";

    private static readonly string Canonical =
        "#!meta\n\n" + Meta + "\n\n#!markdown\n\n# Title\n\nSome *text*.\n\n#!csharp\n\nvar x = 1;\nx\n\n#!csharp\n\n#!time\n#r \"lib/a.dll\"\nConsole.WriteLine(x);\n";

    [Fact]
    public void Cells_are_split_on_kernel_lines_and_trimmed_of_blank_lines()
    {
        var doc = DibFormat.Parse(Canonical, "n.dib");
        Assert.Equal(new[] { "meta", "markdown", "csharp", "csharp" }, doc.Cells.Select(c => c.Kernel));
        Assert.Equal(Meta, doc.Cells[0].Source);
        Assert.Equal("# Title\n\nSome *text*.", doc.Cells[1].Source);
        Assert.Equal("var x = 1;\nx", doc.Cells[2].Source);
        Assert.Equal(13, doc.Cells[2].SourceLine);
    }

    [Fact]
    public void Magic_commands_and_references_stay_inside_their_cell()
    {
        var doc = DibFormat.Parse(Canonical, "n.dib");
        Assert.Equal("#!time\n#r \"lib/a.dll\"\nConsole.WriteLine(x);", doc.Cells[3].Source);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_file_round_trips_byte_for_byte(string newLine)
    {
        string text = Canonical.Replace("\n", newLine);
        var doc = DibFormat.Parse(text, "n.dib");
        Assert.Equal(text, DibFormat.Write(doc));
        Assert.Equal("var x = 1;\nx", doc.Cells[2].Source); // sources always use \n
    }

    [Theory]
    [InlineData("#!csharp\n\n\n\n#!markdown\n\n\n")]          // empty cells
    [InlineData("\n\n#!csharp\n1\n#!csharp\n   \n2")]          // blank preamble, no final newline, whitespace line
    [InlineData("var a = 1;\n\n#!csharp\n\na")]               // text before the first #! line
    [InlineData("#!c#\n\n1\n\n#!md\n\n*x*\n")]                // kernel aliases
    public void Unusual_layouts_round_trip_too(string text)
    {
        Assert.Equal(text, DibFormat.Write(DibFormat.Parse(text, "n.dib")));
    }

    [Fact]
    public void Empty_cells_have_empty_source_and_aliases_name_their_kernel()
    {
        var doc = DibFormat.Parse("#!csharp\n\n\n\n#!md\n\n*x*\n", "n.dib");
        Assert.Equal("", doc.Cells[0].Source);
        Assert.Equal("markdown", doc.Cells[1].Kernel);
        Assert.Equal("md", doc.Cells[1].Directive);
    }

    [Fact]
    public void Text_before_the_first_kernel_line_belongs_to_the_default_kernel()
    {
        var doc = DibFormat.Parse("var a = 1;\n\n#!markdown\n\nhi", "n.dib");
        Assert.Equal("csharp", doc.Cells[0].Kernel);
        Assert.Null(doc.Cells[0].Directive);
        Assert.Equal("var a = 1;", doc.Cells[0].Source);
    }

    [Fact]
    public void Unknown_hash_bang_lines_stay_in_their_cell_as_text()
    {
        string text = "#!markdown\n\n```sh\n#!/bin/bash\necho hi\n```\n\n#!csharp\n\n#!cshrap\n1\n";
        var doc = DibFormat.Parse(text, "n.dib");
        Assert.Equal(new[] { "markdown", "csharp" }, doc.Cells.Select(c => c.Kernel));
        Assert.Equal("```sh\n#!/bin/bash\necho hi\n```", doc.Cells[0].Source);
        Assert.Equal("#!cshrap\n1", doc.Cells[1].Source);
        Assert.Equal(text, DibFormat.Write(doc));
    }

    [Theory]
    [InlineData("#!csharp \n\n1\n\n#!markdown\t\n\n*x*\n")]
    [InlineData("#!csharp \r\n\r\n1\r\n")]
    public void Kernel_lines_with_trailing_white_space_count_and_round_trip(string text)
    {
        var doc = DibFormat.Parse(text, "n.dib");
        Assert.Equal("csharp", doc.Cells[0].Kernel);
        Assert.Equal("1", doc.Cells[0].Source);
        if (doc.Cells.Count > 1) Assert.Equal("markdown", doc.Cells[1].Kernel);
        Assert.Equal(text, DibFormat.Write(doc));
    }

    [Fact]
    public void A_file_of_only_unknown_hash_bang_lines_is_one_cell_of_the_default_kernel()
    {
        string text = "#!/usr/bin/env dotnet\n#!whatever\n";
        var doc = DibFormat.Parse(text, "n.dib");
        Assert.Equal("csharp", Assert.Single(doc.Cells).Kernel);
        Assert.Equal("#!/usr/bin/env dotnet\n#!whatever", doc.Cells[0].Source);
        Assert.Equal(text, DibFormat.Write(doc));
    }

    [Fact]
    public void Bad_meta_json_is_rejected_with_file_and_line()
    {
        var ex = Assert.Throws<DibFormatException>(() => DibFormat.Parse("#!meta\n\n{\"kernelInfo\": {\n\n#!csharp\n\n1\n", "n.dib"));
        Assert.StartsWith("n.dib:line 3: #!meta is not valid kernel info JSON", ex.Message);
        var unknown = Assert.Throws<DibFormatException>(() => DibFormat.Parse("#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"cobol\"}}\n", "n.dib"));
        Assert.Equal("n.dib:line 3: #!meta names an unknown default kernel 'cobol'", unknown.Message);
    }

    [Fact]
    public void Kernels_declared_in_meta_separate_cells()
    {
        string meta = "{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[\"mine\"],\"name\":\"custom\"}]}}";
        var doc = DibFormat.Parse($"#!meta\n\n{meta}\n\n#!mine\n\nhello\n", "n.dib");
        Assert.Equal("custom", doc.Cells[1].Kernel);
    }

    [Fact]
    public void New_notebooks_are_written_in_the_canonical_layout()
    {
        string text = Repo.Notebook(("markdown", "# T"), ("csharp", "1"));
        Assert.Equal("#!markdown\n\n# T\n\n#!csharp\n\n1\n", text);
    }
}
