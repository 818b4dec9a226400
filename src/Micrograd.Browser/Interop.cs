using System.Runtime.InteropServices.JavaScript;

namespace Micrograd.Browser;

/// <summary>What the worker's JavaScript (worker.js) gives the .NET side: sending messages to the page, and a few reads.</summary>
internal static partial class Interop
{
    private const string Module = "worker";

    [JSImport("postStream", Module)]
    public static partial void PostStream(int id, string name, string text);

    [JSImport("postDisplay", Module)]
    public static partial void PostDisplay(int id, string displayId, string[] mimeTypes, string[] contents, bool result);

    [JSImport("postUpdate", Module)]
    public static partial void PostUpdate(string displayId, string[] mimeTypes, string[] contents);

    [JSImport("postClear", Module)]
    public static partial void PostClear(int id, bool wait);

    [JSImport("postDone", Module)]
    public static partial void PostDone(int id, string status, string? ename, string? evalue, double ms);

    /// <summary>Whether the page asked to stop (Atomics.load of its shared flag); false where it has none.</summary>
    [JSImport("stopRequested", Module)]
    public static partial bool StopRequested();

    /// <summary>A file of the live folder, fetched while the worker waits (a synchronous request, allowed in workers).</summary>
    [JSImport("fetchNow", Module)]
    [return: JSMarshalAs<JSType.Array<JSType.Number>>]
    public static partial byte[] FetchNow(string url);
}
