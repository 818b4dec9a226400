using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>One message of Jupyter's messaging protocol (5.3), as the wire carries it.</summary>
internal sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    public const string ProtocolVersion = "5.3";

    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    public string Type => Header["msg_type"]?.GetValue<string>() ?? "";
    public string Id => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A new message of this kernel's session, in answer to <paramref name="parent"/> (if any).</summary>
    public static JupyterMessage Create(string session, string type, JsonObject content, JupyterMessage? parent, IReadOnlyList<byte[]>? identities = null) =>
        new(identities ?? parent?.Identities ?? [], NewHeader(session, type), parent?.Header.DeepClone().AsObject() ?? new JsonObject(), new JsonObject(), content);

    private static JsonObject NewHeader(string session, string type) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = "kernel",
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        ["msg_type"] = type,
        ["version"] = ProtocolVersion,
    };
}

/// <summary>
/// The wire format: <c>identities… "&lt;IDS|MSG&gt;" signature header parent_header metadata content buffers…</c>,
/// the signature being the HMAC-SHA256 (lower-case hex) of the four JSON frames under the connection
/// file's key. An empty key means messages are not signed (and none is checked), as the protocol says.
/// </summary>
internal sealed class Wire
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    private readonly byte[] _key;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();

    public Wire(string key) => _key = Encoding.UTF8.GetBytes(key);

    public bool Signs => _key.Length > 0;

    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Signs) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parent);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    public NetMQMessage Serialize(JupyterMessage message)
    {
        byte[] header = Json(message.Header), parent = Json(message.ParentHeader), metadata = Json(message.Metadata), content = Json(message.Content);
        var frames = new NetMQMessage();
        foreach (var id in message.Identities) frames.Append(id);
        frames.Append(Delimiter);
        frames.Append(Encoding.ASCII.GetBytes(Sign(header, parent, metadata, content)));
        frames.Append(header);
        frames.Append(parent);
        frames.Append(metadata);
        frames.Append(content);
        foreach (var buffer in message.Buffers) frames.Append(buffer);
        return frames;
    }

    /// <summary>Reads and checks a message; null with the reason when it is malformed, unsigned, wrongly signed or replayed.</summary>
    public JupyterMessage? Deserialize(NetMQMessage frames, out string? problem)
    {
        problem = null;
        int at = 0;
        var identities = new List<byte[]>();
        while (at < frames.FrameCount && !frames[at].ToByteArray().AsSpan().SequenceEqual(Delimiter)) identities.Add(frames[at++].ToByteArray());
        if (at == frames.FrameCount) return Fail(out problem, "no <IDS|MSG> delimiter");
        if (frames.FrameCount - at < 6) return Fail(out problem, "fewer than the five frames after the delimiter");
        byte[] signature = frames[at + 1].ToByteArray(), header = frames[at + 2].ToByteArray(), parent = frames[at + 3].ToByteArray(),
            metadata = frames[at + 4].ToByteArray(), content = frames[at + 5].ToByteArray();
        if (Signs)
        {
            string expected = Sign(header, parent, metadata, content);
            if (signature.Length == 0) return Fail(out problem, "the message is not signed");
            if (!CryptographicOperations.FixedTimeEquals(signature, Encoding.ASCII.GetBytes(expected)))
                return Fail(out problem, "the signature does not match (wrong key, or the message was altered)");
            string text = Encoding.ASCII.GetString(signature);
            lock (_seen)
            {
                if (!_seen.Add(text)) return Fail(out problem, "the signature was seen before (a replayed message)");
                _seenOrder.Enqueue(text);
                if (_seenOrder.Count > 100_000) _seen.Remove(_seenOrder.Dequeue());
            }
        }
        try
        {
            var message = new JupyterMessage(identities, Object(header), Object(parent), Object(metadata), Object(content));
            var buffers = new List<byte[]>();
            for (int i = at + 6; i < frames.FrameCount; i++) buffers.Add(frames[i].ToByteArray());
            if (message.Type.Length == 0) return Fail(out problem, "the header has no msg_type");
            return message with { Buffers = buffers };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return Fail(out problem, "a frame is not a JSON object: " + e.Message);
        }
    }

    private static JsonObject Object(byte[] json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new FormatException("expected a JSON object");

    private static byte[] Json(JsonObject node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static JupyterMessage? Fail(out string? problem, string reason)
    {
        problem = reason;
        return null;
    }
}
