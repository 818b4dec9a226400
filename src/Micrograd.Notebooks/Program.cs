using System;

// Micrograd.Notebooks: the headless runner. See Cli.Help, or run with --help.
return await Micrograd.Notebooks.Cli.RunAsync(args, Console.Out, Console.Error);
