using Ledgerlight.Receivables.Invoices;
using Ledgerlight.Storage.Jobs;

namespace Ledgerlight.Receivables.Contracts;

/// <summary>One (line, period) the run could not invoice, with the reason (e.g. the product was archived).</summary>
public sealed record BillingFailure(Guid ContractId, Guid ContractLineId, DateOnly PeriodStart, string Message);

/// <summary>
/// Result of a billing run (Ledgerlight extension). <paramref name="PeriodsRemaining"/>: periods due by the date that this run
/// left for later runs (each run takes at most <see cref="ContractBilling.MaxPeriodsPerLine"/> per line, oldest first);
/// <paramref name="MoreRemaining"/> says whether running again for the same date would create more.
/// </summary>
public sealed record BillingRunResult(DateOnly Date, int InvoicesCreated, IReadOnlyList<Guid> InvoiceIds, IReadOnlyList<BillingFailure> Failures,
    int PeriodsRemaining)
{
    public bool MoreRemaining => PeriodsRemaining > 0;
}

/// <summary>
/// Turns billable contracts' lines into DRAFT sales invoices, one per (line, period), for every period that starts on or
/// before the run date (and on or before the contract's end or termination date). Exactly once: each invoice is created
/// through <see cref="InvoiceStore.CreateInTransactionAsync"/> in the same transaction that inserts the period's key into
/// contract_billings (primary key company, line, period start). A concurrent run on another instance blocks on the
/// uncommitted key, then sees the conflict and skips; a run that fails rolls both back.
/// </summary>
public sealed class ContractBilling(NpgsqlDataSource db, InvoiceStore invoices, TimeProvider clock)
{
    /// <summary>
    /// Periods one run bills per contract line (created or failed), oldest first. Two years of a monthly line: a normal
    /// day bills one period per line, and an old contract catches up over several runs (the daily job re-queues itself
    /// while a backlog remains) instead of creating hundreds of invoices in one request.
    /// </summary>
    public const int MaxPeriodsPerLine = 24;

    /// <summary>Bills one company, or every company when <paramref name="companyId"/> is null (the CLI and the daily job).</summary>
    public async Task<BillingRunResult> RunAsync(DateOnly date, Guid? companyId, CancellationToken ct = default)
    {
        List<ContractRow> contracts;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            // A scheduled termination whose date has come: the contract is now TERMINATED.
            await conn.ExecuteAsync("""
                UPDATE contracts SET state = @terminated, terminated_at = now(), updated_at = now()
                 WHERE state = @pending AND termination_date <= @date AND (@companyId::uuid IS NULL OR company_id = @companyId)
                """, new { date, companyId, terminated = ContractStates.Terminated, pending = ContractStates.PendingTermination });
            contracts = (await conn.QueryAsync<ContractRow>(
                $"SELECT {ContractRow.Columns} FROM contracts c WHERE c.state = ANY(@states) AND (@companyId::uuid IS NULL OR c.company_id = @companyId) " +
                "ORDER BY c.company_id, c.created_at, c.id",
                new { states = ContractStates.Billable, companyId })).ToList();
        }

        var created = new List<Guid>();
        var failures = new List<BillingFailure>();
        var remaining = 0;
        foreach (var contract in contracts)
        {
            List<ContractLineRow> lines;
            ILookup<Guid, DateOnly> billed;
            await using (var conn = await db.OpenConnectionAsync(ct))
            {
                lines = await ContractStore.LoadLinesAsync(conn, null, contract.CompanyId, contract.Id);
                billed = (await conn.QueryAsync<(Guid LineId, DateOnly Start)>(
                        "SELECT contract_line_id, period_start FROM contract_billings WHERE company_id = @CompanyId AND contract_id = @Id",
                        new { contract.CompanyId, contract.Id }))
                    .ToLookup(b => b.LineId, b => b.Start);
            }
            foreach (var line in lines)
            {
                var start = line.BillingStart ?? contract.BillingStart ?? contract.StartDate;
                if (start is null) continue;
                var last = Earliest(line.BillingEnd, contract.LastBillableDay);
                var done = billed[line.Id].ToHashSet();
                var due = Recurrence.Periods(line.BillingRecurrence, start.Value, date, last).Where(p => !done.Contains(p.Start)).ToList();
                remaining += Math.Max(0, due.Count - MaxPeriodsPerLine);
                foreach (var period in due.Take(MaxPeriodsPerLine))
                {
                    ct.ThrowIfCancellationRequested();
                    try
                    {
                        if (await BillPeriodAsync(contract, line, period, ct) is { } invoiceId) created.Add(invoiceId);
                    }
                    catch (ApiException e)
                    {
                        failures.Add(new BillingFailure(contract.Id, line.Id, period.Start,
                            e.Errors is { Count: > 0 } errors ? $"{e.Message}: {string.Join("; ", errors.Select(x => x.Message))}" : e.Message));
                    }
                }
            }
        }
        return new BillingRunResult(date, created.Count, created, failures, remaining);
    }

    static DateOnly? Earliest(DateOnly? a, DateOnly? b) => (a, b) switch
    {
        ({ } x, { } y) => x < y ? x : y,
        _ => a ?? b,
    };

    /// <summary>The invoice for one (line, period), or null when the period is already billed (by this or a concurrent run).</summary>
    async Task<Guid?> BillPeriodAsync(ContractRow contract, ContractLineRow line, BillingPeriod period, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var invoiceId = Ids.New();
        // Claims the period; blocks while another transaction holds the same uncommitted key, then conflicts.
        var claimed = await conn.ExecuteAsync("""
            INSERT INTO contract_billings (company_id, contract_line_id, period_start, period_end, contract_id, invoice_id, billed_at)
            VALUES (@CompanyId, @lineId, @start, @end, @contractId, @invoiceId, @now)
            ON CONFLICT (company_id, contract_line_id, period_start) DO NOTHING
            """, new
        {
            contract.CompanyId, lineId = line.Id, start = period.Start, end = period.End, contractId = contract.Id, invoiceId,
            now = clock.GetUtcNow().UtcDateTime,
        }, tx);
        if (claimed == 0) return null;

        var request = InvoiceFor(contract, line, period);
        var v = new Validation();
        request.Validate(v);
        v.ThrowIfAny(422, "The contract line cannot be invoiced");
        var principal = new Principal(contract.CompanyId, Guid.Empty, CredentialKind.ApiKey, "SYSTEM", null, "contract billing");
        var id = await invoices.CreateInTransactionAsync(conn, tx, principal, request, contract.Id);
        await conn.ExecuteAsync(
            "UPDATE contract_billings SET invoice_id = @id WHERE company_id = @CompanyId AND contract_line_id = @lineId AND period_start = @start",
            new { id, contract.CompanyId, lineId = line.Id, start = period.Start }, tx);
        await tx.CommitWriteAsync(ct);
        return id;
    }

    /// <summary>The DRAFT invoice for a period: dated invoiceLeadDays before the period starts, the line carried over with its period.</summary>
    public static InvoiceRequest InvoiceFor(ContractRow contract, ContractLineRow line, BillingPeriod period)
    {
        var invoiceLine = new InvoiceLineRequest(line.ProductId, line.Quantity, line.TaxCodeId, line.AccountId, DiscountOf(line.Discount, period.Start),
            line.PriceOverwrite, line.ProductNameOverwrite, null, line.AvataxCode, period.Start, period.End, null, null, null, null);
        return new InvoiceRequest(contract.CompanyEntityId, null,
            $"{contract.Description ?? "Contract"} ({period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd})", contract.Currency.Trim(),
            contract.PaymentType, contract.PayeeBankAccountId, period.Start.AddDays(-(contract.InvoiceLeadDays ?? 0)), null, null, contract.CustomerId,
            contract.InvoiceTemplateId, contract.NetTerms, null, null, null, contract.AreLinesWithTax, null, null, [invoiceLine], null);
    }

    /// <summary>The line's discount applies to a period that starts within its startDate..endDate (either open).</summary>
    static LineDiscount? DiscountOf(string? json, DateOnly periodStart)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("startDate", out var from) && from.ValueKind == JsonValueKind.String && DateOnly.ParseExact(from.GetString()!, "yyyy-MM-dd") > periodStart)
            return null;
        if (root.TryGetProperty("endDate", out var to) && to.ValueKind == JsonValueKind.String && DateOnly.ParseExact(to.GetString()!, "yyyy-MM-dd") < periodStart)
            return null;
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return null;
        if (!root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Number) return null;
        return new LineDiscount(type.GetString(), value.GetDecimal());
    }
}

/// <summary>
/// The daily billing job ("contracts.billing"): bills every company (or the job's company) for the payload's date
/// (default: today, UTC), then queues tomorrow's run unless one is already queued. Re-running a day is harmless.
/// A run bills at most <see cref="ContractBilling.MaxPeriodsPerLine"/> periods per line; while a backlog remains it
/// queues a catch-up run for the same date and companies <see cref="CatchUpDelay"/> later, so an old contract is caught
/// up over several bounded runs and other jobs (and tenants' requests) get the runner in between.
/// </summary>
public sealed class ContractBillingJobHandler(NpgsqlDataSource db, ContractBilling billing, TimeProvider clock, ILogger<ContractBillingJobHandler> log)
    : IJobHandler
{
    public const string JobKind = "contracts.billing";
    public static readonly TimeSpan CatchUpDelay = TimeSpan.FromSeconds(5);
    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var date = job.Payload.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String
            ? DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var daily = job.Payload.TryGetProperty("daily", out var r) && r.ValueKind == JsonValueKind.True;
        var result = await billing.RunAsync(date, job.CompanyId, ct);
        log.LogInformation("Contract billing for {Date}: {Created} invoices, {Failed} failures, {Remaining} periods left for a catch-up run",
            date, result.InvoicesCreated, result.Failures.Count, result.PeriodsRemaining);
        if (result.MoreRemaining) await ScheduleCatchUpAsync(db, date, job.CompanyId, job.Id, clock.GetUtcNow().UtcDateTime + CatchUpDelay, ct);
        if (daily) await ScheduleDailyAsync(db, date.AddDays(1), job.Id, ct);
    }

    /// <summary>Queues a catch-up run for the same date and company (or all) unless one is already waiting.</summary>
    static async Task ScheduleCatchUpAsync(NpgsqlDataSource db, DateOnly date, Guid? companyId, Guid runningJobId, DateTime runAt, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('contracts.billing.catch-up'))", transaction: tx);
        var queued = await conn.ExecuteScalarAsync<bool>("""
            SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = @kind AND state = 'QUEUED' AND company_id IS NOT DISTINCT FROM @companyId
                              AND payload->>'catchUp' = 'true' AND payload->>'date' = @date AND id <> @runningJobId)
            """, new { kind = JobKind, companyId, date = date.ToString("yyyy-MM-dd"), runningJobId }, tx);
        if (!queued)
            await JobQueue.EnqueueAsync(conn, tx, companyId, JobKind, new { date = date.ToString("yyyy-MM-dd"), catchUp = true }, runAt);
        await tx.CommitWriteAsync(ct);
    }

    /// <summary>Queues the all-companies daily run for <paramref name="date"/> (at 00:05 UTC) unless one is already queued.</summary>
    public static async Task ScheduleDailyAsync(NpgsqlDataSource db, DateOnly date, Guid? runningJobId = null, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('contracts.billing.schedule'))", transaction: tx);
        var queued = await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = @kind AND state IN ('QUEUED', 'RUNNING') AND company_id IS NULL AND payload->>'daily' = 'true' AND id IS DISTINCT FROM @runningJobId::uuid",
            new { kind = JobKind, runningJobId }, tx);
        if (queued == 0)
            await JobQueue.EnqueueAsync(conn, tx, null, JobKind, new { date = date.ToString("yyyy-MM-dd"), daily = true },
                date.ToDateTime(new TimeOnly(0, 5), DateTimeKind.Utc));
        await tx.CommitWriteAsync(ct);
    }
}

/// <summary>
/// Makes sure the daily all-companies billing job is queued (for tomorrow, 00:05 UTC) when a server starts; each run queues
/// the next. Set LEDGERLIGHT_CONTRACT_BILLING=off to leave billing to the CLI or the endpoint.
/// </summary>
public sealed class ContractBillingScheduler(NpgsqlDataSource db, TimeProvider clock, ILogger<ContractBillingScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("LEDGERLIGHT_CONTRACT_BILLING"), "off", StringComparison.OrdinalIgnoreCase)) return;
        try
        {
            await ContractBillingJobHandler.ScheduleDailyAsync(db, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1), ct: stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not queue the daily contract billing job");
        }
    }
}
