using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Micrograd.Execution;

namespace Micrograd.Browser;

/// <summary>
/// Sends a running cell's outputs to the page as they come: console text in batches (at most every
/// 50 ms), displays at once, updates of a display at most ten a second with the last one always
/// sent. The worker's one thread runs the cell, so nothing can fire on a timer: pending text and
/// updates go out on the next output, on the core's poll from the cell's loops, and when the cell ends.
/// </summary>
internal sealed class PageObserver : IExecutionObserver
{
    private static readonly long StreamTicks = Stopwatch.Frequency / 20, UpdateTicks = Stopwatch.Frequency / 10;

    private readonly StringBuilder _text = new();
    private readonly Dictionary<string, long> _lastUpdate = new();
    private readonly Dictionary<string, DisplayOutput> _pendingUpdates = new();
    private string _stream = "stdout";
    private int _textCell;
    private long _textSince;

    public void Streamed(CellInfo cell, string stream, string text)
    {
        if (_text.Length > 0 && (stream != _stream || Id(cell) != _textCell)) FlushText();
        if (_text.Length == 0) (_stream, _textCell, _textSince) = (stream, Id(cell), Stopwatch.GetTimestamp());
        _text.Append(text);
        if (Stopwatch.GetTimestamp() - _textSince >= StreamTicks) FlushText();
    }

    public void Displayed(CellInfo cell, DisplayOutput output)
    {
        FlushText();
        var (mimeTypes, contents) = Split(output);
        Interop.PostDisplay(Id(cell), output.DisplayId ?? "", mimeTypes, contents, output.IsResult);
    }

    public void Updated(CellInfo cell, DisplayOutput output)
    {
        FlushText();
        string id = output.DisplayId ?? "";
        long now = Stopwatch.GetTimestamp();
        if (_lastUpdate.TryGetValue(id, out long last) && now - last < UpdateTicks)
        {
            _pendingUpdates[id] = output;
            return;
        }
        _pendingUpdates.Remove(id);
        SendUpdate(id, output, now);
    }

    /// <summary>ClearOutput(wait): the text written before it goes out first, then the page clears the cell (with wait, at its next output).</summary>
    public void Cleared(CellInfo cell, bool wait)
    {
        FlushText();
        Interop.PostClear(Id(cell), wait);
    }

    public void Late(CellInfo cell, Output warning)
    {
        if (warning is StreamOutput s) Interop.PostStream(Id(cell), s.Name, s.Text);
    }

    /// <summary>The core's poll, from the running cell's checks: send what is due; true if the page asked to stop.</summary>
    public bool Poll()
    {
        if (_text.Length > 0 && Stopwatch.GetTimestamp() - _textSince >= StreamTicks) FlushText();
        long now = Stopwatch.GetTimestamp();
        foreach (var (id, output) in _pendingUpdates.Where(p => now - _lastUpdate[p.Key] >= UpdateTicks).ToList())
        {
            _pendingUpdates.Remove(id);
            SendUpdate(id, output, now);
        }
        return Interop.StopRequested();
    }

    /// <summary>The cell has ended: everything held back goes out, the last frame of every display included.</summary>
    public void Flush()
    {
        FlushText();
        long now = Stopwatch.GetTimestamp();
        foreach (var (id, output) in _pendingUpdates) SendUpdate(id, output, now);
        _pendingUpdates.Clear();
    }

    private void SendUpdate(string id, DisplayOutput output, long now)
    {
        _lastUpdate[id] = now;
        var (mimeTypes, contents) = Split(output);
        Interop.PostUpdate(id, mimeTypes, contents);
    }

    private void FlushText()
    {
        if (_text.Length == 0) return;
        Interop.PostStream(_textCell, _stream, _text.ToString());
        _text.Clear();
    }

    private static int Id(CellInfo cell) => cell.Tag is int id ? id : 0;

    private static (string[], string[]) Split(DisplayOutput output) =>
        (output.Data.Select(d => d.MimeType).ToArray(), output.Data.Select(d => d.Content).ToArray());
}
