using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Micrograd.Execution;
using Microsoft.CodeAnalysis;

namespace Micrograd.Notebooks.Execution;

/// <summary>
/// The execution core's host on a desktop: references from the running .NET's own folder (as the
/// C# kernel has them), <c>#r</c> relative to the notebook, and every cell of a session loaded
/// into one AssemblyLoadContext that finds the session's cells and libraries by name.
/// </summary>
internal sealed class DesktopHost(string folder) : LoadContextHost(folder)
{
    private static readonly Lazy<ImmutableArray<(string Name, MetadataReference Reference)>> Whole = new(LoadFramework);
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() =>
        [.. Whole.Value.Where(r => FrameworkReferences.Everyday.Contains(r.Name) || r.Name == KernelAssembly).Select(r => r.Reference)]);
    private static readonly Lazy<ImmutableArray<MetadataReference>> WholeFramework = new(() => [.. Whole.Value.Select(r => r.Reference)]);
    private static readonly string KernelAssembly = typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.GetName().Name!;

    public override IReadOnlyList<MetadataReference> References => Framework.Value;

    public override IReadOnlyList<MetadataReference> AllReferences => WholeFramework.Value;

    /// <summary>
    /// The framework's own assemblies and the core's (for display), each read once: the everyday
    /// set is part of the whole framework, the same reference objects, so that a session that moves
    /// to the whole framework is given only the references it did not have (the chain of cells
    /// keeps every reference it was given). Cells start with the everyday set; the rest is there
    /// for the cell that needs it.
    /// </summary>
    private static ImmutableArray<(string Name, MetadataReference Reference)> LoadFramework()
    {
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.GetFiles(runtimeDir, "*.dll")
            .Where(f => FrameworkReferences.IsReference(Path.GetFileName(f)))
            .Where(IsManaged)
            .Order(StringComparer.Ordinal)
            .Append(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location)
            .Select(f => (Path.GetFileNameWithoutExtension(f), (MetadataReference)MetadataReference.CreateFromFile(f)))
            .ToImmutableArray();
    }

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
}
