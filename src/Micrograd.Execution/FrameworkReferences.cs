using System;
using System.Collections.Generic;

namespace Micrograd.Execution;

/// <summary>Which of the framework's assemblies cells compile against, for every host.</summary>
public static class FrameworkReferences
{
    /// <summary>
    /// What notebook code uses day to day: the kernel's default usings and the usual System
    /// namespaces. Cells compile against these first (a host's <see cref="IExecutionHost.References"/>),
    /// the whole framework only when a cell needs a name they lack.
    /// </summary>
    public static readonly IReadOnlySet<string> Everyday = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Private.CoreLib", "System.Runtime", "System.Console", "System.Collections", "System.Collections.Concurrent",
        "System.Linq", "System.Text.RegularExpressions", "System.Diagnostics.Process", "System.ComponentModel.Primitives",
        "System.Threading", "System.Threading.Thread", "System.Runtime.Numerics", "System.Memory", "System.ObjectModel",
        "System.Runtime.InteropServices", "Microsoft.CSharp",
    };

    /// <summary>Whether a file of the framework's folder is one the C# kernel references (its System.* libraries and the facades).</summary>
    public static bool IsReference(string fileName) =>
        fileName.EndsWith(".dll", StringComparison.Ordinal)
        && (fileName.StartsWith("System.", StringComparison.Ordinal) || fileName is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll");
}
