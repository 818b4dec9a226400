using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Micrograd.Pictures.Graphs;

/// <summary>
/// The caption of one backprop step: which grads the step just set, by which rule, to what.
/// "n.grad = (1 − o²)·o.grad = 0.5 (tanh)"; "+=" where a grad already held something.
/// </summary>
internal static class StepCaption
{
    public const string Start = "before backprop: every grad is 0 (press ▶ or drag the slider)";

    public static string Seed(NodeView root, int stepCount) =>
        $"step 1 of {stepCount}: {Name(root)}.grad = 1 (the output: d{Name(root)}/d{Name(root)} = 1)";

    /// <param name="node">The node whose local backward step just ran.</param>
    /// <param name="children">Its inputs in the graph, each with how often the node uses it.</param>
    /// <param name="before">Every node's view before the step.</param>
    /// <param name="after">Every node's view after it.</param>
    public static string Step(int step, int stepCount, int node, IReadOnlyList<(int Child, int Count)> children,
        IReadOnlyList<NodeView> before, IReadOnlyList<NodeView> after)
    {
        var n = after[node];
        string outName = Operand(Name(n));
        var parts = new List<string>();
        var inputs = children.Select(c => Name(after[c.Child])).ToList();
        var operands = inputs.Select(Operand).ToList();
        for (int i = 0; i < children.Count; i++)
        {
            var (child, count) = children[i];
            string name = operands[i];
            string other = children.Count == 2 ? operands[1 - i] : "";
            string factor = LocalDerivative(n.Op, name, other, outName, count);
            double was = before[child].Grad, now = after[child].Grad;
            string formula = factor.Length == 0 ? $"{outName}.grad" : $"{factor}·{outName}.grad";
            parts.Add(was == 0
                ? $"{name}.grad = {formula} = {Short(now)}"
                : $"{name}.grad += {formula} = {Short(now - was)}, now {Short(now)}");
        }
        string rule = Rule(n.Op);
        string what = parts.Count == 0 ? $"{outName} has no inputs in this graph" : string.Join("; ", parts);
        return $"step {step} of {stepCount}: {what}{(rule.Length > 0 ? $" ({rule})" : "")}";
    }

    /// <summary>∂out/∂input for the ops the course meets, written with the values' names; "" for 1.</summary>
    private static string LocalDerivative(string op, string input, string other, string output, int count)
    {
        string times = count > 1 ? $"{count}·" : "";
        switch (op)
        {
            case "+": return count > 1 ? $"{count}" : "";
            case "*": return count > 1 ? $"{count}·{input}" : other.Length > 0 ? other : "∂/∂" + input;
            case "tanh": return $"{times}(1 − {output}²)";
            case "exp": return $"{times}{output}";
            case "log": return $"{times}(1/{input})";
            case "ReLU": return $"{times}[{output} > 0]";
            case "sigmoid": return $"{times}{output}·(1 − {output})";
        }
        if (op.StartsWith("**", System.StringComparison.Ordinal) &&
            double.TryParse(op[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out double k))
        {
            string kk = Short(k), km1 = Short(k - 1);
            string power = k - 1 == 1 ? input : $"{input}^{km1}";
            return times + (k - 1 == 0 ? kk : k == 1 ? "1" : $"{kk}·{power}");
        }
        return $"{times}∂{output}/∂{input}";
    }

    private static string Rule(string op)
    {
        if (op.StartsWith("**", System.StringComparison.Ordinal)) return "power rule";
        return op switch
        {
            "+" => "a sum passes its grad on unchanged",
            "*" => "a product: each input gets the other one times the grad",
            "tanh" => "tanh",
            "exp" => "exp: its own value",
            "log" => "log",
            "ReLU" => "ReLU: passes the grad only where the output is positive",
            "sigmoid" => "sigmoid",
            _ => "",
        };
    }

    /// <summary>A name inside a formula: in parentheses when it is itself an expression ("(x1*w1).grad").</summary>
    private static string Operand(string name) =>
        name.IndexOfAny([' ', '*', '+', '-', '/', '·']) > 0 && !(name.StartsWith('(') && name.EndsWith(')')) ? $"({name})" : name;

    /// <summary>A value's name: its label, or for an unlabelled constant its number.</summary>
    public static string Name(NodeView n) =>
        n.Label.Length > 0 ? n.Label : n.Op.Length == 0 ? Short(n.Data) : $"({n.Op})";

    /// <summary>A number as short as it can be, at most four decimals: 0.5, -1.5, 1, 0.0001.</summary>
    public static string Short(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsInfinity(x)) return x > 0 ? "∞" : "-∞";
        string s = System.Math.Round(x, 4).ToString("0.####", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }
}
