extension MemberStore {
    /// ONE-ID: one member per person across channels, merges that can be undone.
    ///
    /// - `members.merged_into`: the member this one was merged into (its
    ///   survivor); an absorbed member's row stays, so its external id keeps
    ///   resolving (it is the alias) and a split can bring it back.
    /// - `origin_id` on orders, events and identities: the member a row was
    ///   stored against before it moved (NULL: `member_id` itself), so a split
    ///   returns every row to where it came from.
    /// - `merges`: survivor, absorbed, why (rule version or the person), who,
    ///   when, the survivor's attributes before, and when it was undone.
    /// - `merge_tags`: both members' live tag rows at the merge (`moved`: a
    ///   segment membership carried over to the survivor), restored by a split.
    /// - `identity_candidates`: pairs held for a person to decide.
    static let schemaV9OneID = """
        ALTER TABLE members ADD COLUMN merged_into INTEGER;
        CREATE INDEX members_merged_into ON members(merged_into) WHERE merged_into IS NOT NULL;
        ALTER TABLE orders ADD COLUMN origin_id INTEGER;
        ALTER TABLE events ADD COLUMN origin_id INTEGER;
        ALTER TABLE identities ADD COLUMN origin_id INTEGER;
        CREATE TABLE merges(id INTEGER PRIMARY KEY, survivor INTEGER NOT NULL, absorbed INTEGER NOT NULL, reason TEXT NOT NULL, rule_version TEXT, actor TEXT NOT NULL, at INTEGER NOT NULL, survivor_before TEXT NOT NULL, undone_at INTEGER, undone_by TEXT);
        CREATE INDEX merges_survivor ON merges(survivor);
        CREATE INDEX merges_absorbed ON merges(absorbed);
        CREATE TABLE merge_tags(merge_id INTEGER NOT NULL, member_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, value TEXT NOT NULL, since INTEGER NOT NULL, run_id INTEGER, moved INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX merge_tags_merge ON merge_tags(merge_id);
        CREATE TABLE identity_candidates(id INTEGER PRIMARY KEY, member_a INTEGER NOT NULL, member_b INTEGER NOT NULL, channel TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open', decided_by TEXT, decided_at INTEGER, UNIQUE(member_a, member_b));
        """
}
