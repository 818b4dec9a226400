using System.Collections.Generic;
using System.IO;

namespace Micrograd.Pictures.Display;

/// <summary>Hands the kernel one formatter per picture type (by the kernel's naming convention).</summary>
internal sealed class FormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new HtmlFormatter();
    }
}

/// <summary>Writes the HTML of anything this library can draw.</summary>
internal sealed class HtmlFormatter
{
    public string MimeType => "text/html";

    public bool Format(object instance, TextWriter writer)
    {
        string? html = Html.Of(instance);
        if (html is null) return false;
        writer.Write(html);
        return true;
    }
}
