using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Micrograd.Tests.Pictures;

/// <summary>Reads back what a graph SVG drew: its value boxes, op ovals and edges.</summary>
internal sealed class SvgShapes
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public SvgShapes(string svg)
    {
        Doc = XDocument.Parse(svg); // throws unless well-formed
        Values = Groups("node value").Select(g =>
        {
            var r = g.Elements(Ns + "rect").First();
            return new Box(D(r, "x"), D(r, "y"), D(r, "width"), D(r, "height"));
        }).ToList();
        Ops = Groups("node op").Select(g =>
        {
            var e = g.Element(Ns + "ellipse")!;
            return new Box(D(e, "cx") - D(e, "rx"), D(e, "cy") - D(e, "ry"), 2 * D(e, "rx"), 2 * D(e, "ry"));
        }).ToList();
        Edges = Doc.Descendants(Ns + "path").Where(p => (string?)p.Attribute("class") == "edge").Select(p =>
        {
            var nums = Regex.Matches((string)p.Attribute("d")!, @"-?\d+(\.\d+)?").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
            return (Start: (nums[0], nums[1]), End: (nums[^2], nums[^1]));
        }).ToList();
    }

    public XDocument Doc { get; }
    public List<Box> Values { get; }
    public List<Box> Ops { get; }
    public List<((double X, double Y) Start, (double X, double Y) End)> Edges { get; }

    public IEnumerable<Box> AllBoxes => Values.Concat(Ops);

    private IEnumerable<XElement> Groups(string cls) =>
        Doc.Descendants(Ns + "g").Where(g => (string?)g.Attribute("class") == cls);

    private static double D(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    internal sealed record Box(double X, double Y, double W, double H)
    {
        public bool Overlaps(Box o) => X < o.X + o.W && o.X < X + W && Y < o.Y + o.H && o.Y < Y + H;
    }
}
