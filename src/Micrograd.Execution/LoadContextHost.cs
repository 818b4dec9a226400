using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Micrograd.Execution;

/// <summary>
/// What every host shares but its references: <c>#r</c> resolved against the cell file's folder
/// (the notebook's), and every cell of a session loaded into one AssemblyLoadContext that finds
/// the session's cells and libraries by name. The desktop reads its folder from disk; the browser
/// from the runtime's in-memory file system.
/// </summary>
public abstract class LoadContextHost : IExecutionHost
{
    private readonly CellLoadContext _context = new();
    private readonly string _folder;

    /// <param name="folder">Where <c>#r</c> paths of a cell without a file of its own are resolved.</param>
    protected LoadContextHost(string folder) => _folder = folder;

    public abstract IReadOnlyList<MetadataReference> References { get; }

    public abstract IReadOnlyList<MetadataReference> AllReferences { get; }

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

    public virtual string? Explain(Exception thrown) => null;

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
