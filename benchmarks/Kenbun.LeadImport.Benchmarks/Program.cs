using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Kenbun.LeadImport.Benchmarks;

// `-- load` runs the load test (LoadTest.cs); on PostgreSQL, `-- pickup` the LISTEN/NOTIFY pick-up delay (PickupDelay.cs),
// `-- scale` the runs with 1, 2 and 4 instances (ScaleTest.cs), `-- acquire` a job acquisition's cost against the
// backlog (AcquireBacklog.cs); `-- import` whole imports of big files beside hand-written SQL (MacroImport.cs), `-- preview` previews
// alone in MB/s (PreviewThroughput.cs), `-- generate rows path` writes such a file,
// `-- plot results.csv chart.svg` draws the results `-- import --csv` appended (RowsPerSecondPlot.cs), `-- identifier-index` the
// identifier index keyed by text against a keyed hash and against two levels (IdentifierIndexExperiment.cs); anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "load":
        await LoadTest.RunAsync(args[1..]);
        break;
    case "pickup":
        await PickupDelay.RunAsync(args[1..]);
        break;
    case "scale":
        await ScaleTest.RunAsync(args[1..]);
        break;
    case "import":
        await MacroImport.RunAsync(args[1..]);
        break;
    case "preview":
        await PreviewThroughput.RunAsync(args[1..]);
        break;
    case "generate":
        await using (var file = File.Create(args[2]))
        {
            LeadFiles.Write(file, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        break;
    case "plot":
        RowsPerSecondPlot.Write(args[1], args[2]);
        break;
    case "acquire":
        await AcquireBacklog.RunAsync(args[1..]);
        break;
    case "identifier-index":
        IdentifierIndexExperiment.Run(args[1..]);
        break;
    default:
        // BenchmarkDotNet exits 0 even when a benchmark throws or a class fails validation: name what failed and exit 1,
        // so the dry run of every benchmark in CI (.ci/run) fails with it.
        var failures = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).SelectMany(Failures).ToList();
        failures.ForEach(failure => Console.Error.WriteLine($"Benchmark failed: {failure}"));
        Environment.ExitCode = failures.Count == 0 ? 0 : 1;
        break;
}

static IEnumerable<string> Failures(Summary summary) =>
    summary.HasCriticalValidationErrors
        ? summary.ValidationErrors.Where(e => e.IsCritical).Select(e => e.Message)
        : summary.Reports.Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo);
