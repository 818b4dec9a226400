using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Loader;
using System.Text;
using System.Threading.Tasks;
using Micrograd.Execution;
using Microsoft.CodeAnalysis;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("browser")]

namespace Micrograd.Browser;

/// <summary>
/// The .NET side of the live page's worker (worker.js drives it): one execution session, as the
/// runner and the Jupyter kernel have, run on the worker's one thread. The calls come in this
/// order: <see cref="Prepare"/>, <see cref="AddReference"/> and <see cref="WriteFile"/> as the
/// downloads arrive, <see cref="Start"/>, then <see cref="Run"/> for each cell, one at a time.
/// </summary>
public static partial class Program
{
    /// <summary>The virtual course root of the page's files; cells run in its notebooks folder, as in the course.</summary>
    private const string Course = "/course", Notebooks = "/course/notebooks";

    private static readonly List<(string Url, byte[] Image)> Everyday = [];
    private static string[] _otherReferences = [];
    private static HashSet<string> _lazyAssemblies = [];
    private static ExecutionSession? _session;
    private static PageObserver? _observer;

    public static void Main()
    {
        // Nothing to do until the worker calls in: the runtime stays up for the exports.
    }

    /// <summary>
    /// Takes the reference assemblies the site offers (file names under refs/) and the framework
    /// assemblies left out of the first download, and returns what to fetch before the first cell:
    /// the everyday references and the core itself (for <c>display</c>), as URLs under the live folder.
    /// </summary>
    [JSExport]
    public static string[] Prepare(string[] references, string[] lazyAssemblies)
    {
        _lazyAssemblies = new HashSet<string>(lazyAssemblies, StringComparer.Ordinal);
        AssemblyLoadContext.Default.Resolving += LoadLazily;
        var everyday = references.Where(r => FrameworkReferences.Everyday.Contains(Path.GetFileNameWithoutExtension(r))).ToArray();
        _otherReferences = references.Except(everyday).Where(FrameworkReferences.IsReference).Select(r => "refs/" + r).ToArray();
        return [.. everyday.Select(r => "refs/" + r), "_framework/" + typeof(ExecutionSession).Assembly.GetName().Name + ".dll"];
    }

    [JSExport]
    public static void AddReference(string url, [JSMarshalAs<JSType.Array<JSType.Number>>] byte[] image) => Everyday.Add((url, image));

    /// <summary>A file of the page's (the engine), at its path under the course root.</summary>
    [JSExport]
    public static void WriteFile(string path, [JSMarshalAs<JSType.Array<JSType.Number>>] byte[] content)
    {
        string full = Path.GetFullPath(Path.Combine(Course, path));
        if (!full.StartsWith(Course + "/", StringComparison.Ordinal)) throw new ArgumentException($"'{path}' is outside the course folder");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    /// <summary>Starts the session: console routed to the cells, the current folder the course's notebooks, the interrupt poll set.</summary>
    [JSExport]
    public static void Start()
    {
        ConsoleRouter.Install();
        Directory.CreateDirectory(Notebooks);
        Directory.SetCurrentDirectory(Notebooks);
        _observer = new PageObserver();
        Interrupts.Poll = _observer.Poll;
        var host = new BrowserHost(Notebooks, Everyday.ToArray(), () => _otherReferences.Select(url => (url, Interop.FetchNow(url))).ToArray());
        _session = new ExecutionSession(host, observer: _observer);
    }

    /// <summary>Runs one cell; its outputs go to the page as they come, then a "done" message.</summary>
    [JSExport]
    public static async Task Run(int id, string name, string code)
    {
        var session = _session ?? throw new InvalidOperationException("Start was not called");
        var result = await session.ExecuteAsync(code, new CellInfo(name, Path.Combine(Notebooks, FileName(name))) { Tag = id });
        _observer!.Flush();
        var error = result.Outputs.OfType<ErrorOutput>().FirstOrDefault();
        string status = error is null ? "ok" : error.Name == "Interrupted" ? "interrupted" : "error";
        Interop.PostDone(id, status, error?.Name, error?.Message, result.Elapsed.TotalMilliseconds);
    }

    /// <summary>"02-value.dib:cell 3" as a file name: "02-value.dib.cell3.csx", as the runner names a cell's file.</summary>
    private static string FileName(string cellName)
    {
        var name = new StringBuilder();
        foreach (char c in cellName.Replace(":cell ", ".cell", StringComparison.Ordinal))
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        return name + ".csx";
    }

    /// <summary>A framework assembly left out of the first download, fetched when code first needs it.</summary>
    private static Assembly? LoadLazily(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is not { } simple || !_lazyAssemblies.Contains(simple)) return null;
        _lazyAssemblies.Remove(simple);
        using var image = new MemoryStream(Interop.FetchNow("_framework/" + simple + ".dll"));
        return context.LoadFromStream(image);
    }
}
