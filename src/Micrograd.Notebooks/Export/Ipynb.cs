using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;
using Microsoft.CodeAnalysis.CSharp;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// An executed notebook as Jupyter saves it after Run All: nbformat 4.5 with cell ids, the course's
/// kernelspec <c>micrograd-csharp</c>, the trailing value as <c>execute_result</c>. Each cell keeps
/// Polyglot Notebooks' <c>polyglot_notebook.kernelName</c>, and the notebook its <c>#!meta</c>
/// kernel info, so Polyglot Notebooks reads the file too and it converts back to the same .dib.
/// </summary>
internal static partial class Ipynb
{
    public const string KernelName = "micrograd-csharp", DisplayName = "C# (micrograd)", Language = "csharp";

    /// <summary>Writes the notebook; <paramref name="code"/> may rewrite the source of C# cells (the export's library paths).</summary>
    public static void Write(string path, NotebookRun run, Func<string, string>? code = null) => File.WriteAllText(path, ToJson(run, code));

    public static string ToJson(NotebookRun run, Func<string, string>? code = null)
    {
        var cells = new List<object?>();
        var ids = CellIds(run);
        int count = 0;
        for (int index = 0; index < run.Cells.Count; index++)
        {
            var cell = run.Cells[index];
            bool isCode = cell.Kernel != "markdown";
            var json = new Dictionary<string, object?>
            {
                ["cell_type"] = isCode ? "code" : "markdown",
                ["id"] = ids[index],
                ["metadata"] = Object(("polyglot_notebook", Object(("kernelName", cell.Kernel)))),
                ["source"] = Lines(code is not null && cell.Kernel == "csharp" ? code(cell.Source) : cell.Source),
            };
            if (isCode)
            {
                int? number = cell.Status is CellStatus.Ran or CellStatus.Failed ? ++count : null;
                json["execution_count"] = number;
                json["outputs"] = cell.Outputs.Select(o => Output(o, number)).ToList();
            }
            cells.Add(json);
        }
        var notebook = Object(("cells", cells), ("metadata", Metadata(run)), ("nbformat", 4), ("nbformat_minor", 5));
        return JsonText.Write(notebook) + "\n";
    }

    /// <summary>The notebook's metadata: the kernelspec, the language as the kernel reports it, and the .dib's kernel info.</summary>
    public static Dictionary<string, object?> Metadata(NotebookRun run)
    {
        var metadata = new Dictionary<string, object?>
        {
            ["kernelspec"] = Object(("display_name", DisplayName), ("language", Language), ("name", KernelName)),
            // What the kernel's kernel_info_reply says, which Jupyter saves: the C# version is the compiler's, fixed by its package.
            ["language_info"] = Object(("codemirror_mode", "text/x-csharp"), ("file_extension", ".cs"), ("mimetype", "text/x-csharp"),
                                       ("name", Language), ("pygments_lexer", "csharp"),
                                       ("version", LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString())),
        };
        if (KernelInfo(run.KernelInfo) is { } kernelInfo) metadata["polyglot_notebook"] = Object(("kernelInfo", kernelInfo));
        return metadata;
    }

    /// <summary>The cells' ids, in order: the same notebook always gets the same ids.</summary>
    public static IReadOnlyList<string> CellIds(NotebookRun run)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        return run.Cells.Select((_, index) => CellId(run.Slug, index, ids)).ToArray();
    }

    /// <summary>
    /// A run's .ipynb that runs where it is written: every library its C# cells <c>#r</c> by a path
    /// is handed to <paramref name="library"/> (its path in the export, <c>lib/NAME</c>, and the file
    /// to copy there, with its XML docs beside it) and the cells' quoted path is changed to that copy.
    /// The .dib stays as it is.
    /// </summary>
    public static string ToRunnableJson(NotebookRun run, Action<string, string> library)
    {
        var rewrites = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (reference, file) in Libraries(run))
        {
            string name = Path.GetFileName(file);
            library("lib/" + name, file);
            string docs = Path.ChangeExtension(file, ".xml");
            if (File.Exists(docs)) library("lib/" + Path.GetFileName(docs), docs);
            rewrites[reference] = "lib/" + name;
        }
        return ToJson(run, rewrites.Count == 0 ? null : source =>
            rewrites.Aggregate(source, (s, r) => s.Replace("\"" + r.Key + "\"", "\"" + r.Value + "\"", StringComparison.Ordinal)));
    }

    /// <summary>Each library the run's C# cells <c>#r</c> by a path that exists: the path as written, and the file (once each).</summary>
    public static IEnumerable<(string Reference, string File)> Libraries(NotebookRun run)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(run.SourcePath))!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in run.Cells.Where(c => c.Kernel == "csharp"))
            foreach (Match m in Reference().Matches(cell.Source))
            {
                string reference = m.Groups[1].Value, file = Path.GetFullPath(Path.Combine(folder, reference));
                if (reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) || !File.Exists(file) || !seen.Add(reference)) continue;
                yield return (reference, file);
            }
    }

    [GeneratedRegex("^[ \\t]*#r[ \\t]+\"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex Reference();

    private static Dictionary<string, object?> Output(Output output, int? executionCount) => output switch
    {
        DisplayOutput d when d.IsResult && executionCount is not null => Object(
            ("data", Data(d)), ("execution_count", executionCount), ("metadata", Object()), ("output_type", "execute_result")),
        DisplayOutput d => Object(("data", Data(d)), ("metadata", Object()), ("output_type", "display_data")),
        StreamOutput s => Object(("name", s.Name), ("output_type", "stream"), ("text", Lines(s.Text))),
        ErrorOutput e => Object(("ename", e.Name), ("evalue", e.Message), ("output_type", "error"), ("traceback", new List<object?> { e.Message })),
        _ => throw new ArgumentException($"unknown output {output.GetType().Name}"),
    };

    private static Dictionary<string, object?> Data(DisplayOutput d)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (mime, content) in d.Data) data[mime] = Lines(content);
        return data;
    }

    /// <summary>A short id from the notebook's name and the cell's place, so the same notebook always gets the same ids.</summary>
    private static string CellId(string slug, int index, HashSet<string> taken)
    {
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{slug}/{index}")))[..8];
        if (!taken.Add(id)) taken.Add(id = $"{id}-{index}");
        return id;
    }

    /// <summary>The kernel info of the .dib's #!meta cell, if it has one that parses.</summary>
    private static object? KernelInfo(string? meta)
    {
        if (meta is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(meta);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("kernelInfo", out var info)
                ? JsonText.From(info) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, object?> Object(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>nbformat's multi-line string: a list of lines, each but the last with its "\n".</summary>
    private static List<object?> Lines(string text)
    {
        var lines = new List<object?>();
        var parts = text.Split('\n');
        for (int i = 0; i < parts.Length; i++)
        {
            if (i == parts.Length - 1 && parts[i].Length == 0) break;
            lines.Add(i < parts.Length - 1 ? parts[i] + "\n" : parts[i]);
        }
        return lines;
    }
}
