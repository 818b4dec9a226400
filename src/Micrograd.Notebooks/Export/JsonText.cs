using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Micrograd.Notebooks.Export;

/// <summary>A JSON number kept as written.</summary>
internal readonly record struct JsonNumber(string Text);

/// <summary>
/// JSON exactly as Jupyter saves a notebook (Python's <c>json.dumps(nb, sort_keys=True, indent=1,
/// ensure_ascii=False)</c>): keys sorted, one space of indent per level, only quotes, backslashes and
/// control characters escaped. Values are <see cref="IReadOnlyDictionary{TKey,TValue}"/> (objects),
/// <see cref="IEnumerable{T}"/> of objects (arrays), strings, ints, bools, <see cref="JsonNumber"/> and null.
/// </summary>
internal static class JsonText
{
    public static string Write(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    /// <summary>A parsed JSON value as this writer's values (objects as dictionaries, numbers kept as written).</summary>
    public static object? From(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => From(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(From).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => new JsonNumber(e.GetRawText()),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static void Write(StringBuilder sb, object? value, int level)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case string s: Quote(sb, s); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case JsonNumber n: sb.Append(n.Text); break;
            case IReadOnlyDictionary<string, object?> o:
                if (o.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                bool first = true;
                foreach (var key in o.Keys.Order(StringComparer.Ordinal))
                {
                    sb.Append(first ? "" : ",").Append('\n').Append(' ', level + 1);
                    first = false;
                    Quote(sb, key);
                    sb.Append(": ");
                    Write(sb, o[key], level + 1);
                }
                sb.Append('\n').Append(' ', level).Append('}');
                break;
            case IEnumerable<object?> list:
                var items = list.ToList();
                if (items.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int k = 0; k < items.Count; k++)
                {
                    sb.Append(k == 0 ? "" : ",").Append('\n').Append(' ', level + 1);
                    Write(sb, items[k], level + 1);
                }
                sb.Append('\n').Append(' ', level).Append(']');
                break;
            default: throw new ArgumentException($"no JSON form for a {value.GetType().Name}");
        }
    }

    private static void Quote(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
