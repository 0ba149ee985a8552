namespace Ledgerlight.Documents.Kernel;

/// <summary>One action of a lifecycle: the states it may start from, the state it leads to, and how a refusal reads.</summary>
/// <param name="From">States the action is allowed from.</param>
/// <param name="To">The state after the action; null when the action keeps the state or the caller derives it (a payment: PAID or PARTIALLY_PAID).</param>
/// <param name="Verb">Past participle for the refusal: "opened", "archived".</param>
/// <param name="RefusalStatus">409 unless Light documents another status for this refusal (unarchive answers 400).</param>
public sealed record Transition(string[] From, string? To, string Verb, int RefusalStatus = 409);

/// <summary>
/// A document's lifecycle as data, the one state-machine idiom of every document: a pure function
/// (state, action) → next state, or the error the API answers. Stores pass the resulting state to SQL
/// as a parameter; no state name is spelled inside SQL text.
/// </summary>
public sealed class StateMachine<TAction> where TAction : struct, Enum
{
    readonly string _document;
    readonly IReadOnlyDictionary<TAction, Transition> _transitions;

    /// <param name="document">The document's name as a sentence starts it: "Invoice", "Customer credit".</param>
    public StateMachine(string document, IReadOnlyDictionary<TAction, Transition> transitions)
    {
        _document = document;
        _transitions = transitions;
        foreach (var action in Enum.GetValues<TAction>())
            if (!transitions.ContainsKey(action)) throw new ArgumentException($"{document}: no transition for {action}");
    }

    public bool Allows(string state, TAction action) => _transitions[action].From.Contains(state);

    public IReadOnlyList<string> AllowedFrom(TAction action) => _transitions[action].From;

    /// <summary>The state after <paramref name="action"/>; throws the API's refusal when the action is not allowed from <paramref name="state"/>.</summary>
    public string Next(string state, TAction action)
    {
        var t = _transitions[action];
        if (!t.From.Contains(state))
            throw new ApiException(t.RefusalStatus, ErrorTypes.ForStatus(t.RefusalStatus),
                $"{_document} is {state}; only {Article(t.From[0])} {string.Join(" or ", t.From)} {_document.ToLowerInvariant()} can be {t.Verb}");
        return t.To ?? state;
    }

    /// <summary>Refuses unless allowed; for actions that keep the state (edits).</summary>
    public void Ensure(string state, TAction action) => Next(state, action);

    static string Article(string state) => "AEIOU".Contains(state[0]) ? "an" : "a";
}
