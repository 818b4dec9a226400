using System.Linq;
using Micrograd.Notebooks.Jupyter;

namespace Micrograd.Kernel.Tests;

/// <summary>The editor's view of a session: the latest declaration of each name, as one script.</summary>
public sealed class SessionDeclarationsTests
{
    [Fact]
    public void References_and_usings_come_first_then_the_latest_declaration_of_each_name_in_the_order_they_last_ran()
    {
        var declarations = new SessionDeclarations();
        declarations.Add("#r \"../lib/Engine.dll\"\nusing Engine;\nvar a = 1;\nint b = 2, c = 3;\nConsole.WriteLine(a);");
        declarations.Add("/// <summary>Doubles.</summary>\nint Twice(int x) => 2 * x;\nclass Shape { public int Corners; }\nfor (int i = 0; i < 3; i++) a += i;");
        declarations.Add("using Engine;\nvar a = \"text\";\nclass Shape { public double Radius; }\nvar (left, right) = (1, 2);\nint.TryParse(\"4\", out var parsed);");
        Assert.Equal(
            """
            #r "../lib/Engine.dll"
            using Engine;
            int b = 2;
            int c = 3;
            /// <summary>Doubles.</summary>
            int Twice(int x) => 2 * x;
            var a = "text";
            class Shape { public double Radius; }
            var (left, right) = (1, 2);
            int.TryParse("4", out var parsed);

            """.ReplaceLineEndings("\n"), declarations.Text);
    }

    [Fact]
    public void A_thousand_cells_that_declare_one_name_again_leave_one_declaration()
    {
        var declarations = new SessionDeclarations();
        for (int i = 0; i < 1000; i++) declarations.Add($"var total = {i};\nConsole.WriteLine(total);");
        Assert.Equal("var total = 999;\n", declarations.Text);
    }
}
