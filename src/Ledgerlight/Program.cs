using System.CommandLine;
using Ledgerlight.Cli;

return await Commands.Root().Parse(args).InvokeAsync();
