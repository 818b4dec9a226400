using System;
using System.Collections.Generic;
using System.Globalization;

namespace Micrograd.Pictures.Charts;

/// <summary>A chart axis: a range rounded out to "nice" ticks (1, 2 or 5 times a power of ten).</summary>
public sealed record Axis(double Min, double Max, IReadOnlyList<double> Ticks)
{
    /// <summary>Nice ticks covering [lo, hi], about <paramref name="target"/> of them; the range grows to the outer ticks.</summary>
    public static Axis Nice(double lo, double hi, int target = 6)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) (lo, hi) = (0, 1);
        if (lo > hi) (lo, hi) = (hi, lo);
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            (lo, hi) = (lo - pad, hi + pad);
        }
        double step = NiceStep((hi - lo) / Math.Max(1, target - 1));
        double first = Math.Floor(lo / step + 1e-9) * step, last = Math.Ceiling(hi / step - 1e-9) * step;
        var ticks = new List<double>();
        for (int i = 0; ; i++)
        {
            double t = first + i * step;
            if (t > last + step * 1e-6) break;
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : Math.Round(t, 12));
        }
        return new Axis(ticks[0], ticks[^1], ticks);
    }

    /// <summary>The tick spacing: the 1, 2 or 5 × 10^k nearest to <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / power;
        double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nice * power;
    }

    /// <summary>A tick label with just the decimals its spacing needs.</summary>
    public string Label(double t)
    {
        double step = Ticks.Count > 1 ? Ticks[1] - Ticks[0] : 1;
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        if (Math.Abs(t) >= 1e6 || (Math.Abs(t) > 0 && Math.Abs(t) < 1e-4))
            return t.ToString("0.###e0", CultureInfo.InvariantCulture);
        return t.ToString("F" + Math.Min(decimals, 10), CultureInfo.InvariantCulture);
    }
}
