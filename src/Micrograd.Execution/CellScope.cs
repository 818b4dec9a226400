using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace Micrograd.Execution;

/// <summary>
/// One execution of one cell: where its console text, displays and updates go. The scope flows
/// with the cell's execution context, so a thread, timer or task the cell starts writes here too;
/// once the cell has finished, such late writes are dropped with one warning under the cell, and
/// never land under another cell.
/// </summary>
internal sealed class CellScope
{
    private static readonly AsyncLocal<CellScope?> Ambient = new();

    private readonly ExecutionSession _session;
    private readonly List<Output> _outputs = new();
    private readonly StringBuilder _stream = new();
    private string _streamName = "stdout";
    private long _chars, _lines, _droppedLines, _droppedChars;
    private int _nextDisplay;
    private bool _finished, _warnedLate, _clearPending;

    public CellScope(ExecutionSession session, int execution, CellInfo info)
    {
        _session = session;
        Execution = execution;
        Info = info;
    }

    /// <summary>The cell whose code is running on this thread, if any (also after it has finished).</summary>
    public static CellScope? Current => Ambient.Value;

    public ExecutionSession Session => _session;

    public int Execution { get; }
    public CellInfo Info { get; }

    /// <summary>The thread the cell's code started on (an interrupt wakes it from a wait).</summary>
    public Thread? Thread { get; set; }

    /// <summary>Set by an interrupt: the cell's compiled checks throw from now on.</summary>
    public bool Interrupted
    {
        get => Volatile.Read(ref _interrupted);
        set => Volatile.Write(ref _interrupted, value);
    }

    private bool _interrupted;

    private object Gate => _session.Gate;

    /// <summary>Makes this the scope of the code that runs next on this execution context.</summary>
    public void Enter() => Ambient.Value = this;

    public void Write(string? text, string stream)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (Gate)
        {
            if (_finished) { Late(); return; }
            if (_clearPending) ClearNow();
            var limits = _session.Limits;
            if (_droppedLines > 0 || _chars + text.Length > limits.CellTextChars || _lines + Count(text) > limits.CellTextLines
                || !_session.Spend(text.Length))
            {
                _droppedLines += Count(text);
                _droppedChars += text.Length;
                return;
            }
            _chars += text.Length;
            _lines += Count(text);
            if (_stream.Length > 0 && _streamName != stream) FlushStream();
            _streamName = stream;
            _stream.Append(text);
            _session.Observer.Streamed(Info, stream, text);
        }
    }

    /// <summary>A line of input for Console.ReadLine, from the host (a Jupyter front end); null where there is none.</summary>
    public string? ReadLine()
    {
        lock (Gate)
        {
            if (_finished) return null;
            FlushStream();
        }
        return _session.Observer.ReadLine(Info, "");
    }

    public string Display(object? value, IReadOnlyList<string> mimeTypes, bool result = false)
    {
        lock (Gate)
        {
            string id = $"cell{Execution}-display{++_nextDisplay}";
            if (_finished) { Late(); return id; }
            if (_clearPending) ClearNow();
            var output = _session.Formatter.Format(value, mimeTypes, id) with { IsResult = result };
            if (!_session.Spend(Size(output))) { _droppedChars += Size(output); return id; }
            FlushStream();
            _outputs.Add(output);
            _session.RegisterDisplay(id, this, _outputs.Count - 1);
            _session.Observer.Displayed(Info, output);
            return id;
        }
    }

    /// <summary>Replaces a display of this or an earlier cell; from code of a finished cell it is dropped.</summary>
    public void Update(string displayId, object? value)
    {
        lock (Gate)
        {
            if (_finished) { Late(); return; }
            if (!_session.TryGetDisplay(displayId, out var owner, out int index))
                throw new InvalidOperationException($"no displayed value with id '{displayId}'");
            if (index < 0) return; // its cell's output was cleared: there is nothing left to replace
            var output = _session.Formatter.Format(value, [], displayId);
            owner._outputs[index] = output;
            _session.Observer.Updated(owner.Info, output);
        }
    }

    public void Add(Output output)
    {
        lock (Gate)
        {
            if (_clearPending) ClearNow();
            FlushStream();
            _outputs.Add(output);
        }
    }

    /// <summary>
    /// ClearOutput(wait): drops what the cell has shown so far, now or (with <paramref name="wait"/>)
    /// just before its next output, as a Jupyter front end applies clear_output. Its displays can no
    /// longer be updated; what they and its text cost is given back to the session's output budget.
    /// </summary>
    public void Clear(bool wait)
    {
        lock (Gate)
        {
            if (_finished) { Late(); return; }
            if (wait) _clearPending = true;
            else ClearNow();
            _session.Observer.Cleared(Info, wait);
        }
    }

    private void ClearNow()
    {
        long size = _stream.Length;
        foreach (var output in _outputs)
        {
            if (output is StreamOutput s) size += s.Text.Length;
            if (output is DisplayOutput d)
            {
                size += Size(d);
                if (d.DisplayId is { } id) _session.ForgetDisplay(id);
            }
        }
        _session.Refund(size);
        _outputs.Clear();
        _stream.Clear();
        _chars = _lines = _droppedLines = _droppedChars = 0;
        _clearPending = false;
    }

    /// <summary>Ends the cell: its outputs as they stand now; anything its code writes later is dropped.</summary>
    public IReadOnlyList<Output> Finish()
    {
        lock (Gate)
        {
            FlushStream();
            if (_droppedLines > 0 || _droppedChars > 0)
            {
                var note = new StreamOutput($"output truncated: {_droppedLines:N0} more lines ({_droppedChars:N0} characters) not shown\n", "stderr");
                _outputs.Add(note);
                _session.Observer.Streamed(Info, note.Name, note.Text); // a live front end shows it too
            }
            _finished = true;
            return _outputs.ToArray();
        }
    }

    /// <summary>The outputs as they are now, with updates from later cells applied.</summary>
    public IReadOnlyList<Output> Snapshot()
    {
        lock (Gate) return _outputs.ToArray();
    }

    private void FlushStream()
    {
        if (_stream.Length == 0) return;
        _outputs.Add(new StreamOutput(_stream.ToString(), _streamName));
        _stream.Clear();
    }

    private void Late()
    {
        if (_warnedLate) return;
        _warnedLate = true;
        var warning = new StreamOutput("warning: code of this cell kept running after the cell finished (a thread, timer or task it started); what it wrote or displayed later was dropped\n", "stderr");
        _outputs.Add(warning);
        _session.Observer.Late(Info, warning);
    }

    private static int Size(DisplayOutput d)
    {
        int n = 0;
        foreach (var (_, content) in d.Data) n += content.Length;
        return n;
    }

    private static int Count(string text)
    {
        int n = 0;
        foreach (char c in text) if (c == '\n') n++;
        return n;
    }
}
