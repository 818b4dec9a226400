using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Micrograd.Notebooks.Dib;

namespace Micrograd.Notebooks.Export;

/// <summary>A .ipynb file that cannot be converted: names the file and what is wrong, in one line.</summary>
internal sealed class IpynbFormatException(string path, string message) : Exception($"{path}: {message}");

internal static partial class Ipynb
{
    /// <summary>
    /// A Jupyter notebook back as a .dib, laid out as Polyglot Notebooks writes one: its cells and
    /// their kernels (from <c>polyglot_notebook.kernelName</c> or the older <c>dotnet_interactive.language</c>,
    /// else the notebook's default kernel),
    /// the <c>#!meta</c> cell from the notebook's kernel info; outputs are dropped. Raw cells, which
    /// a .dib cannot hold, are left out with a warning.
    /// </summary>
    public static DibDocument ToDib(string json, string path, string dibPath, List<string> warnings)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new IpynbFormatException(path, $"not JSON (line {e.LineNumber + 1}: {e.Message.Split('.')[0]}), so not a Jupyter notebook");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new IpynbFormatException(path, "not a Jupyter notebook: the JSON is not an object");
            if (!root.TryGetProperty("nbformat", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int major))
                throw new IpynbFormatException(path, "not a Jupyter notebook: it has no nbformat version");
            if (major != 4) throw new IpynbFormatException(path, $"nbformat {major}, but only nbformat 4 notebooks can be converted (save it from a current Jupyter first)");
            if (!root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
                throw new IpynbFormatException(path, "not an nbformat 4 notebook: it has no list of cells");

            var kernelInfo = Get(Get(root, "metadata"), "polyglot_notebook") is { } polyglot ? Get(polyglot, "kernelInfo") : null;
            string defaultKernel = kernelInfo is { } k && Get(k, "defaultKernelName") is { ValueKind: JsonValueKind.String } d ? d.GetString()! : "csharp";
            if (kernelInfo is null && Get(Get(root, "metadata"), "kernelspec") is { } spec && Get(spec, "language") is { ValueKind: JsonValueKind.String } language
                && language.GetString() is not ("csharp" or "C#"))
                warnings.Add($"{path}: its kernel's language is '{language.GetString()}', not C#; its code cells became {defaultKernel} cells");
            var list = new List<(string Kernel, string Source)>();
            if (kernelInfo is { } info) list.Add(("meta", Compact(info)));
            int number = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                number++;
                if (cell.ValueKind != JsonValueKind.Object) throw new IpynbFormatException(path, $"cell {number} is not a JSON object");
                string type = Get(cell, "cell_type") is { ValueKind: JsonValueKind.String } t ? t.GetString()! : "";
                string source = Source(cell, path, number);
                switch (type)
                {
                    case "markdown": list.Add(("markdown", source)); break;
                    case "code":
                        var metadata = Get(cell, "metadata");
                        string kernel = Get(Get(metadata, "polyglot_notebook"), "kernelName") is { ValueKind: JsonValueKind.String } n ? n.GetString()!
                            : Get(Get(metadata, "dotnet_interactive"), "language") is { ValueKind: JsonValueKind.String } l ? l.GetString()! // older Polyglot Notebooks
                            : defaultKernel;
                        list.Add((kernel, source));
                        break;
                    case "raw": warnings.Add($"{path}: cell {number} is a raw cell, which a .dib cannot hold; it was left out"); break;
                    default: throw new IpynbFormatException(path, $"cell {number} has an unknown cell_type '{type}'");
                }
            }

            var dib = DibFormat.Create(dibPath, list);
            Check(dib, list, path);
            return dib;
        }
    }

    /// <summary>The .dib must read back as these very cells (a kernel it knows; no line in a cell that would start another).</summary>
    private static void Check(DibDocument dib, List<(string Kernel, string Source)> cells, string path)
    {
        DibDocument again;
        try
        {
            again = DibFormat.Parse(DibFormat.Write(dib), dib.Path);
        }
        catch (DibFormatException e)
        {
            throw new IpynbFormatException(path, $"cannot be a .dib: {e.Message[(dib.Path.Length + 1)..].Trim()}");
        }
        var read = again.Cells.Select(c => (c.Kernel, c.Source)).ToList();
        int offset = cells.Count > 0 && cells[0].Kernel == "meta" ? 1 : 0;
        for (int i = 0; i < cells.Count; i++)
            if (i >= read.Count || read[i] != cells[i])
                throw new IpynbFormatException(path, i < offset
                    ? "its polyglot_notebook kernel info cannot be written as a .dib #!meta cell"
                    : $"cell {i + 1 - offset} cannot be a .dib cell as it is (a line starting with #! that names a kernel would split it)");
        if (read.Count != cells.Count) throw new IpynbFormatException(path, "its cells do not read back from a .dib as they are");
    }

    /// <summary>A cell's source (a string or a list of strings), without the blank lines around it that a .dib does not keep.</summary>
    private static string Source(JsonElement cell, string path, int number)
    {
        string text = Get(cell, "source") switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString()!,
            { ValueKind: JsonValueKind.Array } a when a.EnumerateArray().All(l => l.ValueKind == JsonValueKind.String) =>
                string.Concat(a.EnumerateArray().Select(l => l.GetString())),
            _ => throw new IpynbFormatException(path, $"cell {number} has no source (a string or a list of strings)"),
        };
        var lines = text.Replace("\r\n", "\n").Split('\n');
        int first = 0, last = lines.Length - 1;
        while (first <= last && lines[first].Trim().Length == 0) first++;
        while (last >= first && lines[last].Trim().Length == 0) last--;
        return string.Join("\n", lines[first..(last + 1)]);
    }

    /// <summary>The #!meta line: <c>{"kernelInfo":…}</c> in one line, as Polyglot Notebooks writes it.</summary>
    private static string Compact(JsonElement kernelInfo)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WritePropertyName("kernelInfo");
            kernelInfo.WriteTo(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static JsonElement? Get(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v : null;
}
