using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// The --out folder, written safely. A lock file keeps a second run out; each notebook's files are
/// written to a staging folder inside it as soon as the notebook ends; at the end the runner's
/// files (those its manifest lists) are renamed into place, the index last, so an interrupted run
/// leaves the previous site whole. Nothing the manifest does not list is ever touched.
/// </summary>
internal sealed partial class SiteFolder : IDisposable
{
    public const string ManifestName = ".micrograd-site.json", LockName = ".micrograd-site.lock", StagingPrefix = ".staging-";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly string _lock;
    private readonly Manifest _previous;
    private List<SiteEntry> _entries = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);
    private bool _published, _replaceAll;

    private SiteFolder(string folder, string lockFile, Manifest previous)
    {
        Folder = folder;
        _lock = lockFile;
        _previous = previous;
        Staging = Path.Combine(folder, StagingPrefix + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string Folder { get; }
    public string Staging { get; }

    /// <summary>The site's title as the last run left it; null for a new folder.</summary>
    public string? PreviousTitle => _previous.Title;

    /// <summary>The notebooks of the site, in order, as planned for this run.</summary>
    public IReadOnlyList<SiteEntry> Entries => _entries;

    /// <summary>Takes the folder for this run; a problem (one line) if it is a file or another run holds it.</summary>
    public static SiteFolder? Open(string folder, out string? problem)
    {
        problem = null;
        if (File.Exists(folder)) { problem = $"--out '{folder}' is a file; give a folder for the site"; return null; }
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            problem = $"--out '{folder}' cannot be created: {e.Message}";
            return null;
        }
        string lockFile = Path.Combine(folder, LockName);
        if (!TryLock(lockFile, out int holder, out string? lockProblem))
        {
            problem = lockProblem ?? $"another run (process {holder}) is writing to '{folder}'; wait for it to finish, or give another --out (if no such run is going, delete {lockFile})";
            return null;
        }
        var site = new SiteFolder(folder, lockFile, ReadManifest(Path.Combine(folder, ManifestName)));
        foreach (var stale in Directory.GetDirectories(folder, StagingPrefix + "*"))
            if (StagingName().IsMatch(Path.GetFileName(stale)))
                TryDelete(stale); // left by a run that was killed: we hold the lock, so it is no one's
        Directory.CreateDirectory(site.Staging);
        return site;
    }

    [GeneratedRegex(@"^\.staging-\d+$")]
    private static partial Regex StagingName();

    /// <summary>
    /// Decides the site's notebooks and their page names: those of this run, and (for a run of single
    /// notebooks into an existing site) the previous ones whose .dib still exists.
    /// </summary>
    public void Plan(IReadOnlyList<SiteEntry> running, bool replaceAll)
    {
        _replaceAll = replaceAll;
        var runningSources = running.Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        var kept = replaceAll ? [] : _previous.Notebooks.Where(p => !runningSources.Contains(p.Source) && File.Exists(p.Source)).ToList();
        var taken = new List<string>();
        var entries = new List<SiteEntry>();
        foreach (var k in kept) { taken.Add(k.Page); entries.Add(k); }
        foreach (var r in running)
        {
            var before = _previous.Notebooks.FirstOrDefault(p => p.Source == r.Source);
            string page = before is not null && !taken.Contains(before.Page, StringComparer.OrdinalIgnoreCase) && SiteNames.Safe(before.Page) == before.Page
                ? before.Page : SiteNames.Unique(Path.GetFileNameWithoutExtension(r.Source), taken);
            if (page == before?.Page) taken.Add(page);
            entries.Add(r with { Page = page });
        }
        _entries = entries.OrderBy(e => Path.GetFileName(e.Source), StringComparer.Ordinal).ThenBy(e => e.Source, StringComparer.Ordinal).ToList();
    }

    public SiteEntry Entry(string source) => _entries.First(e => e.Source == source);

    public (SiteEntry? Previous, SiteEntry? Next) Neighbours(string source)
    {
        int i = _entries.FindIndex(e => e.Source == source);
        return (i > 0 ? _entries[i - 1] : null, i + 1 < _entries.Count ? _entries[i + 1] : null);
    }

    /// <summary>Writes a file of a notebook into staging now; it goes live when the run ends.</summary>
    public void Write(string source, string name, string text, Func<SiteEntry, SiteEntry> update)
    {
        File.WriteAllText(Path.Combine(Staging, name), text);
        _written.Add(name);
        int i = _entries.FindIndex(e => e.Source == source);
        var entry = update(_entries[i]);
        _entries[i] = entry with { Files = entry.Files.Append(name).Distinct().ToArray() };
    }

    /// <summary>
    /// Writes a file the whole site shares (KaTeX in <c>katex/</c>, the engine the .ipynb files
    /// reference in <c>lib/</c>) into staging; it goes live with the run and is listed in the manifest.
    /// </summary>
    public void WriteShared(string path, byte[] bytes) => File.WriteAllBytes(StageShared(path), bytes);

    /// <summary>Copies a file into the site as a shared file (the browser runtime in <c>live/</c>), like <see cref="WriteShared"/>.</summary>
    public void CopyShared(string path, string file) => File.Copy(file, StageShared(path), overwrite: true);

    private string StageShared(string path)
    {
        if (!SharedPath(path)) throw new ArgumentException($"'{path}' is not a shared file of the site", nameof(path));
        string staged = Path.Combine(Staging, path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        _written.Add(path);
        _shared.Add(path);
        return staged;
    }

    /// <summary>Records a notebook's row without writing a file (no html asked for).</summary>
    public void Update(string source, Func<SiteEntry, SiteEntry> update)
    {
        int i = _entries.FindIndex(e => e.Source == source);
        _entries[i] = update(_entries[i]);
    }

    /// <summary>
    /// Makes the run's files live: pages of kept notebooks get new previous/next links, the new files
    /// are renamed into the folder, the files of notebooks no longer in the site are removed, then the
    /// index and the manifest.
    /// </summary>
    public void Publish(string title, Func<IReadOnlyList<SiteEntry>, string>? index)
    {
        // Files a notebook had before and were not written now stay its files (a page from an earlier run).
        for (int i = 0; i < _entries.Count; i++)
        {
            var before = _previous.Notebooks.FirstOrDefault(p => p.Source == _entries[i].Source);
            var files = _entries[i].Files.Concat((before?.Files ?? []).Where(f => SafeFileName(f) && File.Exists(Path.Combine(Folder, f)))).Distinct().ToArray();
            _entries[i] = _entries[i] with { Files = files };
        }
        // Kept pages link to their new neighbours.
        for (int i = 0; i < _entries.Count; i++)
        {
            string page = _entries[i].Page + ".html";
            if (_written.Contains(page) || !_entries[i].Files.Contains(page)) continue;
            string live = Path.Combine(Folder, page);
            string text = File.ReadAllText(live);
            string relinked = Relink(text, HtmlSite.Nav(i > 0 ? _entries[i - 1] : null, i + 1 < _entries.Count ? _entries[i + 1] : null));
            if (relinked != text) { File.WriteAllText(Path.Combine(Staging, page), relinked); _written.Add(page); }
        }
        bool hasIndex = index is not null;
        if (index is not null) File.WriteAllText(Path.Combine(Staging, "index.html"), index(_entries));
        var manifest = new Manifest
        {
            Title = title,
            Notebooks = _entries.ToList(),
            Files = _entries.SelectMany(e => e.Files).Concat(hasIndex || _previous.Files.Contains("index.html") ? ["index.html"] : [])
                // Shared files stay while a page may need them: those written now, and the earlier ones still there.
                .Concat(_shared).Concat(_previous.Files.Where(f => SharedPath(f) && File.Exists(Path.Combine(Folder, f)) && KeepsLive(f)))
                .Distinct().ToList(),
        };
        File.WriteAllText(Path.Combine(Staging, ManifestName), JsonSerializer.Serialize(manifest, Json) + "\n");

        foreach (var name in _written)
        {
            string live = Path.Combine(Folder, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(live)!);
            File.Move(Path.Combine(Staging, name.Replace('/', Path.DirectorySeparatorChar)), live, overwrite: true);
        }
        foreach (var stale in _previous.Files.Except(manifest.Files).Where(f => SafeFileName(f) || SharedPath(f)))
            TryDeleteFile(Path.Combine(Folder, stale.Replace('/', Path.DirectorySeparatorChar)));
        RemoveEmptyFolders(Path.Combine(Folder, LiveSite.Folder));
        if (hasIndex) File.Move(Path.Combine(Staging, "index.html"), Path.Combine(Folder, "index.html"), overwrite: true);
        File.Move(Path.Combine(Staging, ManifestName), Path.Combine(Folder, ManifestName), overwrite: true);
        _published = true;
    }

    /// <summary>Replaces the first and the last previous/next line of a page (the top and bottom navigation).</summary>
    public static string Relink(string page, string nav)
    {
        var lines = NavLine().Matches(page);
        if (lines.Count == 0) return page;
        var sb = new StringBuilder(page);
        var last = lines[^1];
        sb.Remove(last.Index, last.Length).Insert(last.Index, nav.TrimEnd('\n'));
        if (lines.Count > 1) sb.Remove(lines[0].Index, lines[0].Length).Insert(lines[0].Index, nav.TrimEnd('\n'));
        return sb.ToString();
    }

    [GeneratedRegex(@"^<nav>.*</nav>$", RegexOptions.Multiline)]
    private static partial Regex NavLine();

    /// <summary>Only plain names of pages and notebooks the runner writes: never a path, a hidden file or anything else.</summary>
    private static bool SafeFileName(string name) =>
        name.Length > 0 && name == Path.GetFileName(name) && !name.StartsWith('.') && (name.EndsWith(".html", StringComparison.Ordinal) || name.EndsWith(".ipynb", StringComparison.Ordinal));

    /// <summary>A shared file's path: under the site's own katex/, lib/ or live/ folder, plain names only (no "..", nothing hidden).</summary>
    private static bool SharedPath(string path)
    {
        var parts = path.Split('/');
        return parts.Length >= 2 && parts[0] is "katex" or "lib" or LiveSite.Folder && parts.All(p => p.Length > 0 && !p.StartsWith('.') && p == Path.GetFileName(p) && !p.Contains('\\'));
    }

    /// <summary>
    /// Whether an earlier run's file stays, as far as the live folder goes: a run that writes live/
    /// replaces all of it (a new runtime build may name its files differently), and a run of a whole
    /// folder without --live leaves no page that needs it.
    /// </summary>
    private bool KeepsLive(string path) =>
        !path.StartsWith(LiveSite.Folder + "/", StringComparison.Ordinal) || (!_replaceAll && !_shared.Any(f => f.StartsWith(LiveSite.Folder + "/", StringComparison.Ordinal)));

    /// <summary>Removes the staging folder (published or not) and the lock.</summary>
    public void Dispose()
    {
        TryDelete(Staging);
        try
        {
            if (File.Exists(_lock) && File.ReadAllText(_lock).Split('\n')[0] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                File.Delete(_lock);
        }
        catch (IOException) { }
        _ = _published;
    }

    private static bool TryLock(string lockFile, out int holder, out string? problem)
    {
        holder = 0;
        problem = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var stream = new FileStream(lockFile, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write($"{Environment.ProcessId}\n{StartTicks(Environment.ProcessId)}\n");
                return true;
            }
            catch (IOException) when (File.Exists(lockFile))
            {
                string[] text;
                try { text = File.ReadAllText(lockFile).Split('\n'); } catch (IOException) { continue; }
                if (text.Length > 0 && int.TryParse(text[0], out holder) && Alive(holder, text.Length > 1 ? text[1] : "")) return false;
                TryDeleteFile(lockFile); // a run that was killed: take its lock over
            }
            catch (UnauthorizedAccessException e)
            {
                problem = $"--out '{Path.GetDirectoryName(lockFile)}' cannot be written: {e.Message}";
                return false;
            }
        }
        return false;
    }

    private static bool Alive(int pid, string startTicks)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited && (startTicks.Length == 0 || StartTicks(pid) == startTicks);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string StartTicks(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.StartTime.ToUniversalTime().Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return "";
        }
    }

    private static Manifest ReadManifest(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json) ?? new Manifest() : new Manifest();
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return new Manifest(); // unreadable: start afresh, and touch none of the files it may have listed
        }
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Removes the folders under <paramref name="folder"/> (and it) that stale files left empty.</summary>
    private static void RemoveEmptyFolders(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var sub in Directory.GetDirectories(folder)) RemoveEmptyFolders(sub);
        try { if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static void TryDeleteFile(string file)
    {
        try { File.Delete(file); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>What the runner keeps in --out about the site it wrote (.micrograd-site.json).</summary>
    internal sealed class Manifest
    {
        public int Version { get; set; } = 1;
        public string? Title { get; set; }
        public List<SiteEntry> Notebooks { get; set; } = new();
        public List<string> Files { get; set; } = new();
    }
}
