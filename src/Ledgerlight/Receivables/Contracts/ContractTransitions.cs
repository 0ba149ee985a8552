using Ledgerlight.Receivables.Customers;

namespace Ledgerlight.Receivables.Contracts;

/// <summary>The contract lifecycle's writes (<see cref="ContractLifecycle"/> decides, these load and write).</summary>
public sealed partial class ContractStore
{
    /// <summary>CREATED/DRAFT → ACTIVE: needs an invoiceable customer and at least one line.</summary>
    public Task<ContractModel?> PublishAsync(Principal principal, Guid id) => TransitionAsync(principal, id, ContractAction.Publish, async s =>
    {
        var v = new Validation();
        if (s.Row.CustomerId is null) v.Required(null, "customerId");
        if ((await LoadLinesAsync(s.Connection, s.Transaction, s.CompanyId, id)).Count == 0) v.Add("A contract needs at least one line to be published", "lines");
        v.ThrowIfAny(422, "The contract is not complete enough to publish");
        await CustomerStore.RequireInvoiceableAsync(s.Connection, s.Transaction, s.CompanyId, s.Row.CustomerId!.Value, "customerId");
        return ("activated_at = @now", null);
    });

    /// <summary>Extends the end date (and optionally moves the renewal date) of an ACTIVE contract.</summary>
    public Task<ContractModel?> RenewAsync(Principal principal, Guid id, RenewRequest r) => TransitionAsync(principal, id, ContractAction.Renew, s =>
    {
        if (s.Row.EndDate is { } end && r.NextEndDate <= end)
            throw ApiException.BadRequest($"'nextEndDate' must be after the current end date {end:yyyy-MM-dd}", "nextEndDate");
        if (s.Row.StartDate is { } start && r.NextEndDate < start)
            throw ApiException.BadRequest($"'nextEndDate' must not be before the start date {start:yyyy-MM-dd}", "nextEndDate");
        return Task.FromResult<(string, object?)>(("end_date = @nextEndDate, renewal_date = COALESCE(@nextRenewalDate, renewal_date)",
            new { nextEndDate = r.NextEndDate!.Value, nextRenewalDate = r.NextRenewalDate }));
    });

    /// <summary>
    /// A termination date in the future schedules it (PENDING_TERMINATION, billing stops after that date); none, today or a
    /// past date terminates now. Either way the contract's billing ends on the termination date.
    /// </summary>
    public Task<ContractModel?> TerminateAsync(Principal principal, Guid id, TerminateRequest r)
    {
        var today = DateOnly.FromDateTime(Now);
        var date = r.TerminationDate ?? today;
        var state = ContractLifecycle.AfterTermination(date, today);
        return TransitionAsync(principal, id, ContractAction.Terminate, _ => Task.FromResult<(string, object?)>((
            state == ContractStates.Terminated
                ? "termination_date = @date, termination_reason = @reason, terminated_at = @now"
                : "termination_date = @date, termination_reason = @reason",
            new { date, reason = r.TerminationReason })), state);
    }

    public Task<ContractModel?> CancelTerminationAsync(Principal principal, Guid id) => TransitionAsync(principal, id, ContractAction.CancelTermination,
        _ => Task.FromResult<(string, object?)>(("termination_date = NULL, termination_reason = NULL", null)));

    /// <summary>Back to CREATED; invoices already generated stay, and their periods stay billed.</summary>
    public Task<ContractModel?> ResetAsync(Principal principal, Guid id) => TransitionAsync(principal, id, ContractAction.Reset,
        _ => Task.FromResult<(string, object?)>(("activated_at = NULL", null)));

    /// <summary>
    /// One lifecycle step: the machine decides the next state (or <paramref name="derivedState"/> for actions whose target depends on
    /// the request), <paramref name="change"/> checks the rest and names the other columns it sets.
    /// </summary>
    Task<ContractModel?> TransitionAsync(Principal principal, Guid id, ContractAction action,
        Func<DocumentScope<ContractRow>, Task<(string Sets, object? Args)>> change, string? derivedState = null) =>
        DocumentCommand.RunAsync(db, Table, principal.CompanyId, id, async s =>
        {
            var state = ContractLifecycle.Next(s.Row.State, action);
            var (sets, args) = await change(s);
            var p = new DynamicParameters(new { companyId = s.CompanyId, id, now = Now, state = derivedState ?? state });
            if (args is not null) p.AddDynamicParams(args);
            await s.Connection.ExecuteAsync($"UPDATE contracts SET state = @state, {sets}, updated_at = @now WHERE company_id = @companyId AND id = @id",
                p, s.Transaction);
        }, conn => LoadModelAsync(conn, null, principal.CompanyId, id));
}
