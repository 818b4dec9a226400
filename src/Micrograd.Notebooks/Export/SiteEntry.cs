using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Serialization;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// A notebook as the site lists it: its page, its index row and its files. The site's manifest
/// keeps these, so a run of one notebook can keep every other row and link of the course.
/// </summary>
internal sealed record SiteEntry(string Source, string Page, string Title, string Summary)
{
    public int Cells { get; init; }
    public int Failed { get; init; }

    /// <summary>What went wrong beyond failed cells ("unreadable", "process ended"); null if nothing.</summary>
    public string? Status { get; init; }

    /// <summary>The files of this notebook in the site folder, by name.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The page's link, URL-encoded (a page name may hold letters of any script).</summary>
    [JsonIgnore]
    public string Href => Uri.EscapeDataString(Page) + ".html";

    public static SiteEntry Of(NotebookRun run) =>
        new(run.SourcePath, SiteNames.Safe(run.Slug), run.Title, run.Summary) { Cells = run.Cells.Count, Failed = run.Failed };
}

/// <summary>Page names that are safe in a URL and on any file system, and never the index.</summary>
internal static class SiteNames
{
    /// <summary>Letters, digits, '-', '_' and '.' kept; anything else becomes '-'; "index" is the site's, so a notebook called that gets "index-notebook".</summary>
    public static string Safe(string name)
    {
        var sb = new StringBuilder();
        foreach (char c in name) sb.Append(char.IsLetterOrDigit(c) || c is '-' or '_' ? c : c == '.' && sb.Length > 0 ? '.' : '-');
        string safe = sb.ToString().Trim('.');
        if (safe.Length == 0) safe = "notebook";
        if (safe.Length > 100) safe = safe[..100];
        return string.Equals(safe, "index", StringComparison.OrdinalIgnoreCase) ? safe + "-notebook" : safe;
    }

    /// <summary><see cref="Safe"/>, made unique among <paramref name="taken"/> (ignoring case, as some file systems do).</summary>
    public static string Unique(string name, ICollection<string> taken)
    {
        string safe = Safe(name), page = safe;
        for (int n = 2; taken.Any(t => string.Equals(t, page, StringComparison.OrdinalIgnoreCase)); n++) page = $"{safe}-{n}";
        taken.Add(page);
        return page;
    }
}
