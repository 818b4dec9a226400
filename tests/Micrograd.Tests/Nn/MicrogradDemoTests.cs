using System;
using System.Linq;
using Micrograd;
using Micrograd.Data;
using Micrograd.Nn;

namespace Micrograd.Tests.Nn;

public sealed class MicrogradDemoTests
{
    [Fact]
    public void Shipped_data_has_the_documented_shape()
    {
        var moons = MicrogradDemo.Moons();
        Assert.Equal(100, moons.Count);
        Assert.All(moons.X, p => Assert.Equal(2, p.Length));
        Assert.Equal(50, moons.Y.Count(y => y == 1));
        Assert.Equal(50, moons.Y.Count(y => y == -1));
        Assert.Equal(337, MicrogradDemo.InitialWeights().Count);
        Assert.Equal(Enumerable.Range(0, 100), MicrogradDemo.PublishedSteps().Select(s => s.Index));
    }

    /// <summary>micrograd's demo.ipynb, step for step: every published loss to 1e-9, every accuracy exactly.</summary>
    [Fact]
    public void Training_reproduces_every_published_loss_and_accuracy()
    {
        var data = MicrogradDemo.Moons();
        var model = MLP.Micrograd(2, [16, 16, 1]);
        var parameters = model.Parameters();
        Assert.Equal(337, parameters.Count);
        foreach (var (p, w) in parameters.Zip(MicrogradDemo.InitialWeights()))
            p.Data = w;

        foreach (var published in MicrogradDemo.PublishedSteps())
        {
            var (loss, accuracy) = MicrogradDemo.Loss(model, data);
            Assert.True(Math.Abs(loss.Data - published.Loss) <= 1e-9,
                $"step {published.Index}: loss {loss.Data:R}, published {published.Loss:R}");
            Assert.Equal(published.AccuracyPercent, accuracy * 100);

            model.ZeroGrad();
            loss.Backward();
            double lr = MicrogradDemo.LearningRate(published.Index);
            foreach (var p in parameters)
                p.Data -= lr * p.Grad;
        }
    }
}
