using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Export;

/// <summary>An executed notebook as Jupyter's nbformat 4, with the .NET C# kernelspec, for Jupyter and GitHub.</summary>
internal static class Ipynb
{
    public static void Write(string path, NotebookRun run) => File.WriteAllText(path, ToJson(run));

    public static string ToJson(NotebookRun run)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("cells");
            int count = 0;
            foreach (var cell in run.Cells)
            {
                w.WriteStartObject();
                bool code = cell.Kernel != "markdown";
                w.WriteString("cell_type", code ? "code" : "markdown");
                if (code)
                {
                    if (cell.Status is CellStatus.Ran or CellStatus.Failed) w.WriteNumber("execution_count", ++count);
                    else w.WriteNull("execution_count");
                }
                w.WriteStartObject("metadata");
                w.WriteStartObject("polyglot_notebook");
                w.WriteString("kernelName", cell.Kernel);
                w.WriteEndObject();
                w.WriteEndObject();
                if (code)
                {
                    w.WriteStartArray("outputs");
                    foreach (var output in cell.Outputs) WriteOutput(w, output);
                    w.WriteEndArray();
                }
                WriteLines(w, "source", cell.Source);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("metadata");
            w.WriteStartObject("kernelspec");
            w.WriteString("display_name", ".NET (C#)");
            w.WriteString("language", "C#");
            w.WriteString("name", ".net-csharp");
            w.WriteEndObject();
            w.WriteStartObject("language_info");
            w.WriteString("file_extension", ".cs");
            w.WriteString("mimetype", "text/x-csharp");
            w.WriteString("name", "C#");
            w.WriteString("pygments_lexer", "csharp");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteNumber("nbformat", 4);
            w.WriteNumber("nbformat_minor", 4); // 4.5 would require an id on every cell
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteOutput(Utf8JsonWriter w, Output output)
    {
        w.WriteStartObject();
        switch (output)
        {
            case DisplayOutput d:
                w.WriteString("output_type", "display_data");
                w.WriteStartObject("data");
                foreach (var (mime, content) in d.Data.OrderBy(x => x.MimeType, System.StringComparer.Ordinal))
                    WriteLines(w, mime, content);
                w.WriteEndObject();
                w.WriteStartObject("metadata");
                w.WriteEndObject();
                break;
            case StreamOutput s:
                w.WriteString("output_type", "stream");
                w.WriteString("name", "stdout");
                WriteLines(w, "text", s.Text);
                break;
            case ErrorOutput e:
                w.WriteString("output_type", "error");
                w.WriteString("ename", e.Name);
                w.WriteString("evalue", e.Message);
                w.WriteStartArray("traceback");
                w.WriteStringValue(e.Message);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>nbformat's multi-line string: a list of lines, each but the last with its "\n".</summary>
    private static void WriteLines(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartArray(name);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (i == lines.Length - 1 && lines[i].Length == 0) break;
            w.WriteStringValue(i < lines.Length - 1 ? lines[i] + "\n" : lines[i]);
        }
        w.WriteEndArray();
    }
}
