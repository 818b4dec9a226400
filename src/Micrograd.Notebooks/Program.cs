using System;
using System.Runtime.InteropServices;
using System.Threading;
using Micrograd.Notebooks;
using Micrograd.Notebooks.Runner;

// Micrograd.Notebooks: the headless runner. See Cli.Help, or run with --help.
try
{
    if (args.Length == 3 && args[0] == NotebookChild.Command) return await NotebookChild.RunAsync(args[1], args[2]);

    // Ctrl+C (or a SIGTERM) stops the run cleanly: the notebook's process is ended, the site left as it was.
    using var interrupt = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        if (interrupt.IsCancellationRequested) return; // a second Ctrl+C ends the runner at once
        e.Cancel = true;
        interrupt.Cancel();
    };
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        interrupt.Cancel();
    });
    return await Cli.RunAsync(args, Console.Out, Console.Error, interrupt.Token);
}
catch (Exception e)
{
    // No stack trace reaches a user: one line, and the exit code --help documents.
    Console.Error.WriteLine($"error: the runner itself failed ({e.GetType().Name}: {e.Message}); this is a bug, please report it");
    return Cli.InternalError;
}
