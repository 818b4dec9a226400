using System;
using System.Linq;

namespace Micrograd.Data;

/// <summary>Two interleaving half circles, like scikit-learn's make_moons, labels -1 and +1.</summary>
public static class Moons
{
    /// <summary>
    /// n points: the upper moon (label -1) on the unit circle from angle 0 to π, the lower
    /// moon (label +1) shifted by (1, -0.5) and flipped; each point moved by Gaussian noise
    /// with standard deviation <paramref name="noise"/>; then shuffled. Same seed, same data.
    /// </summary>
    public static Dataset Generate(int n = 100, double noise = 0.1, int seed = 1337)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "make at least two points");
        if (noise < 0 || !double.IsFinite(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be a finite number ≥ 0");
        var random = new Random(seed);
        int nOuter = n / 2, nInner = n - nOuter;
        var points = Enumerable.Range(0, nOuter).Select(i => (Angle(i, nOuter), Label: -1))
            .Select(p => (X: Math.Cos(p.Item1), Y: Math.Sin(p.Item1), p.Label))
            .Concat(Enumerable.Range(0, nInner).Select(i => Angle(i, nInner))
                .Select(t => (X: 1 - Math.Cos(t), Y: 0.5 - Math.Sin(t), Label: 1)))
            .Select(p => (X: p.X + noise * Gaussian(random), Y: p.Y + noise * Gaussian(random), p.Label))
            .ToArray();
        random.Shuffle(points);
        return new Dataset(points.Select(p => new[] { p.X, p.Y }).ToArray(), points.Select(p => p.Label).ToArray());
    }

    private static double Angle(int i, int count) => count == 1 ? 0 : Math.PI * i / (count - 1);

    // Box–Muller: two uniform numbers make one standard normal one.
    private static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
