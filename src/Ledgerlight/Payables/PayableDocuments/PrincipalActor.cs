namespace Ledgerlight.Payables.PayableDocuments;

/// <summary>Who a write is recorded as (created_by, updated_by, a ledger entry's creator): the user, else the API credential acting alone.</summary>
public static class PrincipalActor
{
    public static Guid ActorId(this Principal principal) => principal.UserId ?? principal.CredentialId;
}
