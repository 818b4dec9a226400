using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Micrograd.Data;

/// <summary>
/// The figures behind micrograd's demo.ipynb, shipped inside this assembly
/// (see data/micrograd-demo/README.md for where they come from).
/// </summary>
public static class MicrogradDemo
{
    /// <summary>One published step of the demo: its loss and accuracy (percent).</summary>
    public sealed record Step(int Index, double Loss, double AccuracyPercent);

    /// <summary>The 100 moons points of the demo, labels -1 or +1.</summary>
    public static Dataset Moons() => Load("moons.csv", rows =>
        new Dataset(rows.Select(r => new[] { r[0], r[1] }).ToArray(), rows.Select(r => (int)r[2]).ToArray()), columns: 3);

    /// <summary>The 337 initial parameters of MLP(2, [16, 16, 1]) after random.seed(1337), in Parameters() order.</summary>
    public static IReadOnlyList<double> InitialWeights() => Load("initial-weights.csv", rows => rows.Single(), header: false);

    /// <summary>The published loss and accuracy of each of the 100 training steps.</summary>
    public static IReadOnlyList<Step> PublishedSteps() => Load("losses.csv", rows =>
        rows.Select(r => new Step((int)r[0], r[1], r[2])).ToArray(), columns: 3);

    /// <summary>The demo's learning rate at step k: 1.0 - 0.9*k/100.</summary>
    public static double LearningRate(int step) => 1.0 - 0.9 * step / 100;

    /// <summary>
    /// The demo's loss for the whole dataset, computed exactly as demo.ipynb does: the max-margin
    /// loss mean(relu(1 - y*score)) plus alpha * sum(p*p), and the share of points classified right.
    /// </summary>
    public static (Value Loss, double Accuracy) Loss(Nn.MLP model, Dataset data, double alpha = 1e-4)
    {
        var scores = data.X.Select(x => model.Call(x.Select(v => new Value(v)).ToArray())).ToArray();
        Value dataLoss = 0;
        for (int i = 0; i < data.Count; i++)
            dataLoss += (1 + -data.Y[i] * scores[i]).Relu();
        dataLoss *= 1.0 / data.Count;
        Value regLoss = 0;
        foreach (var p in model.Parameters())
            regLoss += p * p;
        var accuracy = Enumerable.Range(0, data.Count).Count(i => data.Y[i] > 0 == scores[i].Data > 0) / (double)data.Count;
        return (dataLoss + alpha * regLoss, accuracy);
    }

    private static T Load<T>(string file, Func<IReadOnlyList<double[]>, T> make, bool header = true, int columns = -1)
    {
        string name = "Micrograd.Data." + file;
        using var stream = typeof(MicrogradDemo).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{file}: not embedded in {typeof(MicrogradDemo).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Skip(header ? 1 : 0);
        var rows = lines.Select((line, i) =>
        {
            var row = line.Split(',').Select(cell => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            if (columns > 0 && row.Length != columns)
                throw new InvalidDataException($"{file}:{i + (header ? 2 : 1)}: expected {columns} columns, got {row.Length}");
            return row;
        }).ToArray();
        return make(rows);
    }
}
