using System;
using Micrograd;

namespace Micrograd.Tests.Engine;

public sealed class ValueTests
{
    [Fact]
    public void Micrograd_readme_example_gives_the_published_numbers()
    {
        var a = new Value(-4.0);
        var b = new Value(2.0);
        var c = a + b;
        var d = a * b + b.Pow(3);
        c += c + 1;
        c += 1 + c + (-a);
        d += d * 2 + (b + a).Relu();
        d += 3 * d + (b - a).Relu();
        var e = c - d;
        var f = e.Pow(2);
        var g = f / 2.0;
        g += 10.0 / f;
        g.Backward();

        Assert.Equal(24.70408163265306, g.Data, 1e-6);
        Assert.Equal(138.83381924198252, a.Grad, 1e-6);
        Assert.Equal(645.5772594752186, b.Grad, 1e-6);
    }

    [Fact]
    public void Micrograd_sanity_check()
    {
        var x = new Value(-4.0);
        var z = 2 * x + 2 + x;
        var q = z.Relu() + z * x;
        var h = (z * z).Relu();
        var y = h + q + q * x;
        y.Backward();

        Assert.Equal(-20, y.Data);
        Assert.Equal(46, x.Grad);
    }

    [Fact]
    public void Lecture_expression_L_equals_d_times_f()
    {
        var (a, b, c, e, d, f, L) = Lecture.L();
        L.Backward();

        Assert.Equal(-8, L.Data);
        Assert.Equal(6, a.Grad);
        Assert.Equal(-4, b.Grad);
        Assert.Equal(-2, c.Grad);
        Assert.Equal(-2, e.Grad);
        Assert.Equal(-2, d.Grad);
        Assert.Equal(4, f.Grad);
    }

    [Fact]
    public void Lecture_tanh_neuron()
    {
        var (o, x1, x2, w1, w2) = Lecture.Neuron(n => n.Tanh());
        Assert.Equal(0.7071067811865476, o.Data, 1e-15);
        Assert.Equal(-1.5, x1.Grad, 1e-12);
        Assert.Equal(1.0, w1.Grad, 1e-12);
        Assert.Equal(0.0, w2.Grad);
        Assert.Equal(0.5, x2.Grad, 1e-12);
        Assert.Equal("tanh", o.Op);
    }

    [Fact]
    public void Lecture_tanh_neuron_with_tanh_built_from_exp()
    {
        var (o, x1, x2, w1, w2) = Lecture.Neuron(Lecture.TanhFromExp);
        Assert.Equal(0.7071067811865476, o.Data, 1e-12);
        Assert.Equal(-1.5, x1.Grad, 1e-12);
        Assert.Equal(1.0, w1.Grad, 1e-12);
        Assert.Equal(0.0, w2.Grad);
        Assert.Equal(0.5, x2.Grad, 1e-12);
    }

    [Fact]
    public void A_value_used_twice_accumulates_its_gradient()
    {
        var a = new Value(3.0);
        var b = a + a;
        b.Backward();
        Assert.Equal(2, a.Grad);
        Assert.Equal(new[] { a, a }, b.Children);
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_zeroed()
    {
        var a = new Value(3.0);
        var y = a * a;
        y.Backward();
        y.Backward();
        Assert.Equal(12, a.Grad); // 6 + 6: micrograd's += semantics
    }

    [Fact]
    public void Ops_children_and_labels_mirror_micrograd()
    {
        var a = new Value(2, "a");
        var b = new Value(3, "b");
        Assert.Equal("", a.Op);
        Assert.Empty(a.Children);
        Assert.Equal("+", (a + b).Op);
        Assert.Equal("*", (a * b).Op);
        Assert.Equal("**2", a.Pow(2).Op);
        Assert.Equal("**-1", a.Pow(-1).Op);
        Assert.Equal("**2.5", a.Pow(2.5).Op);
        Assert.Equal("exp", a.Exp().Op);
        Assert.Equal("log", a.Log().Op);
        Assert.Equal("tanh", a.Tanh().Op);
        Assert.Equal("ReLU", a.Relu().Op);
        Assert.Equal("sigmoid", a.Sigmoid().Op);
        Assert.Equal(new[] { a, b }, (a * b).Children);
        Assert.Equal(new[] { a }, a.Exp().Children);
        // derived ops are compositions, as in micrograd
        Assert.Equal("*", (-a).Op);
        Assert.Equal("+", (a - b).Op);
        Assert.Equal("*", (a / b).Op);
    }

    [Fact]
    public void Plain_numbers_on_either_side()
    {
        var a = new Value(6);
        Assert.Equal(8, (a + 2).Data);
        Assert.Equal(8, (2 + a).Data);
        Assert.Equal(4, (a - 2).Data);
        Assert.Equal(-4, (2 - a).Data);
        Assert.Equal(12, (a * 2).Data);
        Assert.Equal(12, (2 * a).Data);
        Assert.Equal(3, (a / 2).Data);
        Assert.Equal(0.5, (3 / a).Data);
        Assert.Equal(-6, (-a).Data);
    }

    [Fact]
    public void Tanh_and_sigmoid_are_safe_at_extremes()
    {
        Assert.Equal(1, new Value(1000).Tanh().Data);
        Assert.Equal(-1, new Value(-1000).Tanh().Data);
        Assert.Equal(1, new Value(1000).Sigmoid().Data);
        Assert.Equal(0, new Value(-1000).Sigmoid().Data);
        var t = new Value(1000);
        var y = t.Tanh();
        y.Backward();
        Assert.Equal(0, t.Grad);
    }

    [Fact]
    public void Relu_at_zero_passes_no_gradient_like_micrograd()
    {
        var x = new Value(0);
        var y = x.Relu();
        y.Backward();
        Assert.Equal(0, y.Data);
        Assert.Equal(0, x.Grad);
    }

    [Fact]
    public void ToString_is_like_micrograds_repr()
    {
        var a = new Value(2.5);
        Assert.Equal("Value(data=2.5, grad=0)", a.ToString());
        var y = a * 2;
        y.Backward();
        Assert.Equal("Value(data=2.5, grad=2)", a.ToString());
    }

    [Fact]
    public void Log_of_a_non_positive_value_names_the_operation_and_operand()
    {
        var ex = Assert.Throws<ValueDomainException>(() => new Value(-1, "x").Log());
        Assert.Equal("Log: the operand must be positive, got 'x' = Value(data=-1, grad=0)", ex.Message);
        Assert.Throws<ValueDomainException>(() => new Value(0).Log());
    }

    [Fact]
    public void Division_by_zero_names_both_operands()
    {
        var ex = Assert.Throws<ValueDomainException>(() => new Value(3, "a") / new Value(0, "b"));
        Assert.Equal("Division: the divisor is zero: 'a' = Value(data=3, grad=0) / 'b' = Value(data=0, grad=0)", ex.Message);
    }

    [Fact]
    public void Zero_to_a_negative_power_is_an_error()
    {
        var ex = Assert.Throws<ValueDomainException>(() => new Value(0, "z").Pow(-2));
        Assert.Equal("Pow: 0 to the negative power -2 is undefined, base 'z' = Value(data=0, grad=0)", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void A_non_finite_exponent_is_an_error(double k, string shown)
    {
        var ex = Assert.Throws<ValueDomainException>(() => new Value(2).Pow(k));
        Assert.Equal($"Pow: the exponent must be a finite number, got {shown}, base Value(data=2, grad=0)", ex.Message);
    }

    [Fact]
    public void Everything_else_follows_ieee_doubles()
    {
        Assert.True(double.IsPositiveInfinity(new Value(1000).Exp().Data));
        Assert.True(double.IsNaN(new Value(-8).Pow(1.0 / 3).Data));
        Assert.Equal(0, new Value(0).Pow(2).Data);
    }
}
