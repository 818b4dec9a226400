using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Micrograd.Notebooks.Dib;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// The live course (<c>run … --format html --live</c>): each notebook page gets its page data (the
/// notebook's cells as the .dib holds them, the files the worker needs) and the page side in the
/// site's <c>live/</c> folder (live.js, live.css, the CodeMirror editor), beside the .NET WebAssembly
/// worker copied from its build (<see cref="RuntimeFolder"/>). Without JavaScript, or opened as a
/// file, a live page reads as the static page. The contract: src/Micrograd.Browser/PROTOCOL.md.
/// </summary>
internal static class LiveSite
{
    /// <summary>The site folder of the live files, relative to the pages.</summary>
    public const string Folder = "live";

    /// <summary>Set to a folder to take the browser runtime from there instead of the build's output.</summary>
    public const string RuntimeVariable = "MICROGRAD_BROWSER_RUNTIME";

    /// <summary>The file of the runtime folder the pages start (as a module Web Worker).</summary>
    public const string WorkerFile = "worker.js";

    private const string ResourcePrefix = "Micrograd.Notebooks.Export.Assets.live/";

    /// <summary>
    /// Where the browser runtime (worker.js, _framework/, …) is built: src/Micrograd.Browser's output
    /// in the repository's artifacts folder, or the folder <see cref="RuntimeVariable"/> names.
    /// </summary>
    public static string RuntimeFolder()
    {
        if (Environment.GetEnvironmentVariable(RuntimeVariable) is { Length: > 0 } folder) return folder;
        return Path.Combine(RepositoryRoot(), "artifacts", "bin", "Micrograd.Browser", "debug", "live");
    }

    /// <summary>Why the runtime folder cannot be used (one line), or null when it can.</summary>
    public static string? RuntimeProblem(string folder) =>
        File.Exists(Path.Combine(folder, WorkerFile)) ? null
            : $"the browser runtime is not built ('{folder}' has no {WorkerFile}): run dotnet build src/Micrograd.Browser";

    /// <summary>The repository this runner was built in (its artifacts folder's parent), else the current folder.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Micrograd.Notebooks.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// Every file of the live folder, as (path in the site, file to copy): the runtime's files, then
    /// the page side's (embedded in the runner, which win over a runtime file of the same name).
    /// </summary>
    public static IEnumerable<(string Path, string File)> RuntimeFiles(string runtimeFolder)
    {
        var own = Assets().Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFiles(runtimeFolder, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Folder + "/" + Path.GetRelativePath(runtimeFolder, f).Replace(Path.DirectorySeparatorChar, '/'), File: f))
            .Where(f => !own.Contains(f.Path) && f.Path.Split('/').All(p => !p.StartsWith('.')))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
    }

    /// <summary>The page side's files (live.js, live.css, codemirror/…), as (path in the site, bytes), in a fixed order.</summary>
    public static IEnumerable<(string Path, byte[] Bytes)> Assets() => MathRendering.Embedded(ResourcePrefix, Folder);

    /// <summary>
    /// A page's data (the JSON of <c>&lt;script type="application/json" id="mg-live"&gt;</c>), or null
    /// when its notebook cannot be read again as it ran. <paramref name="library"/> gets each library
    /// the notebook <c>#r</c>s (its path in the site, <c>lib/NAME</c>, and the file to copy there).
    /// </summary>
    /// <param name="serve">The command that serves the site, shown on a page opened as a file.</param>
    public static string? PageData(NotebookRun run, string serve, Action<string, string> library)
    {
        DibDocument dib;
        try
        {
            dib = DibFormat.Read(run.SourcePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DibFormatException or DecoderFallbackException)
        {
            return null;
        }
        var cells = dib.Cells.Where(c => c.Kernel != "meta").ToArray();
        if (cells.Length != run.Cells.Count || cells.Where((c, i) => c.Kernel != run.Cells[i].Kernel || c.Source != run.Cells[i].Source).Any())
            return null; // the .dib changed while it ran: the page stays static

        // The worker's current folder is /course/notebooks: a library the notebook #r's as "../x/y.dll" is /course/x/y.dll.
        string course = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(run.SourcePath))!) ?? "/";
        var files = new List<(string Path, string Url)>();
        foreach (var (_, file) in Ipynb.Libraries(run))
        {
            string path = Path.GetRelativePath(course, file).Replace(Path.DirectorySeparatorChar, '/');
            if (path.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(path)) continue;
            string url = "lib/" + Path.GetFileName(file);
            library(url, file);
            files.Add((path, url));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            json.WriteString("notebook", Path.GetFileName(run.SourcePath));
            json.WriteString("serve", serve);
            json.WriteStartArray("files");
            foreach (var (path, url) in files)
            {
                json.WriteStartObject();
                json.WriteString("path", path);
                json.WriteString("url", url);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            // The .dib as read, every cell with the text around its source, so that a download of an unedited page is the file byte for byte.
            json.WriteStartObject("dib");
            json.WriteString("preamble", dib.Preamble);
            json.WriteStartArray("cells");
            foreach (var cell in dib.Cells)
            {
                json.WriteStartObject();
                json.WriteString("kernel", cell.Kernel);
                if (cell.Directive is null) json.WriteNull("directive"); else json.WriteString("directive", cell.Directive);
                json.WriteString("leading", cell.Leading);
                json.WriteString("source", cell.Source);
                json.WriteString("trailing", cell.Trailing);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            // What the .ipynb download needs beyond the cells, as the .ipynb export writes it.
            json.WriteStartObject("ipynb");
            json.WritePropertyName("metadata");
            using (var metadata = JsonDocument.Parse(JsonText.Write(Ipynb.Metadata(run)))) metadata.RootElement.WriteTo(json);
            json.WriteStartArray("ids");
            foreach (string id in Ipynb.CellIds(run)) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// What goes in a live page's head: the editor's and the page side's stylesheets, and an empty
    /// icon, so that a served site is not asked for a favicon.ico it does not have (a 404 in the console).
    /// </summary>
    public const string Head =
        $"<link rel=\"stylesheet\" href=\"{Folder}/codemirror/codemirror.css\">\n<link rel=\"stylesheet\" href=\"{Folder}/live.css\">\n<link rel=\"icon\" href=\"data:,\">\n";

    /// <summary>
    /// What goes at the end of a live page's body: the page data, the editor, the page side (a module),
    /// and a few lines that say, on a page opened as a file, that live cells need the site served.
    /// </summary>
    public static string Scripts(string pageData) =>
        $"<script type=\"application/json\" id=\"mg-live\">{pageData}</script>\n" +
        FileNotice +
        $"<script src=\"{Folder}/codemirror/codemirror.js\"></script>\n<script src=\"{Folder}/codemirror/clike.js\"></script>\n" +
        $"<script src=\"{Folder}/codemirror/matchbrackets.js\"></script>\n<script type=\"module\" src=\"{Folder}/live.js\"></script>\n";

    // A module does not load from file://, so this classic script says what to do instead.
    private const string FileNotice = """
        <script>
        (function () {
          if (location.protocol !== 'file:') return;
          var data = JSON.parse(document.getElementById('mg-live').textContent), p = document.createElement('p');
          p.className = 'mg-live-notice';
          p.textContent = 'To run these cells, serve this folder: ' + data.serve;
          var nav = document.querySelector('main > nav');
          nav.parentNode.insertBefore(p, nav.nextSibling);
        })();
        </script>

        """;
}
