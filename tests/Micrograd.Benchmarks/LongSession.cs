using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Micrograd.Execution;
using Micrograd.Notebooks.Execution;

namespace Micrograd.Benchmarks;

/// <summary>
/// A long live session: N small cells run one after another in one execution core session, as a
/// learner's day in a notebook would. Prints time per cell and memory as the session grows.
/// </summary>
internal static class LongSession
{
    public static async Task Run(int cells)
    {
        ConsoleRouter.Install();
        var session = new ExecutionSession(new DesktopHost(Path.GetTempPath()));
        var total = Stopwatch.StartNew();
        var window = Stopwatch.StartNew();
        int step = Math.Max(1, cells / 10);
        Console.WriteLine("| cells run | ms per cell (last window) | managed heap after GC | working set |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        for (int i = 1; i <= cells; i++)
        {
            string code = i % 3 == 0 ? $"var x{i} = x{i - 1} + 1;" : i % 3 == 1 ? $"int F{i}(int n) => n * {i};\nvar x{i} = F{i}(2);" : $"var x{i} = x{i - 1} * 2 % 1000;\nx{i}";
            var result = await session.ExecuteAsync(code, new CellInfo($"long:cell {i}", Path.Combine(Path.GetTempPath(), $"long.cell{i}.csx")));
            if (result.Status != ExecutionStatus.Ran) throw new InvalidOperationException($"cell {i} failed: {result.Outputs[0]}");
            if (i % step == 0 || i == cells)
            {
                double ms = window.Elapsed.TotalMilliseconds / step;
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine($"| {i:N0} | {ms:F1} | {heap / 1048576.0:F0} MB | {Environment.WorkingSet / 1048576.0:F0} MB |");
                window.Restart();
            }
        }
        Console.WriteLine($"\n{cells:N0} cells in {total.Elapsed.TotalSeconds:F1} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB");
    }
}
