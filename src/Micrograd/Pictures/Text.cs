using System;
using System.Globalization;
using System.Text;

namespace Micrograd.Pictures;

/// <summary>Escaping and number formatting shared by every picture: invariant, deterministic.</summary>
public static class Text
{
    /// <summary>Escapes text for XML/HTML content and attribute values.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>A number with four decimals, as micrograd's graphs show them ("-0.0000" becomes "0.0000").</summary>
    public static string Num(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsInfinity(x)) return x > 0 ? "∞" : "-∞";
        string s = x.ToString("0.0000", CultureInfo.InvariantCulture);
        return s == "-0.0000" ? "0.0000" : s;
    }

    /// <summary>A coordinate for SVG: at most two decimals, invariant culture.</summary>
    public static string Coord(double x) => Math.Round(x, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
