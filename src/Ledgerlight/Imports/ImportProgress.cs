using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ledgerlight.Imports;

/// <summary>
/// Progress for people and for logs: on a terminal a Spectre.Console bar per file with records per second and time left;
/// when output is redirected (a pipe, a CI log) plain lines, at most one a second per file plus its last one.
/// </summary>
public static class ImportProgress
{
    /// <summary>Runs <paramref name="work"/> with the progress display that suits the console.</summary>
    public static async Task<T> RunAsync<T>(Func<IImportProgress, Task<T>> work)
    {
        if (Console.IsOutputRedirected) return await work(new PlainProgress(Console.Out));
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx => result = await work(new SpectreProgress(ctx)));
        return result;
    }

    /// <summary>"vendors (vendors.csv): 120/500 (24%), 230 records/s, about 2 s left": the plain line, no console needed.</summary>
    public static string Line(string label, long done, long total, TimeSpan elapsed)
    {
        var percent = total == 0 ? 100 : done * 100 / total;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var left = done >= total ? "done" : rate > 0 ? $"about {Math.Ceiling((total - done) / rate).ToString(CultureInfo.InvariantCulture)} s left" : "time left unknown";
        return $"{label}: {done}/{total} ({percent}%), {rate.ToString("0", CultureInfo.InvariantCulture)} records/s, {left}";
    }

    sealed class PlainProgress(TextWriter output) : IImportProgress
    {
        string _label = "";
        long _done, _total;
        readonly Stopwatch _clock = new();
        TimeSpan _lastPrinted;

        public void Start(string label, int total)
        {
            Finish();
            (_label, _done, _total) = (label, 0, total);
            _clock.Restart();
            _lastPrinted = TimeSpan.Zero;
        }

        public void Advance(int count)
        {
            _done += count;
            if (_clock.Elapsed - _lastPrinted < TimeSpan.FromSeconds(1) || _done >= _total) return;
            _lastPrinted = _clock.Elapsed;
            output.WriteLine(Line(_label, _done, _total, _clock.Elapsed));
        }

        public void Finish()
        {
            if (_label.Length > 0) output.WriteLine(Line(_label, _done, _total, _clock.Elapsed));
            _label = "";
        }
    }

    sealed class SpectreProgress(ProgressContext ctx) : IImportProgress
    {
        ProgressTask? _task;

        public void Start(string label, int total)
        {
            Finish();
            _task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(total, 1));
        }

        public void Advance(int count) => _task?.Increment(count);

        public void Finish()
        {
            if (_task is { } task) task.Value = task.MaxValue;
            _task = null;
        }
    }

    /// <summary>Records per second of a task (Spectre's own speed column formats bytes).</summary>
    sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed.ToString("0", CultureInfo.InvariantCulture)} records/s" : "- records/s");
    }
}
