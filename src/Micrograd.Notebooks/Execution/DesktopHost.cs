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
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() => LoadFramework(everyday: true));
    private static readonly Lazy<ImmutableArray<MetadataReference>> WholeFramework = new(() => LoadFramework(everyday: false));

    public override IReadOnlyList<MetadataReference> References => Framework.Value;

    public override IReadOnlyList<MetadataReference> AllReferences => WholeFramework.Value;

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
            .Where(f => FrameworkReferences.IsReference(Path.GetFileName(f)))
            .Where(f => !everyday || FrameworkReferences.Everyday.Contains(Path.GetFileNameWithoutExtension(f)))
            .Where(IsManaged)
            .Order(StringComparer.Ordinal)
            .Append(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
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
