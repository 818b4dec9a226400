using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Micrograd.Execution;

/// <summary>
/// Formats a displayed value the way the .NET Interactive kernel does for the course: numbers and
/// strings as plain text, and a type that carries a <c>TypeFormatterSourceAttribute</c> (matched by
/// name, the kernel's convention) through the formatters its source creates. One MIME policy for
/// every front end: the preferred type first (HTML for pictures), then any other type the
/// formatters offer, and always text/plain.
/// </summary>
internal sealed class DisplayFormatter
{
    public const string PlainText = "text/plain", Html = "text/html";

    private readonly ConcurrentDictionary<Type, IReadOnlyList<ConventionFormatter>> _byType = new();

    public DisplayOutput Format(object? value, IReadOnlyList<string> mimeTypes, string? displayId)
    {
        if (value is null) return new DisplayOutput([(PlainText, "<null>")], displayId);
        var formatters = For(value.GetType());
        var offered = formatters.Select(f => f.MimeType).Distinct().ToList();
        string preferred = mimeTypes.Count > 0 ? mimeTypes[0] : offered.Contains(Html) ? Html : offered.FirstOrDefault() ?? PlainText;
        var order = new List<string> { preferred };
        if (mimeTypes.Count == 0) order.AddRange(offered.Where(m => m != preferred && m != PlainText));
        if (!order.Contains(PlainText)) order.Add(PlainText);
        var data = new List<(string, string)>();
        foreach (string mime in order)
            data.Add((mime, Render(value, mime, formatters)));
        return new DisplayOutput(data, displayId);
    }

    private static string Render(object value, string mime, IReadOnlyList<ConventionFormatter> formatters)
    {
        foreach (var f in formatters)
            if (f.MimeType == mime && f.TryFormat(value) is { } text) return text;
        string plain = PlainTextOf(value);
        return mime == Html ? "<div class=\"dni-plaintext\"><pre>" + System.Net.WebUtility.HtmlEncode(plain) + "</pre></div>" : plain;
    }

    /// <summary>Plain text as the kernel's formatter writes it: invariant numbers, sequences as [ a, b ].</summary>
    public static string PlainTextOf(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => "[ " + string.Join(", ", e.Cast<object?>().Take(20).Select(PlainTextOf)) + (e.Cast<object?>().Skip(20).Any() ? " ... (more)" : "") + " ]",
        _ => value.ToString() ?? "",
    };

    private IReadOnlyList<ConventionFormatter> For(Type type) => _byType.GetOrAdd(type, static t =>
    {
        for (var at = t; at is not null; at = at.BaseType)
            foreach (var attribute in at.GetCustomAttributes(inherit: false))
            {
                var attributeType = attribute.GetType();
                if (attributeType.Name != "TypeFormatterSourceAttribute") continue;
                if (attributeType.GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) continue;
                var source = Activator.CreateInstance(sourceType, nonPublic: true);
                var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
                if (source is null || create?.Invoke(source, null) is not IEnumerable made) continue;
                return made.Cast<object>().Select(ConventionFormatter.From).OfType<ConventionFormatter>().ToArray();
            }
        return [];
    });

    /// <summary>One formatter the convention found: an object with a MimeType and a bool Format(object, TextWriter).</summary>
    private sealed class ConventionFormatter(string mimeType, object target, MethodInfo format)
    {
        public string MimeType => mimeType;

        public static ConventionFormatter? From(object formatter)
        {
            var type = formatter.GetType();
            var format = type.GetMethod("Format", [typeof(object), typeof(TextWriter)]);
            return type.GetProperty("MimeType")?.GetValue(formatter) is string mime && format is not null
                ? new ConventionFormatter(mime, formatter, format) : null;
        }

        public string? TryFormat(object value)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            return format.Invoke(target, [value, writer]) is true ? writer.ToString() : null;
        }
    }
}
