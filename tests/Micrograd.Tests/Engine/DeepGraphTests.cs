using Micrograd;

namespace Micrograd.Tests.Engine;

public sealed class DeepGraphTests
{
    /// <summary>micrograd's recursive sort dies near depth 1,000; ours walks with explicit stacks.</summary>
    [Fact]
    public void A_million_deep_chain_backpropagates()
    {
        const int depth = 1_000_000;
        var x = new Value(1.0, "x");
        Value y = x;
        for (int i = 0; i < depth; i++)
            y = y * 1.0 + 0.000001;   // dy/dx stays exactly 1 through every link
        y.Backward();

        Assert.Equal(1.0 + depth * 0.000001, y.Data, 1e-6);
        Assert.Equal(1.0, x.Grad);
    }

    [Fact]
    public void A_deep_chain_of_tanh_has_the_product_of_local_slopes()
    {
        var x = new Value(0.5);
        Value y = x;
        double expected = 1, v = 0.5;
        for (int i = 0; i < 2000; i++)
        {
            y = y.Tanh();
            v = System.Math.Tanh(v);
            expected *= 1 - v * v;
        }
        y.Backward();
        Assert.Equal(v, y.Data);
        Assert.Equal(expected, x.Grad, 1e-12);
    }

    [Fact]
    public void A_diamond_shaped_graph_counts_every_path()
    {
        // y = (a*b) * (a+b): dy/da = b(a+b) + ab = 2ab + b², with a shared subexpression used twice.
        var a = new Value(3);
        var b = new Value(-2);
        var s = a + b;
        var y = (a * b) * s + s * s;
        y.Backward();
        Assert.Equal(2 * 3 * -2 + 4 + 2 * (3 - 2), a.Grad);
        Assert.Equal(9 + 2 * 3 * -2 + 2 * (3 - 2), b.Grad);
    }
}
