using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Micrograd.Notebooks;

/// <summary>
/// <c>serve</c>: an exported site on this machine, as static files with the MIME types WebAssembly
/// needs and the cross-origin isolation headers that let the live pages stop a cell through shared
/// memory; compressed (a file's .br or .gz beside it if there is one, else on the fly).
/// </summary>
internal static class ServeCommand
{
    public const int DefaultPort = 5000;

    public const string Help = """
        usage:
          serve <site folder> [--port N] [--host ADDRESS]    serve a site that `run … --out <site folder>` wrote

        options:
          --port <N>           the port, from 0 (any free port) to 65535 (default: 5000)
          --host <address>     the address to listen on (default: 127.0.0.1, this machine only); 0.0.0.0 lets
                               other machines in (a class on one network, say)

        The live pages (run … --live) need the site served: a page opened as a file cannot start .NET.
        Every response says Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
        require-corp, so the pages can stop a running cell and keep the session's state. Ctrl+C ends it.

        exit codes: 0 ended with Ctrl+C, 1 the address cannot be listened on (the port is in use, say), 2 bad usage

        example:
          dotnet run --project src/Micrograd.Notebooks -- run notebooks --out out/course --live
          dotnet run --project src/Micrograd.Notebooks -- serve out/course
        """;

    /// <summary>The command that serves a site folder, as a page opened as a file shows it.</summary>
    public static string Hint(string folder) =>
        "dotnet run --project src/Micrograd.Notebooks -- serve " + (folder.Any(char.IsWhiteSpace) ? $"\"{folder}\"" : folder);

    /// <summary>The content types of the site's files; the rest are those ASP.NET Core knows.</summary>
    public static FileExtensionContentTypeProvider ContentTypes()
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wasm"] = "application/wasm";
        types.Mappings[".dll"] = "application/octet-stream";
        types.Mappings[".pdb"] = "application/octet-stream";
        types.Mappings[".webcil"] = "application/octet-stream";
        types.Mappings[".dat"] = "application/octet-stream";
        types.Mappings[".blat"] = "application/octet-stream";
        types.Mappings[".json"] = "application/json";
        types.Mappings[".js"] = "text/javascript";
        types.Mappings[".mjs"] = "text/javascript";
        types.Mappings[".ipynb"] = "application/x-ipynb+json";
        types.Mappings[".dib"] = "text/plain";
        return types;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken interrupt)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            stdout.WriteLine(Help);
            return Cli.Ok;
        }
        string? folder = null;
        int port = DefaultPort;
        IPAddress host = IPAddress.Loopback;
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--port":
                    string? p = Next();
                    if (!int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port > 65535)
                        return Usage(stderr, $"--port takes a number from 0 to 65535{(p is null ? "" : $", not '{p}'")}");
                    break;
                case "--host":
                    string? h = Next();
                    if (!IPAddress.TryParse(h ?? "", out var parsed))
                        return Usage(stderr, $"--host takes an IP address such as 127.0.0.1 or 0.0.0.0{(h is null ? "" : $", not '{h}'")}");
                    host = parsed;
                    break;
                default:
                    if (args[i].StartsWith('-') && args[i].Length > 1)
                        return Usage(stderr, $"unknown option '{args[i]}'{Suggestions.DidYouMean(args[i], ["--port", "--host", "--help"])}");
                    if (folder is not null) return Usage(stderr, $"one site folder at a time (got '{folder}' and '{args[i]}')");
                    folder = args[i];
                    break;
            }
        }
        if (folder is null) return Usage(stderr, "serve needs the folder of an exported site, such as out/course");
        if (File.Exists(folder)) return Usage(stderr, $"'{folder}' is a file; give the folder of an exported site");
        if (!Directory.Exists(folder))
        {
            string parent = Path.GetDirectoryName(Path.GetFullPath(folder.TrimEnd('/', '\\'))) ?? ".";
            string[] siblings = Directory.Exists(parent) ? Directory.GetDirectories(parent).Select(d => Path.GetFileName(d)).ToArray() : [];
            return Usage(stderr, $"'{folder}' does not exist{Suggestions.DidYouMean(Path.GetFileName(folder.TrimEnd('/', '\\')), siblings)}; export a site first: run notebooks --out {folder} --live");
        }

        await using var app = Build(Path.GetFullPath(folder), host, port);
        try
        {
            await app.StartAsync(CancellationToken.None);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"error: cannot listen on {host}:{port}: {e.Message}");
            return Cli.CellsFailed;
        }
        string url = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        stdout.WriteLine($"serving {folder} at {url} (Ctrl+C to stop)");
        if (!IPAddress.IsLoopback(host)) stdout.WriteLine($"note: listening on {host}: other machines can open the site too");
        stdout.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, interrupt);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
        stdout.WriteLine("stopped");
        return Cli.Ok;
    }

    private static WebApplication Build(string root, IPAddress host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(host, port));
        builder.Services.AddResponseCompression(o =>
        {
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["text/html", "text/css", "text/javascript", "text/plain", "application/json", "application/wasm",
                           "application/octet-stream", "image/svg+xml", "application/x-ipynb+json"];
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        var app = builder.Build();
        var files = new PhysicalFileProvider(root);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Embedder-Policy"] = "require-corp";
            headers["Cache-Control"] = "no-cache"; // always revalidated (ETag), so a new export shows at once
            Precompressed(context, files);
            await next();
        });
        app.UseResponseCompression();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = new Decompressed(ContentTypes()) });
        return app;
    }

    /// <summary>A file with a .br or .gz beside it, asked for by a browser that reads that encoding, is served as that file.</summary>
    private static void Precompressed(HttpContext context, IFileProvider files)
    {
        string path = context.Request.Path.Value ?? "";
        if (path.EndsWith('/') || !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)) return;
        string accepted = context.Request.Headers.AcceptEncoding.ToString();
        foreach (var (encoding, extension) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (!accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) || !files.GetFileInfo(path + extension).Exists) continue;
            context.Request.Path = path + extension;
            context.Response.Headers.ContentEncoding = encoding;
            context.Response.Headers.Vary = "Accept-Encoding";
            return;
        }
    }

    /// <summary>The content type of x.wasm for x.wasm.br and x.wasm.gz too.</summary>
    private sealed class Decompressed(IContentTypeProvider types) : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            if (subpath.EndsWith(".br", StringComparison.Ordinal)) subpath = subpath[..^3];
            else if (subpath.EndsWith(".gz", StringComparison.Ordinal)) subpath = subpath[..^3];
            return types.TryGetContentType(subpath, out contentType!);
        }
    }

    private static int Usage(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"error: {problem} (serve --help for usage)");
        return Cli.BadUsage;
    }
}
