using System;
using System.IO;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // cells share the process's Console and working directory

namespace Micrograd.Notebooks.Tests;

/// <summary>A fresh folder for a test's notebooks, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mg-nb-" + Guid.NewGuid().ToString("N")[..12]);

    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

internal static class Repo
{
    /// <summary>The repository's root: the folder holding Micrograd.Notebooks.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Micrograd.Notebooks.sln"))) return dir.FullName;
            throw new InvalidOperationException("Micrograd.Notebooks.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Builds a notebook's text from (kernel, source) cells in the canonical layout.</summary>
    public static string Notebook(params (string Kernel, string Source)[] cells) =>
        Dib.DibFormat.Write(Dib.DibFormat.Create("x.dib", cells));
}
