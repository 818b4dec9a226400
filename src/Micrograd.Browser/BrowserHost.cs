using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Micrograd.Execution;
using Microsoft.CodeAnalysis;

namespace Micrograd.Browser;

/// <summary>
/// The execution core's host in the browser: reference assemblies as bytes the worker fetched
/// (the everyday set before the first cell, the rest of the framework when a cell needs it), and
/// <c>#r</c> against the course copied into the runtime's in-memory file system.
/// </summary>
internal sealed class BrowserHost : LoadContextHost
{
    private readonly IReadOnlyList<MetadataReference> _references;
    private readonly Lazy<IReadOnlyList<MetadataReference>> _all;

    /// <param name="everyday">The everyday references, as fetched (a URL under the live folder and the bytes).</param>
    /// <param name="rest">Fetches the rest of the framework's references, when a cell first needs them.</param>
    public BrowserHost(string folder, IReadOnlyList<(string Url, byte[] Image)> everyday, Func<IReadOnlyList<(string Url, byte[] Image)>> rest)
        : base(folder)
    {
        _references = Create(everyday);
        // The everyday references are part of the whole set, the same objects: a session moving to
        // the whole framework is given only the references its chain of cells does not have yet.
        _all = new(() => [.. _references, .. Create(rest())]);
    }

    public override IReadOnlyList<MetadataReference> References => _references;

    public override IReadOnlyList<MetadataReference> AllReferences => _all.Value;

    /// <summary>Processes, threads and the like: the message says the platform does not support them; say which platform.</summary>
    public override string? Explain(Exception thrown) => thrown is PlatformNotSupportedException ? "not available in the browser" : null;

    private static MetadataReference[] Create(IEnumerable<(string Url, byte[] Image)> assemblies) =>
        assemblies.Select(a => (MetadataReference)MetadataReference.CreateFromImage(a.Image, filePath: "/live/" + a.Url)).ToArray();
}
