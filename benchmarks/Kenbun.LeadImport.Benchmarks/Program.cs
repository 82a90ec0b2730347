using BenchmarkDotNet.Running;
using Kenbun.LeadImport.Benchmarks;

// `-- load` runs the load test (LoadTest.cs); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "load")
{
    await LoadTest.RunAsync(args[1..]);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
