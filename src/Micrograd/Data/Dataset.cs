using System.Collections.Generic;

namespace Micrograd.Data;

/// <summary>2-D points with labels -1 or +1.</summary>
public sealed record Dataset(IReadOnlyList<double[]> X, IReadOnlyList<int> Y)
{
    public int Count => Y.Count;
}
