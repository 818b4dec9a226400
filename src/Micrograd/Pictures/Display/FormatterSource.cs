using System;
using System.Collections.Generic;
using System.IO;

namespace Micrograd.Pictures.Display;

/// <summary>Hands the kernel this library's formatters (found by the kernel's naming convention).</summary>
internal sealed class FormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new TypeFormatter("text/html", Html.Of);
        yield return new TypeFormatter("text/plain", Html.PlainText);
    }
}

/// <summary>One MIME type's formatter, in the shape the kernel expects: a MimeType and a Format method.</summary>
internal sealed class TypeFormatter(string mimeType, Func<object, string?> render)
{
    public string MimeType => mimeType;

    public bool Format(object instance, TextWriter writer)
    {
        string? text = render(instance);
        if (text is null) return false;
        writer.Write(text);
        return true;
    }
}
