using System;
using System.Collections.Generic;
using System.Linq;

namespace Micrograd.Pictures.Graphs;

/// <summary>
/// Frames of one graph in one SVG: the layout and the ops are drawn once, each frame's values in
/// their own group. All but the last frame are hidden, so without JavaScript the end state shows;
/// a few lines of plain JavaScript add a slider and a play button. The step count is in the caption
/// only ("step 3 of 7: …"), so there is one count whether or not the script runs.
/// </summary>
internal static class BackpropView
{
    public static Picture Render(ComputationGraph graph, GraphOptions options,
        IReadOnlyList<(IReadOnlyList<NodeView> State, int? Current, string Caption)> frames)
    {
        const double captionFont = 14, lineHeight = 18;
        var drawing = new GraphDrawing(graph, options with { Title = null }, frames.Select(f => f.State).ToArray());
        // Captions wrap to the graph's width (at least 60 characters) instead of widening the picture.
        int perLine = Math.Max(60, (int)((drawing.Width - 24) / (captionFont * SvgWriter.CharWidth)));
        var lines = frames.Select(f => Wrap(f.Caption, perLine)).ToArray();
        double captionHeight = lines.Max(l => l.Count) * lineHeight + 10;
        double captionWidth = lines.Max(l => l.Max(line => SvgWriter.TextWidth(line, captionFont))) + 24;
        string svgText = drawing.Render(svg =>
        {
            for (int k = 0; k < frames.Count; k++)
            {
                bool last = k == frames.Count - 1;
                svg.Open("g", $"class=\"mg-frame\" data-frame=\"{k}\"{(last ? "" : " display=\"none\"")}");
                drawing.DrawValues(svg, frames[k].State, frames[k].Current);
                // One text element, a tspan a line; each line keeps its trailing space so the text reads whole.
                double y = drawing.Height + 5 + lineHeight / 2;
                svg.Raw($"<text class=\"caption\" x=\"12\" y=\"{Text.Coord(y)}\" dominant-baseline=\"central\" font-size=\"{Text.Coord(captionFont)}\" fill=\"#222\">");
                for (int i = 0; i < lines[k].Count; i++)
                    svg.Raw($"<tspan x=\"12\" dy=\"{(i == 0 ? "0" : Text.Coord(lineHeight))}\">{Text.Escape(lines[k][i])}</tspan>");
                svg.Raw("</text>\n");
                svg.Close("g");
            }
        }, footer: captionHeight, minWidth: captionWidth);

        string id = "mg-steps-" + Hash.Hex(svgText);
        // The controls and the caption sit in a box of their own colours, so they read on a dark page.
        // With the script running, the caption is shown as page text under the slider (readable however
        // far the picture is scaled down) and the SVG's own copy is hidden: one caption, one count.
        string html =
            $"<div class=\"mg-steps\" id=\"{id}\" style=\"background:#ffffff;color:#1d1d1d;border-radius:4px;padding:4px\">\n" +
            $"<div class=\"mg-steps-controls\" style=\"font:13px sans-serif;margin:4px 0\">" +
            $"<button type=\"button\" class=\"mg-play\">▶ play</button> " +
            $"<input type=\"range\" class=\"mg-slider\" aria-label=\"backprop step\" min=\"0\" max=\"{frames.Count - 1}\" value=\"{frames.Count - 1}\" style=\"width:320px;max-width:60%;vertical-align:middle\"></div>\n" +
            "<div class=\"mg-caption\" aria-live=\"polite\" style=\"font:14px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:2px 0 6px;min-height:1.3em\"></div>\n" +
            svgText +
            "<script>(function () {\n" +
            $"  var root = document.getElementById('{id}');\n" +
            "  var frames = root.querySelectorAll('.mg-frame'), caption = root.querySelector('.mg-caption');\n" +
            "  var slider = root.querySelector('.mg-slider');\n" +
            "  var play = root.querySelector('.mg-play'), timer = null;\n" +
            "  var texts = [];\n" +
            "  for (var i = 0; i < frames.length; i++) {\n" +
            "    var t = frames[i].querySelector('.caption');\n" +
            "    texts.push(t ? t.textContent : '');\n" +
            "    if (t) t.setAttribute('display', 'none');\n" +
            "  }\n" +
            "  function show(k) {\n" +
            "    for (var i = 0; i < frames.length; i++) frames[i].setAttribute('display', i === k ? 'inline' : 'none');\n" +
            "    slider.value = k; caption.textContent = texts[k];\n" +
            "  }\n" +
            "  slider.addEventListener('input', function () { show(parseInt(slider.value, 10)); });\n" +
            "  play.addEventListener('click', function () {\n" +
            "    if (timer) { clearInterval(timer); timer = null; play.textContent = '▶ play'; return; }\n" +
            "    var k = parseInt(slider.value, 10) >= frames.length - 1 ? 0 : parseInt(slider.value, 10);\n" +
            "    show(k); play.textContent = '❚❚ pause';\n" +
            "    timer = setInterval(function () {\n" +
            "      if (k >= frames.length - 1) { clearInterval(timer); timer = null; play.textContent = '▶ play'; return; }\n" +
            "      show(++k);\n" +
            "    }, 1200);\n" +
            "  });\n" +
            "  show(frames.length - 1);\n" +
            "})();</script>\n</div>\n";
        return new Picture(svgText, html);
    }

    /// <summary>Splits text into lines of at most <paramref name="width"/> characters at spaces; each line but the last keeps its trailing space.</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        int start = 0;
        while (text.Length - start > width)
        {
            int cut = text.LastIndexOf(' ', start + width, width);
            if (cut <= start) cut = start + width - 1; // no space: break the word
            lines.Add(text[start..(cut + 1)]);
            start = cut + 1;
        }
        lines.Add(text[start..]);
        return lines;
    }
}

/// <summary>A short, stable hash for element ids: the same picture always gets the same id.</summary>
internal static class Hash
{
    public static string Hex(string text)
    {
        ulong h = 14695981039346656037UL; // FNV-1a, 64 bit
        foreach (char c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h.ToString("x16");
    }
}
