using System;
using System.IO;
using System.Text;

namespace Micrograd.Execution;

/// <summary>
/// Console.Out, Console.Error and Console.In for notebook code: each write goes to the cell whose
/// code makes it (found through the execution context, so threads a cell starts count as that
/// cell), and a read asks that cell's session for a line. Code that no cell started writes to the
/// process's own console, as before.
/// </summary>
public static class ConsoleRouter
{
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>Routes the process's console through the running cell; idempotent.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            _installed = true;
            var (stdout, stderr) = (Console.Out, Console.Error);
            Console.SetOut(new RoutingWriter("stdout", stdout));
            Console.SetError(new RoutingWriter("stderr", stderr));
            Console.SetIn(new RoutingReader(StandardInput()));
        }
    }

    /// <summary>The process's own input; none in a browser, whose runtime has no standard input.</summary>
    private static TextReader StandardInput()
    {
        try
        {
            return Console.In;
        }
        catch (PlatformNotSupportedException)
        {
            return TextReader.Null;
        }
    }

    private sealed class RoutingWriter(string stream, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (CellScope.Current is { } cell) cell.Write(value, stream);
            else fallback.Write(value);
        }

        public override void WriteLine(string? value) => Write(value + NewLine);

        public override void WriteLine() => Write(NewLine);

        public override void Flush()
        {
            if (CellScope.Current is null) fallback.Flush();
        }
    }

    private sealed class RoutingReader(TextReader fallback) : TextReader
    {
        private string? _pending;
        private int _at;

        public override string? ReadLine()
        {
            if (CellScope.Current is not { } cell) return fallback.ReadLine();
            if (_pending is not null)
            {
                string rest = _pending[_at..];
                _pending = null;
                return rest;
            }
            return cell.ReadLine();
        }

        public override int Read()
        {
            if (CellScope.Current is not { } cell) return fallback.Read();
            if (_pending is null)
            {
                string? line = cell.ReadLine();
                if (line is null) return -1;
                (_pending, _at) = (line + "\n", 0);
            }
            int c = _pending[_at++];
            if (_at >= _pending.Length) _pending = null;
            return c;
        }

        public override int Peek() => _pending is not null ? _pending[_at] : -1;
    }
}
