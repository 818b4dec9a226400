using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Notebooks.Runner;

/// <summary>
/// What the runner and a notebook's process say to each other, one JSON object a line, each way
/// on a pipe of its own (never the child's stdout or stderr, where cell code and the runtime's
/// crash messages write). Parent to child: open, run, quit. Child to parent: opened, started,
/// finished, updated, crashed, done.
/// </summary>
internal static class Protocol
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One message as a line: its kind, and what <paramref name="body"/> adds.</summary>
    public static string Line(string kind, Action<Utf8JsonWriter>? body = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("kind", kind);
            body?.Invoke(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void WriteResult(Utf8JsonWriter w, CellResult r)
    {
        w.WriteStartObject("result");
        w.WriteNumber("number", r.Number);
        w.WriteString("kernel", r.Kernel);
        w.WriteString("source", r.Source);
        w.WriteString("status", r.Status.ToString());
        w.WriteNumber("elapsed", r.Elapsed.TotalSeconds);
        if (r.Note is not null) w.WriteString("note", r.Note);
        w.WriteStartArray("outputs");
        foreach (var output in r.Outputs)
        {
            w.WriteStartObject();
            switch (output)
            {
                case DisplayOutput d:
                    w.WriteString("type", "display");
                    if (d.DisplayId is not null) w.WriteString("id", d.DisplayId);
                    if (d.IsResult) w.WriteBoolean("result", true);
                    w.WriteStartArray("data");
                    foreach (var (mime, content) in d.Data)
                    {
                        w.WriteStartArray();
                        w.WriteStringValue(mime);
                        w.WriteStringValue(content);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                    break;
                case StreamOutput s:
                    w.WriteString("type", "stream");
                    w.WriteString("name", s.Name);
                    w.WriteString("text", s.Text);
                    break;
                case ErrorOutput e:
                    w.WriteString("type", "error");
                    w.WriteString("name", e.Name);
                    w.WriteString("message", e.Message);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static CellResult ReadResult(JsonElement message)
    {
        var r = message.GetProperty("result");
        var outputs = new List<Output>();
        foreach (var o in r.GetProperty("outputs").EnumerateArray())
        {
            outputs.Add(o.GetProperty("type").GetString() switch
            {
                "display" => new DisplayOutput(
                    o.GetProperty("data").EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetString()!)).ToArray(),
                    o.TryGetProperty("id", out var id) ? id.GetString() : null)
                { IsResult = o.TryGetProperty("result", out var result) && result.GetBoolean() },
                "stream" => new StreamOutput(o.GetProperty("text").GetString()!, o.GetProperty("name").GetString()!),
                "error" => new ErrorOutput(o.GetProperty("name").GetString()!, o.GetProperty("message").GetString()!),
                var t => throw new JsonException($"unknown output type '{t}'"),
            });
        }
        return new CellResult(
            r.GetProperty("number").GetInt32(), r.GetProperty("kernel").GetString()!, r.GetProperty("source").GetString()!,
            Enum.Parse<CellStatus>(r.GetProperty("status").GetString()!), outputs, TimeSpan.FromSeconds(r.GetProperty("elapsed").GetDouble()))
        {
            Note = r.TryGetProperty("note", out var note) ? note.GetString() : null,
        };
    }
}
