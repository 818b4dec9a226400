using System;
using System.IO;
using System.Net;
using System.Text.Json;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>A user mistake the kernel reports in one line (a missing or bad connection file), never with a stack trace.</summary>
internal sealed class KernelStartException(string message) : Exception(message);

/// <summary>The connection file Jupyter writes for a kernel: where to listen, and the key that signs messages.</summary>
internal sealed record ConnectionFile(string Ip, int Shell, int IoPub, int Stdin, int Control, int Heartbeat, string Key)
{
    public string Address(int port) => $"tcp://{Ip}:{port}";

    public static ConnectionFile Read(string path)
    {
        if (!File.Exists(path)) throw new KernelStartException($"the connection file '{path}' does not exist");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new KernelStartException($"the connection file '{path}' is not JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new KernelStartException($"the connection file '{path}' is not a JSON object");

        string Text(string name, string fallback) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        int Port(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int p) && p is > 0 and < 65536
                ? p : throw new KernelStartException($"the connection file '{path}' has no valid \"{name}\"");

        string transport = Text("transport", "tcp");
        if (transport != "tcp") throw new KernelStartException($"the connection file asks for transport '{transport}'; this kernel speaks tcp only");
        string scheme = Text("signature_scheme", "hmac-sha256");
        if (scheme != "hmac-sha256") throw new KernelStartException($"the connection file asks for signature scheme '{scheme}'; this kernel signs with hmac-sha256 only");
        string ip = Text("ip", "127.0.0.1");
        if (ip == "localhost") ip = "127.0.0.1";
        if (!IPAddress.TryParse(ip, out var address) || !IPAddress.IsLoopback(address))
            throw new KernelStartException($"the connection file asks for ip '{ip}'; this kernel listens on loopback addresses only (127.0.0.1)");
        return new ConnectionFile(ip, Port("shell_port"), Port("iopub_port"), Port("stdin_port"), Port("control_port"), Port("hb_port"), Text("key", ""));
    }
}
