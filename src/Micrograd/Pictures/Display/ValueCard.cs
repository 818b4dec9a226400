
namespace Micrograd.Pictures.Display;

/// <summary>A Value as a small card: label, data, grad and the op that made it.</summary>
public static class ValueCard
{
    public static string Render(Value v)
    {
        string label = v.Label.Length > 0 ? $"<b>{Text.Escape(v.Label)}</b> " : "";
        string op = v.Op.Length > 0 ? $" <span style=\"color:#666\">← {Text.Escape(v.Op)}</span>" : "";
        return "<div class=\"mg-value\" style=\"display:inline-block;font:13px ui-monospace,monospace;" +
               "border:1px solid #bbb;border-radius:6px;padding:3px 8px;background:#fafafa;color:#1d1d1d\">" +
               $"{label}data {Text.Num(v.Data)} | grad {Text.Num(v.Grad)}{op}</div>";
    }
}
