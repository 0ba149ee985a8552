namespace Ledgerlight.Payables.CreditNotes;

/// <summary>What can be done to a credit note; each is allowed from the statuses <see cref="CreditNoteLifecycle"/> lists.</summary>
public enum CreditNoteAction { Edit, Post, Link, Archive }

/// <summary>
/// A credit note's lifecycle: a DRAFT is edited and posted; a note in the ledger with something left to clear
/// may be linked to bills (its status then follows how much is cleared, <see cref="CreditNoteStatus.AfterClearing"/>);
/// any note not yet archived may be archived (a posted one is reversed), once it has no links.
/// </summary>
public static class CreditNoteLifecycle
{
    public static readonly StateMachine<CreditNoteAction> Machine = new("Credit note", new Dictionary<CreditNoteAction, Transition>
    {
        [CreditNoteAction.Edit] = new([CreditNoteStatus.Draft], null, "edited"),
        [CreditNoteAction.Post] = new([CreditNoteStatus.Draft], CreditNoteStatus.Posted, "posted"),
        [CreditNoteAction.Link] = new([CreditNoteStatus.Posted, CreditNoteStatus.PartiallyCleared], null, "linked"),
        [CreditNoteAction.Archive] = new(
            [CreditNoteStatus.Draft, CreditNoteStatus.Posted, CreditNoteStatus.PartiallyCleared, CreditNoteStatus.Cleared], CreditNoteStatus.Archived,
            "archived"),
    });

    public static string Next(string status, CreditNoteAction action) => Machine.Next(status, action);

    public static void Ensure(string status, CreditNoteAction action) => Machine.Ensure(status, action);
}
