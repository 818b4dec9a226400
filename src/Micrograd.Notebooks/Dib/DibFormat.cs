using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Micrograd.Notebooks.Dib;

/// <summary>A .dib file that cannot be read: names the file, the line and what is wrong.</summary>
internal sealed class DibFormatException(string path, int line, string message)
    : Exception($"{path}:line {line}: {message}")
{
    public string FilePath { get; } = path;
    public int FileLine { get; } = line;
}

/// <summary>
/// The Polyglot Notebooks .dib format, read as .NET Interactive reads it. A line that is "#!" and a
/// kernel name (trailing white space allowed) starts a cell; a #!meta cell holds one line of JSON
/// naming the kernels. Other #! lines (magic commands, a shebang in a code fence) are cell text and,
/// like #r, stay in their cell. The blank lines around a cell's source are not part of it.
/// </summary>
internal static class DibFormat
{
    /// <summary>Polyglot Notebooks' kernels and their aliases → the kernel's name.</summary>
    private static readonly Dictionary<string, string> BuiltInKernels = new(StringComparer.Ordinal)
    {
        ["csharp"] = "csharp", ["c#"] = "csharp", ["C#"] = "csharp",
        ["fsharp"] = "fsharp", ["f#"] = "fsharp", ["F#"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh",
        ["javascript"] = "javascript", ["js"] = "javascript",
        ["html"] = "html", ["markdown"] = "markdown", ["md"] = "markdown",
        ["mermaid"] = "mermaid", ["sql"] = "sql", ["kql"] = "kql", ["http"] = "http",
        ["value"] = "value", ["meta"] = "meta",
    };

    /// <summary>The kernel's magic commands, for messages: a #! line naming one of these stays inside its cell.</summary>
    public static readonly IReadOnlyList<string> MagicCommands =
        ["time", "about", "set", "share", "who", "whos", "lsmagic", "connect", "import", "log", "i"];

    /// <summary>Every kernel name and alias a .dib file may use without declaring it in #!meta.</summary>
    public static IEnumerable<string> KnownKernelNames => BuiltInKernels.Keys;

    public static DibDocument Read(string path) => Parse(File.ReadAllText(path), path);

    public static DibDocument Parse(string text, string path)
    {
        var lines = SplitLines(text);
        var (defaultKernel, kernels) = Kernels(lines, path);

        // Where each cell starts: every line that names a kernel (trailing white space allowed, as in
        // .NET Interactive's parser). Any other #! line (a magic command, a shebang in a markdown code
        // fence, a typo) is text of the cell it is in; running it is the kernel's business.
        var starts = new List<(int Index, string Directive)>();
        for (int i = 0; i < lines.Count; i++)
        {
            string line = Strip(lines[i]);
            if (line.StartsWith("#!", StringComparison.Ordinal) && kernels.ContainsKey(line[2..].TrimEnd())) starts.Add((i, line[2..]));
        }

        var cells = new List<DibCell>();
        int firstStart = starts.Count > 0 ? starts[0].Index : lines.Count;
        string preamble = "";
        if (lines.Take(firstStart).Any(l => !IsBlank(l)))
            cells.Add(Cell(defaultKernel, null, lines, -1, firstStart));
        else
            preamble = string.Concat(lines.Take(firstStart));
        for (int s = 0; s < starts.Count; s++)
        {
            int end = s + 1 < starts.Count ? starts[s + 1].Index : lines.Count;
            cells.Add(Cell(kernels[starts[s].Directive.TrimEnd()], starts[s].Directive, lines, starts[s].Index, end));
        }
        return new DibDocument(path, cells) { Preamble = preamble, DefaultKernel = defaultKernel };
    }

    /// <summary>The text of a document: for a parsed file, the very bytes it was read from.</summary>
    public static string Write(DibDocument doc)
    {
        var sb = new StringBuilder(doc.Preamble);
        foreach (var cell in doc.Cells)
        {
            if (cell.Directive is not null) sb.Append("#!").Append(cell.Directive);
            string newLine = cell.Leading.Contains("\r\n") || cell.Trailing.Contains("\r\n") ? "\r\n" : "\n";
            sb.Append(cell.Leading).Append(cell.Source.Replace("\n", newLine)).Append(cell.Trailing);
        }
        return sb.ToString();
    }

    /// <summary>A new notebook laid out as Polyglot Notebooks writes one: #!kernel, a blank line, the source, a blank line.</summary>
    public static DibDocument Create(string path, IReadOnlyList<(string Kernel, string Source)> cells) =>
        new(path, cells.Select((c, i) => new DibCell(c.Kernel, c.Source.Replace("\r\n", "\n"))
        {
            Directive = c.Kernel,
            Leading = "\n\n",
            Trailing = i == cells.Count - 1 ? "\n" : "\n\n",
        }).ToArray());

    /// <summary>One cell: the lines after its #! line up to the next, with the blank ones around the source set aside.</summary>
    private static DibCell Cell(string kernel, string? directive, List<string> lines, int at, int end)
    {
        int first = at + 1, last = end - 1;
        while (first <= last && IsBlank(lines[first])) first++;
        while (last >= first && IsBlank(lines[last])) last--;
        string directiveEnding = at >= 0 ? Ending(lines[at]) : "";
        if (first > last) // nothing but blank lines
            return new DibCell(kernel, "") { Directive = directive, Line = at + 1, Leading = directiveEnding + Concat(lines, at + 1, end), Trailing = "" };
        return new DibCell(kernel, string.Join("\n", lines.Skip(first).Take(last - first + 1).Select(Strip)))
        {
            Directive = directive,
            Line = Math.Max(at, 0) + 1,
            Leading = directiveEnding + Concat(lines, at + 1, first),
            Trailing = Ending(lines[last]) + Concat(lines, last + 1, end),
        };
    }

    private static (string Default, Dictionary<string, string> Kernels) Kernels(List<string> lines, string path)
    {
        var kernels = new Dictionary<string, string>(BuiltInKernels, StringComparer.Ordinal);
        int meta = lines.FindIndex(l => Strip(l).TrimEnd() == "#!meta");
        if (meta < 0) return ("csharp", kernels);
        int json = meta + 1;
        while (json < lines.Count && IsBlank(lines[json])) json++;
        if (json >= lines.Count || Strip(lines[json]).StartsWith("#!", StringComparison.Ordinal))
            throw new DibFormatException(path, meta + 1, "the #!meta cell is empty; it must hold one line of JSON");
        try
        {
            using var doc = JsonDocument.Parse(Strip(lines[json]));
            var info = doc.RootElement.GetProperty("kernelInfo");
            string defaultKernel = info.TryGetProperty("defaultKernelName", out var d) ? d.GetString() ?? "csharp" : "csharp";
            if (info.TryGetProperty("items", out var items))
                foreach (var item in items.EnumerateArray())
                {
                    string name = item.GetProperty("name").GetString() ?? throw new JsonException("a kernel's name is null");
                    kernels[name] = name;
                    if (item.TryGetProperty("aliases", out var aliases))
                        foreach (var alias in aliases.EnumerateArray())
                            kernels[alias.GetString() ?? throw new JsonException("an alias is null")] = name;
                }
            if (!kernels.ContainsKey(defaultKernel))
                throw new DibFormatException(path, json + 1, $"#!meta names an unknown default kernel '{defaultKernel}'");
            return (kernels[defaultKernel], kernels);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DibFormatException(path, json + 1, $"#!meta is not valid kernel info JSON: {e.Message}");
        }
    }

    /// <summary>The lines of a text, each with its own line ending, so nothing is lost.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        for (int at = 0; at < text.Length;)
        {
            int nl = text.IndexOf('\n', at);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[at..end]);
            at = end;
        }
        return lines;
    }

    private static string Concat(List<string> lines, int from, int to) => string.Concat(lines.Skip(from).Take(Math.Max(0, to - from)));
    private static string Strip(string line) => line.EndsWith("\r\n", StringComparison.Ordinal) ? line[..^2] : line.TrimEnd('\n');
    private static string Ending(string line) => line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : "";
    private static bool IsBlank(string line) => Strip(line).Trim().Length == 0;
}
