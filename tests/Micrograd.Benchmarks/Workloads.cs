using System.Linq;
using Micrograd.Data;
using Micrograd.Nn;

namespace Micrograd.Benchmarks;

/// <summary>The measured work, shared by the BenchmarkDotNet run and the quick mode.</summary>
public static class Workloads
{
    public const int ChainLinks = 500_000;           // two nodes a link: one "*", one "+"
    public const int ChainNodes = 2 * ChainLinks;

    /// <summary>micrograd's demo: 100 steps of MLP(2, [16, 16, 1]) on its moons, from its initial weights. Returns the last loss.</summary>
    public static double DemoTraining(Dataset data, double[] initialWeights, int steps = 100)
    {
        var model = MLP.Micrograd(2, [16, 16, 1]);
        var parameters = model.Parameters();
        for (int i = 0; i < parameters.Count; i++)
            parameters[i].Data = initialWeights[i];
        double last = 0;
        for (int k = 0; k < steps; k++)
        {
            var (loss, _) = MicrogradDemo.Loss(model, data);
            model.ZeroGrad();
            loss.Backward();
            double lr = MicrogradDemo.LearningRate(k);
            foreach (var p in parameters)
                p.Data -= lr * p.Grad;
            last = loss.Data;
        }
        return last;
    }

    /// <summary>A chain of a million nodes (y = y*a + b, repeated), built and back-propagated. Returns a's grad.</summary>
    public static double MillionNodeChain()
    {
        var a = new Value(1.0);
        var b = new Value(1e-6);
        var x = new Value(0.5);
        Value y = x;
        for (int i = 0; i < ChainLinks; i++)
            y = y * a + b;
        y.Backward();
        return x.Grad;
    }

    public static double[] Weights() => MicrogradDemo.InitialWeights().ToArray();
}
