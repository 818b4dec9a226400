using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Micrograd.Execution;
using Microsoft.CodeAnalysis;

namespace Micrograd.Notebooks.Execution;

/// <summary>
/// The execution core's host on a desktop: references from the running .NET's own folder (as the
/// C# kernel has them), <c>#r</c> relative to the notebook, and every cell of a session loaded
/// into one AssemblyLoadContext that finds the session's cells and libraries by name.
/// </summary>
internal sealed class DesktopHost : IExecutionHost
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() => LoadFramework(everyday: true));
    private static readonly Lazy<ImmutableArray<MetadataReference>> WholeFramework = new(() => LoadFramework(everyday: false));

    private readonly CellLoadContext _context = new();
    private readonly string _folder;

    public DesktopHost(string folder) => _folder = folder;

    public IReadOnlyList<MetadataReference> References => Framework.Value;

    public IReadOnlyList<MetadataReference> AllReferences => WholeFramework.Value;

    public MetadataReference? ResolveReference(string reference, string? cellFile)
    {
        if (reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) return null;
        string baseDir = Path.GetDirectoryName(cellFile) is { Length: > 0 } d ? d : _folder;
        string path = Path.GetFullPath(Path.Combine(baseDir, reference));
        if (!File.Exists(path)) return null;
        _context.Library(path);
        return MetadataReference.CreateFromFile(path);
    }

    public Assembly Load(byte[] image, byte[] symbols)
    {
        using var pe = new MemoryStream(image);
        using var pdb = new MemoryStream(symbols);
        return _context.Cell(pe, pdb);
    }

    /// <summary>
    /// The framework's own assemblies and the core's (for display). Every cell compilation binds
    /// each reference again, and the chain of cells keeps them all, so a long session's memory
    /// grows with references × cells: the everyday set is small, and the rest is there for the
    /// cell that needs it.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadFramework(bool everyday)
    {
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.GetFiles(runtimeDir, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll"))
            .Where(f => !everyday || Everyday.Contains(Path.GetFileNameWithoutExtension(f)))
            .Where(IsManaged)
            .Order(StringComparer.Ordinal)
            .Append(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
    }

    /// <summary>What notebook code uses day to day: the kernel's default usings and the usual System namespaces.</summary>
    private static readonly HashSet<string> Everyday = new(StringComparer.Ordinal)
    {
        "System.Private.CoreLib", "System.Runtime", "System.Console", "System.Collections", "System.Collections.Concurrent",
        "System.Linq", "System.Text.RegularExpressions", "System.Diagnostics.Process", "System.ComponentModel.Primitives",
        "System.Threading", "System.Threading.Thread", "System.Runtime.Numerics", "System.Memory", "System.ObjectModel",
        "System.Runtime.InteropServices", "Microsoft.CSharp",
    };

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>A session's cells and the libraries they #r; the framework and the core come from the default context.</summary>
    private sealed class CellLoadContext() : AssemblyLoadContext("notebook cells")
    {
        private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _libraries = new(StringComparer.Ordinal);

        public void Library(string path)
        {
            lock (_loaded)
                if (AssemblyName.GetAssemblyName(path).Name is { } name) _libraries.TryAdd(name, path);
        }

        public Assembly Cell(Stream image, Stream symbols)
        {
            var assembly = LoadFromStream(image, symbols);
            lock (_loaded) _loaded[assembly.GetName().Name!] = assembly;
            return assembly;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            lock (_loaded)
            {
                if (name.Name is null) return null;
                if (_loaded.TryGetValue(name.Name, out var cell)) return cell;
                if (_libraries.TryGetValue(name.Name, out var path))
                    return _loaded[name.Name] = LoadFromAssemblyPath(path);
            }
            return null;
        }
    }
}
