using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Micrograd.Notebooks.Export;

/// <summary>
/// Math on the exported pages: the markdown pipeline marks <c>$…$</c> as <c>&lt;span class="math"&gt;</c>,
/// and <c>$$…$$</c> as <c>&lt;span class="math display"&gt;</c> inside a line or <c>&lt;div class="math"&gt;</c>
/// on lines of its own, and KaTeX (vendored from npm,
/// MIT, copied into the site's <c>katex/</c> folder; no CDN) typesets them in the browser. A page
/// without math links nothing. Without JavaScript a formula shows as its TeX source.
/// </summary>
internal static class MathRendering
{
    /// <summary>The site folder the KaTeX files go to, relative to the pages.</summary>
    public const string Folder = "katex";

    private const string ResourcePrefix = "Micrograd.Notebooks.Export.Assets.katex/";

    /// <summary>True when rendered markdown holds a formula.</summary>
    public static bool HasMath(string html) =>
        html.Contains("<span class=\"math") || html.Contains("<div class=\"math\">");

    /// <summary>What goes in a page's head: KaTeX's stylesheet, if the page has math.</summary>
    public static string Head(string body) =>
        HasMath(body) ? $"<link rel=\"stylesheet\" href=\"{Folder}/katex.min.css\">\n" : "";

    /// <summary>What goes at the end of a page's body: KaTeX and the few lines that typeset each formula.</summary>
    public static string Scripts(string body) => HasMath(body) ? $"<script src=\"{Folder}/katex.min.js\"></script>\n" + Typeset : "";

    private const string Typeset = """
        <script>
        (function () {
          if (!window.katex) return;
          var formulas = document.querySelectorAll('.math');
          for (var i = 0; i < formulas.length; i++) {
            var e = formulas[i], display = e.tagName === 'DIV' || e.classList.contains('display');
            var tex = e.textContent.replace(/^\s*\\[(\[]/, '').replace(/\\[)\]]\s*$/, '');
            try { katex.render(tex, e, { displayMode: display, throwOnError: false, strict: 'ignore' }); } catch (err) { }
          }
        })();
        </script>

        """;

    /// <summary>The vendored files, as (path under the site folder, bytes), in a fixed order.</summary>
    public static IEnumerable<(string Path, byte[] Bytes)> Assets() => Embedded(ResourcePrefix, Folder);

    /// <summary>The runner's embedded files whose resource names start with <paramref name="prefix"/>, as (path under <paramref name="folder"/>, bytes), by name.</summary>
    internal static IEnumerable<(string Path, byte[] Bytes)> Embedded(string prefix, string folder)
    {
        var assembly = typeof(MathRendering).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, System.StringComparison.Ordinal)).Order(System.StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            yield return (folder + "/" + name[prefix.Length..], copy.ToArray());
        }
    }

    /// <summary>Writes KaTeX into the site folder (katex/katex.min.js, katex.min.css, fonts/, LICENSE).</summary>
    public static void WriteAssets(string siteFolder)
    {
        foreach (var (path, bytes) in Assets())
        {
            string file = Path.Combine(siteFolder, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, bytes);
        }
    }
}
