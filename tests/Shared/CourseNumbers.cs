using System.Collections.Generic;

namespace Micrograd.Course;

/// <summary>
/// Lines each course notebook must show, the lecture's key numbers among them. The runner's course
/// tests and the kernel's run of the Jupyter twins through nbclient hold the notebooks to the same
/// lines (this file is compiled into both test projects).
/// </summary>
internal static class CourseNumbers
{
    public static readonly IReadOnlyDictionary<string, string[]> Lines = new Dictionary<string, string[]>
    {
        ["01-derivatives"] =
        [
            "g = 24.7041, dg/da = 138.8338, dg/db = 645.5773   (micrograd's README: 24.7041, 138.8338, 645.5773)",
            "f(3) = 20",
            "slope at x = 3: 14.0003   (from calculus, f′(x) = 6x − 4 = 14)",
            "d = 4",
            "dd/da ≈ -3.0000   (exact: b = -3)",
            "dd/db ≈ 2.0000   (exact: a = 2)",
            "dd/dc ≈ 1.0000   (exact: 1)",
        ],
        ["02-value"] = ["L = -8"],
        ["03-manual-backprop"] =
        [
            "dL/dd = f = -2, dL/df = d = 4",
            "the car is 8 times as fast as the man",
            "dL/da = dL/de · b = -2 · -3 = 6;   dL/db = dL/de · a = -2 · 2 = -4",
            "a: nudge   6.0000   by hand   6",
            "b: nudge  -4.0000   by hand  -4",
            "start: a = 2, b = -3, c = 10, f = -2, so L = -8",
            "step 1: L was -8.000000, now L = -7.286496 (up 0.713504)",
            "n = 0.8814, o = 0.7071, 1/√2 = 0.7071",
            "1 − o² = 0.5000;  x1.grad = -1.5000, w1.grad = 1.0000, x2.grad = 0.5000, w2.grad = 0.0000",
        ],
        ["04-automatic-backprop"] =
        [
            "a.grad = 1, but db/da = 2",
            "a.grad = 3, but df/da = e·b + d = -3",
            "b.grad = -2, but df/db = e·a + d = -8",
            "b = a + a:        a.grad = 2",
            "f = (a·b)·(a + b): a.grad = -3, b.grad = -8",
            "x1 → w1 → x1*w1 → x2 → w2 → x2*w2 → x1*w1 + x2*w2 → b → n → o",
            "engine order: o → n → ",
        ],
        ["05-tanh-neuron"] =
        [
            "Math.Tanh(-6 + (double)6.8813735870195432f) = 0.7071066904050358",
            "bias through float32     6.881373405456543   off by 1.8e-7",
            "o        ours   0.7071066904050358   PyTorch   0.7071066904050358   bit for bit",
            "x1.grad  ours  -1.5000003851533106   PyTorch  -1.5000003851533106   bit for bit",
            "0.7071067811865476   difference 1.1e-16",
        ],
        ["06-mlp"] = ["41 parameters: (3·4 + 4) + (4·4 + 4) + (4·1 + 1) = 41"],
        ["07-training-loop"] = ["learning rate 0.001: loss 6.22 → 2.96"],
        ["08-moons"] =
        [
            "before training: loss 0.8958441028683222, accuracy 50 %",
            "step 99: loss 0.010978, accuracy 100 %",
            "accuracy identical at 100 of 100 steps",
            "step 99   ours 0.010978370135492717   micrograd 0.010978370135492717   accuracy 100% / 100%",
            "the learning rate went from 1 to 0.109",
        ],
        ["09-exercises"] = ["2 · 3 = NaN"], // exercise 2 hands over a Value without the operations
        ["09b-solutions"] =
        [
            "✓ 1a analytic gradient: correct [-12.353553, 10.256990, 0.062500]",
            "✓ 2 loss: correct [2.175515]",
            "✓ 2 gradient of the logits: correct [0.041773, 0.839025, 0.005653, -0.886450]",
            "2 · 3 = 6, e⁰ = 1, log 1 = 0, 8 / 2 = 4, −5 = -5",
        ],
    };
}
