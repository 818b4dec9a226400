using BenchmarkDotNet.Attributes;
using Micrograd.Data;

namespace Micrograd.Benchmarks;

[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly Dataset _data = MicrogradDemo.Moons();
    private readonly double[] _weights = Workloads.Weights();

    [Benchmark(Description = "micrograd demo, 100 training steps")]
    public double DemoTraining() => Workloads.DemoTraining(_data, _weights);

    [Benchmark(Description = "1M-node chain, forward + backward")]
    public double MillionNodeChain() => Workloads.MillionNodeChain();
}
