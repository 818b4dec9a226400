using System.Collections.Generic;
using System.IO;

namespace Micrograd.Pictures.Display;

/// <summary>Hands the kernel one formatter per picture type (by the kernel's naming convention).</summary>
internal sealed class FormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new HtmlFormatter();
        yield return new PlainTextFormatter();
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

/// <summary>The plain-text form, for viewers that cannot show HTML: a Value's repr, a picture's size.</summary>
internal sealed class PlainTextFormatter
{
    public string MimeType => "text/plain";

    public bool Format(object instance, TextWriter writer)
    {
        string? text = Html.PlainText(instance);
        if (text is null) return false;
        writer.Write(text);
        return true;
    }
}
