namespace Micrograd.Pictures.Display;

/// <summary>The HTML a notebook shows for each of this library's types.</summary>
public static class Html
{
    /// <summary>The HTML for a Value or a picture; null for anything else.</summary>
    public static string? Of(object instance) => instance switch
    {
        Value v => ValueCard.Render(v),
        _ => null,
    };
}
