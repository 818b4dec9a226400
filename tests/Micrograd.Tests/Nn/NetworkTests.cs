using System;
using System.Linq;
using Micrograd;
using Micrograd.Data;
using Micrograd.Nn;

namespace Micrograd.Tests.Nn;

public sealed class NetworkTests
{
    [Fact]
    public void Lecture_mlp_has_41_parameters_in_micrograds_order()
    {
        var model = MLP.Lecture(3, [4, 4, 1], seed: 7);
        var ps = model.Parameters();
        Assert.Equal(41, ps.Count);
        var first = model.Layers[0].Neurons[0];
        Assert.Equal(new[] { first.W[0], first.W[1], first.W[2], first.B }, ps.Take(4));
        Assert.Same(model.Layers[2].Neurons[0].B, ps[^1]);
        Assert.All(ps, p => Assert.InRange(p.Data, -1, 1));
        Assert.Contains(ps, p => p.Data != 0 && model.Layers.SelectMany(l => l.Neurons).Any(n => n.B == p));
    }

    [Fact]
    public void Micrograd_mlp_starts_with_zero_biases_and_a_linear_output()
    {
        var model = MLP.Micrograd(2, [16, 16, 1], seed: 1);
        Assert.Equal(337, model.Parameters().Count);
        Assert.All(model.Layers.SelectMany(l => l.Neurons), n => Assert.Equal(0, n.B.Data));
        Assert.Equal(Activation.ReLU, model.Layers[0].Neurons[0].Activation);
        Assert.Equal(Activation.Linear, model.Layers[2].Neurons[0].Activation);
        Assert.Equal("+", model.Call([0.5, -0.5]).Op); // linear output: the last op is the bias sum
    }

    [Fact]
    public void The_same_seed_gives_the_same_network_and_another_seed_does_not()
    {
        double[] Weights(int seed) => MLP.Lecture(3, [4, 4, 1], seed).Parameters().Select(p => p.Data).ToArray();
        Assert.Equal(Weights(42), Weights(42));
        Assert.NotEqual(Weights(42), Weights(43));
    }

    [Fact]
    public void Neuron_output_is_act_of_b_plus_w_dot_x()
    {
        var n = new Neuron(2, Activation.Tanh, new Random(3), randomBias: true);
        n.W[0].Data = 0.5; n.W[1].Data = -1; n.B.Data = 0.25;
        var y = n.Call([new Value(2), new Value(1)]);
        Assert.Equal(Math.Tanh(0.25 + 1 - 1), y.Data, 1e-15);
    }

    [Fact]
    public void Calling_a_one_neuron_layer_gives_a_value_and_a_wider_layer_says_to_use_forward()
    {
        var random = new Random(0);
        var one = new Layer(2, 1, Activation.Tanh, random);
        Assert.Equal("tanh", one.Call([new Value(1), new Value(2)]).Op);
        var four = new Layer(2, 4, Activation.Tanh, random);
        Assert.Equal(4, four.Forward([new Value(1), new Value(2)]).Length);
        var ex = Assert.Throws<InvalidOperationException>(() => four.Call([new Value(1), new Value(2)]));
        Assert.Contains("Forward(x)", ex.Message);
    }

    [Fact]
    public void A_wrong_number_of_inputs_is_named()
    {
        var model = MLP.Lecture(3, [4, 1]);
        var ex = Assert.Throws<ArgumentException>(() => model.Call([1.0, 2.0]));
        Assert.StartsWith("Neuron: expected 3 inputs, got 2", ex.Message);
    }

    [Fact]
    public void ZeroGrad_resets_every_parameter()
    {
        var model = MLP.Lecture(3, [4, 4, 1], seed: 1);
        model.Call([2.0, 3.0, -1.0]).Backward();
        Assert.Contains(model.Parameters(), p => p.Grad != 0);
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Equal(0, p.Grad));
    }

    [Fact]
    public void Generated_moons_are_seeded_balanced_and_shaped_like_two_moons()
    {
        var a = Moons.Generate(200, 0.1, seed: 5);
        var b = Moons.Generate(200, 0.1, seed: 5);
        Assert.Equal(a.X.SelectMany(p => p), b.X.SelectMany(p => p));
        Assert.NotEqual(a.X.SelectMany(p => p), Moons.Generate(200, 0.1, seed: 6).X.SelectMany(p => p));
        Assert.Equal(100, a.Y.Count(y => y == 1));
        // Without noise every point lies on its circle: the upper moon around (0, 0), the lower around (1, 0.5).
        var clean = Moons.Generate(50, 0, seed: 1);
        for (int i = 0; i < clean.Count; i++)
        {
            var (cx, cy) = clean.Y[i] < 0 ? (0.0, 0.0) : (1.0, 0.5);
            Assert.Equal(1, Math.Sqrt(Math.Pow(clean.X[i][0] - cx, 2) + Math.Pow(clean.X[i][1] - cy, 2)), 1e-12);
            Assert.True(clean.Y[i] < 0 ? clean.X[i][1] >= -1e-12 : clean.X[i][1] <= 0.5 + 1e-12);
        }
    }
}
