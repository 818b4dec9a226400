using System;
using System.Collections.Generic;
using System.Globalization;
using Micrograd.Pictures.Display;

namespace Micrograd;

/// <summary>
/// A scalar that remembers how it was computed, so that <see cref="Backward"/> can
/// push gradients back to everything it came from. The C# twin of micrograd's Value.
/// </summary>
/// <remarks>
/// Each operation below is one short block: the forward value, and next to it the local
/// derivative as a <c>static</c> lambda. Static lambdas are cached by the compiler, so a
/// node costs one object and nothing else.
/// </remarks>
[TypeFormatterSource(typeof(FormatterSource))]
public sealed class Value
{
    public double Data { get; set; }
    public double Grad { get; set; }
    public string Label { get; set; }

    /// <summary>The operation that produced this value: "+", "*", "**2", "tanh", …; "" for a leaf.</summary>
    public string Op { get; }

    private readonly Value? _a, _b;            // the children (micrograd's _prev)
    private readonly double _k;                // the exponent of a Pow node
    private readonly Action<Value>? _backward; // this node's local chain rule
    private int _visit, _pending;              // bookkeeping of Backward()

    public Value(double data, string label = "")
    {
        Data = data;
        Label = label;
        Op = "";
    }

    private Value(double data, string op, Value a, Value? b, Action<Value> backward, double k = 0)
    {
        Data = data;
        Label = "";
        Op = op;
        _a = a;
        _b = b;
        _k = k;
        _backward = backward;
    }

    /// <summary>The values this one was computed from, in operand order.</summary>
    public IReadOnlyList<Value> Children =>
        _a is null ? Array.Empty<Value>() : _b is null ? new[] { _a } : new[] { _a, _b };

    /// <summary>A plain number takes part in an expression as a constant leaf, as in micrograd.</summary>
    public static implicit operator Value(double data) => new(data);

    // ---- operations: forward value, then the local derivative times the output's grad ----

    public static Value operator +(Value a, Value b) =>
        new(a.Data + b.Data, "+", a, b, static o =>
        {
            o._a!.Grad += o.Grad;
            o._b!.Grad += o.Grad;
        });

    public static Value operator *(Value a, Value b) =>
        new(a.Data * b.Data, "*", a, b, static o =>
        {
            o._a!.Grad += o._b!.Data * o.Grad;
            o._b.Grad += o._a.Data * o.Grad;
        });

    public Value Pow(double k)
    {
        if (!double.IsFinite(k))
            throw new ValueDomainException($"Pow: the exponent must be a finite number, got {Fmt(k)}, base {Describe()}");
        if (Data == 0 && k < 0)
            throw new ValueDomainException($"Pow: 0 to the negative power {Fmt(k)} is undefined, base {Describe()}");
        return new(Math.Pow(Data, k), "**" + Fmt(k), this, null, static o =>
            o._a!.Grad += o._k * Math.Pow(o._a.Data, o._k - 1) * o.Grad, k);
    }

    public Value Exp() =>
        new(Math.Exp(Data), "exp", this, null, static o =>
            o._a!.Grad += o.Data * o.Grad);

    public Value Log()
    {
        if (Data <= 0)
            throw new ValueDomainException($"Log: the operand must be positive, got {Describe()}");
        return new(Math.Log(Data), "log", this, null, static o =>
            o._a!.Grad += 1 / o._a.Data * o.Grad);
    }

    public Value Tanh() =>
        new(Math.Tanh(Data), "tanh", this, null, static o =>
            o._a!.Grad += (1 - o.Data * o.Data) * o.Grad);

    public Value Relu() =>
        new(Data < 0 ? 0 : Data, "ReLU", this, null, static o =>
            o._a!.Grad += (o.Data > 0 ? 1 : 0) * o.Grad);

    public Value Sigmoid() =>
        new(1 / (1 + Math.Exp(-Data)), "sigmoid", this, null, static o =>
            o._a!.Grad += o.Data * (1 - o.Data) * o.Grad);

    // ---- the rest is built from the operations above, exactly as micrograd does ----

    public static Value operator -(Value a) => a * -1;

    public static Value operator -(Value a, Value b) => a + (-b);

    public static Value operator /(Value a, Value b)
    {
        if (b.Data == 0)
            throw new ValueDomainException($"Division: the divisor is zero: {a.Describe()} / {b.Describe()}");
        return a * b.Pow(-1);
    }

    // ---- backpropagation ----

    /// <summary>
    /// Sets this value's grad to 1 and applies the chain rule to every value it depends on,
    /// each one after all of its users (reverse topological order). Grads accumulate: call
    /// ZeroGrad (or set Grad = 0) before a second pass.
    /// </summary>
    public void Backward()
    {
        Grad = 1;
        foreach (var node in BackwardOrder())
            node.BackwardLocal();
    }

    /// <summary>This node's own step of the chain rule (micrograd's <c>_backward</c>).</summary>
    public void BackwardLocal() => _backward?.Invoke(this);

    private static int s_lastVisit;

    /// <summary>
    /// Every value this one depends on, itself first, each after all the values that use it:
    /// the order in which <see cref="Backward"/> runs the local steps.
    /// </summary>
    /// <remarks>
    /// A node's grad is complete once every node that used it has passed its share down.
    /// So: first count, for each node, how many uses (edges from parents) it has in this
    /// graph; then hand out nodes starting at the root, releasing a child when its last
    /// parent is done. Both passes use explicit stacks, never recursion, so a chain of a
    /// million values is fine. Identity is by reference; a visit stamp marks what was seen.
    /// The stamp and the count live on the nodes, so two threads must not back-propagate
    /// through shared nodes at the same time (separate graphs are fine).
    /// </remarks>
    public IEnumerable<Value> BackwardOrder()
    {
        int visit = System.Threading.Interlocked.Increment(ref s_lastVisit);
        var stack = new Stack<Value>();
        _visit = visit;
        _pending = 0;
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            CountUse(node._a, visit, stack);
            CountUse(node._b, visit, stack);
        }

        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            Release(node._a, stack);
            Release(node._b, stack);
        }
    }

    private static void CountUse(Value? child, int visit, Stack<Value> stack)
    {
        if (child is null) return;
        if (child._visit != visit)
        {
            child._visit = visit;
            child._pending = 0;
            stack.Push(child);
        }
        child._pending++;
    }

    private static void Release(Value? child, Stack<Value> stack)
    {
        if (child is not null && --child._pending == 0)
            stack.Push(child);
    }

    public override string ToString() => $"Value(data={Fmt(Data)}, grad={Fmt(Grad)})";

    /// <summary>The value as an error message names it: its label, if any, then its repr.</summary>
    private string Describe() => Label.Length > 0 ? $"'{Label}' = {this}" : ToString();

    private static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>An operation was asked for something mathematics does not define.</summary>
public sealed class ValueDomainException : ArithmeticException
{
    public ValueDomainException(string message) : base(message) { }
}
