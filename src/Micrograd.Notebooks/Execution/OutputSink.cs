using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.DotNet.Interactive.Formatting;

namespace Micrograd.Notebooks.Execution;

/// <summary>
/// Collects a notebook's outputs as its cells run, formatting values with the kernel's own
/// formatter. A displayed output can be replaced later (display(x).Update(y)), even from another
/// cell, as in Polyglot Notebooks; the final state is what the notebook keeps.
/// </summary>
internal sealed class OutputSink
{
    private const string PlainTextMime = "text/plain";

    private readonly Dictionary<string, (List<Output> Cell, int Index)> _displays = new();
    private List<Output> _current = new();
    private int _cell, _nextId;

    /// <summary>Where the running cell's Console output goes; flushed before each display, so the order is kept.</summary>
    public StringWriter Console { get; } = new();

    /// <summary>Starts collecting the outputs of cell <paramref name="cellNumber"/>.</summary>
    public List<Output> BeginCell(int cellNumber)
    {
        _cell = cellNumber;
        _nextId = 0;
        _current = new List<Output>();
        return _current;
    }

    public string Display(object? value, params string[] mimeTypes)
    {
        string id = $"cell{_cell}-display{++_nextId}";
        lock (_displays)
        {
            FlushConsole();
            _current.Add(Format(value, mimeTypes, id));
            _displays[id] = (_current, _current.Count - 1);
        }
        return id;
    }

    public void Update(string displayId, object? value)
    {
        lock (_displays)
        {
            if (!_displays.TryGetValue(displayId, out var at))
                throw new InvalidOperationException($"no displayed value with id '{displayId}'");
            at.Cell[at.Index] = Format(value, [], displayId);
        }
    }

    public void Add(Output output)
    {
        lock (_displays)
        {
            FlushConsole();
            _current.Add(output);
        }
    }

    /// <summary>Turns what the cell printed so far into a stream output.</summary>
    public void FlushConsole()
    {
        lock (_displays)
        {
            var text = Console.GetStringBuilder();
            if (text.Length == 0) return;
            _current.Add(new StreamOutput(text.ToString()));
            text.Clear();
        }
    }

    /// <summary>
    /// Formats as the C# kernel does: strings and numbers as plain text, anything else in the MIME
    /// type the formatter prefers for it (HTML unless told otherwise), with a plain-text fallback.
    /// </summary>
    public static DisplayOutput Format(object? value, IReadOnlyList<string> mimeTypes, string? displayId)
    {
        if (value is null) return new DisplayOutput([("text/plain", "<null>")], displayId);
        string preferred = mimeTypes.Count > 0 ? mimeTypes[0]
            : IsPlain(value) ? PlainTextMime
            : Formatter.GetPreferredMimeTypesFor(value.GetType()).FirstOrDefault() ?? Formatter.DefaultMimeType;
        var data = new List<(string, string)> { (preferred, value.ToDisplayString(preferred)) };
        if (preferred != PlainTextMime) data.Add((PlainTextMime, value.ToDisplayString(PlainTextMime)));
        return new DisplayOutput(data, displayId);
    }

    private static bool IsPlain(object value) =>
        value is string or char or bool or decimal || value.GetType().IsPrimitive || value.GetType().IsEnum;
}
