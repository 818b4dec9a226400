using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Micrograd.Pictures.Charts;

/// <summary>
/// A chart axis: a range rounded out to "nice" ticks (1, 2 or 5 times a power of ten). A log axis
/// (<see cref="IsLog"/>) keeps its range and ticks as powers of ten: Min, Max and Ticks are exponents.
/// </summary>
public sealed record Axis(double Min, double Max, IReadOnlyList<double> Ticks)
{
    /// <summary>True for a logarithmic axis, whose Min, Max and Ticks are base-10 exponents.</summary>
    public bool IsLog { get; init; }

    /// <summary>The steps, in decades, a log axis may take between ticks: every decade, every 2nd, 3rd, 5th, …</summary>
    private static readonly int[] DecadeSteps = [1, 2, 3, 5, 10, 20, 25, 50, 100];

    /// <summary>
    /// A log axis over [lo, hi] (both positive): the whole decades around them, ticks at powers of
    /// ten only, and when that would be more than <paramref name="maxTicks"/> ticks, only every 2nd,
    /// 3rd, 5th, 10th… decade (the gap rule), so the labels never crowd.
    /// </summary>
    public static Axis Log(double lo, double hi, int maxTicks = 10)
    {
        if (!(lo > 0) || !double.IsFinite(lo)) lo = hi > 0 && double.IsFinite(hi) ? hi / 10 : 0.1;
        if (!(hi > 0) || !double.IsFinite(hi)) hi = lo * 10;
        if (lo > hi) (lo, hi) = (hi, lo);
        // A hair of tolerance so 1000 counts as 10³ even where log10 rounds just past it.
        int a = (int)Math.Floor(Math.Log10(lo) + 1e-9), b = (int)Math.Ceiling(Math.Log10(hi) - 1e-9);
        if (b <= a) b = a + 1;
        maxTicks = Math.Max(2, maxTicks);
        int step = DecadeSteps.FirstOrDefault(s => FloorDiv(b, s) - CeilDiv(a, s) + 1 <= maxTicks);
        if (step == 0) step = (int)Math.Ceiling((b - a) / (double)(maxTicks - 1));
        var ticks = new List<double>();
        for (int k = CeilDiv(a, step) * step; k <= b; k += step) ticks.Add(k);
        if (ticks.Count < 2) ticks = [a, b]; // a range narrower than the step: its two ends
        return new Axis(a, b, ticks) { IsLog = true };
    }

    private static int FloorDiv(int x, int d) => (int)Math.Floor(x / (double)d);
    private static int CeilDiv(int x, int d) => (int)Math.Ceiling(x / (double)d);

    /// <summary>10^k as a label: plain from 0.001 to 1000, else "10⁻⁷" (never "0.0000001").</summary>
    public static string PowerOfTen(int k) => k switch
    {
        >= 0 and <= 3 => Math.Pow(10, k).ToString("0", CultureInfo.InvariantCulture),
        < 0 and >= -3 => "0." + new string('0', -k - 1) + "1",
        _ => "10" + Superscript(k),
    };

    /// <summary>The superscript digits 0 to 9, in order.</summary>
    internal const string SuperscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private static string Superscript(int k)
    {
        var sb = new System.Text.StringBuilder(k < 0 ? "⁻" : "");
        foreach (char c in Math.Abs(k).ToString(CultureInfo.InvariantCulture)) sb.Append(SuperscriptDigits[c - '0']);
        return sb.ToString();
    }

    /// <summary>Where a data value sits on the axis, from 0 (Min) to 1 (Max); NaN if a log axis gets a value ≤ 0.</summary>
    public double Fraction(double value)
    {
        double v = IsLog ? (value > 0 ? Math.Log10(value) : double.NaN) : value;
        return (v - Min) / (Max - Min);
    }

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
        if (IsLog) return PowerOfTen((int)Math.Round(t));
        double step = Ticks.Count > 1 ? Ticks[1] - Ticks[0] : 1;
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        if (Math.Abs(t) >= 1e6 || (Math.Abs(t) > 0 && Math.Abs(t) < 1e-4))
            return t.ToString("0.###e0", CultureInfo.InvariantCulture);
        return t.ToString("F" + Math.Min(decimals, 10), CultureInfo.InvariantCulture);
    }
}
