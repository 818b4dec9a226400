using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Micrograd.Notebooks.Dib;
using Micrograd.Notebooks.Export;

namespace Micrograd.Notebooks.Tests;

/// <summary>The course's Jupyter twins: notebooks/NN-*.ipynb, generated from the .dib files, which stay the source.</summary>
public sealed partial class CourseTests
{
    private const string Regenerate = "regenerate the twins with `dotnet run --project src/Micrograd.Notebooks -- convert notebooks --to ipynb`";

    [Fact]
    public void Every_twin_has_the_cells_of_its_dib_and_converts_back_to_the_same_bytes()
    {
        foreach (var run in course.Runs)
        {
            string twin = Path.ChangeExtension(run.SourcePath, ".ipynb");
            Assert.True(File.Exists(twin), $"notebooks/{run.Slug}.ipynb is missing: {Regenerate}");
            var warnings = new List<string>();
            var back = Ipynb.ToDib(File.ReadAllText(twin), twin, run.SourcePath, warnings);
            var dib = DibFormat.Read(run.SourcePath);
            Assert.Empty(warnings);
            Assert.True(dib.Cells.Single(c => c.Kernel == "meta").Source == back.Cells.FirstOrDefault(c => c.Kernel == "meta")?.Source,
                $"notebooks/{run.Slug}.ipynb: its kernel info differs from the .dib's #!meta: {Regenerate}");
            var expected = dib.Cells.Where(c => c.Kernel != "meta").Select(c => (c.Kernel, c.Source)).ToArray(); // numbered as the runner does
            var actual = back.Cells.Where(c => c.Kernel != "meta").Select(c => (c.Kernel, c.Source)).ToArray();
            int differs = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
                .FirstOrDefault(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i], -1);
            Assert.True(differs < 0, $"notebooks/{run.Slug}.ipynb: its cells differ from the .dib's at cell {differs + 1}: {Regenerate}");
            Assert.True(DibFormat.Write(back) == File.ReadAllText(run.SourcePath), $"notebooks/{run.Slug}.ipynb does not convert back to the .dib's bytes");
        }
    }

    [Fact]
    public void Every_twin_holds_what_a_fresh_execution_gives()
    {
        foreach (var run in course.Runs)
        {
            string twin = Path.ChangeExtension(run.SourcePath, ".ipynb");
            Assert.True(File.Exists(twin), $"notebooks/{run.Slug}.ipynb is missing: {Regenerate}");
            string committed = File.ReadAllText(twin), fresh = Ipynb.ToJson(run);
            // Exact on Linux, where the twins are made; elsewhere the math library may change a printed number's last digits.
            if (!OperatingSystem.IsLinux()) (committed, fresh) = (Digits().Replace(committed, "0"), Digits().Replace(fresh, "0"));
            if (committed == fresh) continue;
            var (a, b) = (committed.Split('\n'), fresh.Split('\n'));
            int line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
            Assert.Fail($"notebooks/{run.Slug}.ipynb line {line + 1} differs from a fresh execution " +
                        $"(twin: {(line < a.Length ? a[line].Trim() : "end of file")}; now: {(line < b.Length ? b[line].Trim() : "end of file")}): {Regenerate}");
        }
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
