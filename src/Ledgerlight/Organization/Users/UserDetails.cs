namespace Ledgerlight.Organization.Users;

/// <summary>The groups and managers of a set of users, each in one query: for listings and for single-user answers.</summary>
public static class UserDetails
{
    public static async Task<ILookup<Guid, UserGroupModel>> GroupsAsync(NpgsqlConnection conn, Guid companyId, Guid[] ids)
    {
        var rows = await conn.QueryAsync<GroupMembership>("""
            SELECT m.user_id, g.id, g.name, g.description, g.company_id, g.created_at, g.updated_at,
                   (SELECT count(*) FROM user_group_members c WHERE c.company_id = g.company_id AND c.group_id = g.id) AS member_count
              FROM user_group_members m JOIN user_groups g ON g.company_id = m.company_id AND g.id = m.group_id
             WHERE m.company_id = @companyId AND m.user_id = ANY(@ids)
            """, new { companyId, ids });
        return rows.ToLookup(r => r.UserId, r => new UserGroupModel(r.Id, r.Name, r.Description, r.CompanyId, r.MemberCount, r.CreatedAt, r.UpdatedAt));
    }

    public static async Task<ILookup<Guid, Guid>> ManagersAsync(NpgsqlConnection conn, Guid companyId, Guid[] ids)
    {
        var rows = await conn.QueryAsync<(Guid UserId, Guid ManagerId)>(
            "SELECT user_id, manager_id FROM user_managers WHERE company_id = @companyId AND user_id = ANY(@ids)", new { companyId, ids });
        return rows.ToLookup(r => r.UserId, r => r.ManagerId);
    }

    /// <summary>One user as the write operations answer: roles, groups and managers included.</summary>
    public static async Task<UserModel?> LoadAsync(NpgsqlConnection conn, Guid companyId, Guid id)
    {
        var row = await conn.QuerySingleOrDefaultAsync<UserRow>(
            $"SELECT {UserRow.Columns} FROM users WHERE company_id = @companyId AND id = @id", new { companyId, id });
        if (row is null) return null;
        var groups = await GroupsAsync(conn, companyId, [id]);
        var managers = await ManagersAsync(conn, companyId, [id]);
        return row.ToModel(true, groups[id].ToList(), managers[id].ToList());
    }

    sealed class GroupMembership
    {
        public Guid UserId { get; set; }
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public Guid CompanyId { get; set; }
        public long MemberCount { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
    }
}
