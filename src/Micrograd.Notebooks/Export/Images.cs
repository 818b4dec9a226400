using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// Pictures for a README, taken from the notebooks' own outputs: a code cell whose first line is
/// <c>// image: name</c> has its first SVG written to <c>name.svg</c>.
/// </summary>
internal static partial class Images
{
    [GeneratedRegex(@"^//\s*image:\s*([A-Za-z0-9_.-]+)\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"<svg[\s\S]*?</svg>")]
    private static partial Regex Svg();

    /// <summary>Writes the marked pictures; returns the files written. A marked cell without a picture is an error.</summary>
    public static IReadOnlyList<string> Write(string folder, IEnumerable<NotebookRun> runs)
    {
        var written = new List<string>();
        foreach (var run in runs)
            foreach (var cell in run.Cells.Where(c => c.Kernel == "csharp"))
            {
                var marker = Marker().Match(cell.Source.Split('\n')[0].Trim());
                if (!marker.Success) continue;
                string? svg = cell.Outputs.OfType<DisplayOutput>()
                    .Select(d => Svg().Match(d.Content)).FirstOrDefault(m => m.Success)?.Value;
                if (svg is null)
                    throw new InvalidOperationException($"{Path.GetFileName(run.SourcePath)}:cell {cell.Number}: marked '// image: {marker.Groups[1].Value}' but shows no SVG picture");
                Directory.CreateDirectory(folder);
                string file = Path.Combine(folder, marker.Groups[1].Value + ".svg");
                File.WriteAllText(file, svg + "\n");
                written.Add(file);
            }
        return written;
    }
}
