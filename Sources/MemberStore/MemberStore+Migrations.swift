import GRDB

extension MemberStore {
    /// The schema migrator; `v1` creates every table used by tagd.
    ///
    /// Timestamps are INTEGER epoch seconds UTC (`runs.started_at` and
    /// `finished_at` are REAL seconds).
    public static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: schemaV1)
        }
        migrator.registerMigration("v2-governance") { db in
            try db.execute(sql: schemaV2)
        }
        migrator.registerMigration("v3-server") { db in
            try db.execute(sql: schemaV3)
        }
        migrator.registerMigration("v4-segments") { db in
            try db.execute(sql: schemaV4)
        }
        migrator.registerMigration("v5-module-snapshots") { db in
            // The plugin libraries a rule version requires, frozen with it (JSON name -> source).
            try db.execute(sql: "ALTER TABLE tag_versions ADD COLUMN modules TEXT NOT NULL DEFAULT '{}'")
        }
        migrator.registerMigration("v6-identity") { db in
            try db.execute(sql: schemaV6)
        }
        migrator.registerMigration("v7-nfc-ids") { db in
            // Member and identity ids are NFC from now on (MemberID.normalize).
            try normalizeStoredIDs(db)
        }
        migrator.registerMigration("v8-change-tracking") { db in
            try db.execute(sql: schemaV8)
        }
        migrator.registerMigration("v9-order-columns") { db in
            try db.execute(sql: schemaV9)
        }
        migrator.registerMigration("v9-one-id") { db in
            try db.execute(sql: schemaV9OneID)
        }
        migrator.registerMigration("v9-web-sessions") { db in
            try db.execute(sql: schemaV9WebSessions)
        }
        migrator.registerMigration("v10-model-fits") { db in
            // The BG/NBD parameters a tag's last run predicted with (JSON), reused
            // until the tag's `refit` cycle says to fit again. A table of its own:
            // a column after the snapshot's data would be read through all of it.
            try db.execute(sql: """
                CREATE TABLE model_fits(tag_id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, fits TEXT NOT NULL)
                """)
        }
        migrator.registerMigration("v10-snapshot-rows") { db in
            // Per-member corrections to a snapshot's data, written by incremental
            // runs instead of the whole snapshot (TagEngine's SnapshotRows).
            try db.execute(sql: """
                CREATE TABLE feature_snapshot_rows(
                  tag_id INTEGER NOT NULL, member_id INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(tag_id, member_id)
                ) WITHOUT ROWID
                """)
        }
        migrator.registerMigration("v10-snapshot-data") { db in
            // A snapshot's data moves to a table of its own: updating the marks
            // of a row that holds the data rewrote all of it (tens of MB) on
            // every run. Snapshots are caches: each tag's next run is a full one.
            try db.execute(sql: """
                DROP TABLE feature_snapshots;
                DELETE FROM feature_snapshot_rows;
                CREATE TABLE feature_snapshots(
                  tag_id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, as_of INTEGER NOT NULL,
                  change_mark INTEGER NOT NULL, history_mark INTEGER NOT NULL, stats TEXT NOT NULL);
                CREATE TABLE feature_snapshot_data(tag_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
                """)
        }
        migrator.registerMigration("v10-tag-distributions") { db in
            // How many members hold each value of a tag (JSON), valid as of the
            // tag's newest history row (TagEngine's TagDistribution).
            // NULL counts: the tag has too many distinct values to keep them.
            try db.execute(sql: "CREATE TABLE tag_distributions(tag_id INTEGER PRIMARY KEY, history_mark INTEGER NOT NULL, counts TEXT)")
        }
        migrator.registerMigration("v11-history-by-tag") { db in
            // A run's history rows for one tag land in that tag's part of the
            // index, not at random places over every tag's rows: after new
            // orders for 1 % of 1M members, 50k history rows dirtied 32,761
            // pages under (member_id, tag_id) and 1,912 under (tag_id, member_id).
            // A member's history is read tag by tag (TagEngine's MemberHistory).
            try db.execute(sql: """
                DROP INDEX tag_history_member;
                CREATE INDEX tag_history_tag_member ON tag_history(tag_id, member_id);
                """)
        }
        migrator.registerMigration("v11-pop-fingerprints") { db in
            // What decided each recorded pop question's answers at the last run
            // (TagEngine's PopRecording.fingerprints), updated by every run.
            try db.execute(sql: "ALTER TABLE feature_snapshots ADD COLUMN pop_fingerprints BLOB")
        }
        migrator.registerMigration("v12-live-counts") { db in
            // How many live values the tag has, valid with its distribution:
            // counting them (a scan of up to a million index entries) was the
            // largest fixed cost of an incremental run of a tag. A tag with too
            // many values to keep (scores) keeps its most held ones (JSON).
            try db.execute(sql: """
                ALTER TABLE tag_distributions ADD COLUMN live INTEGER;
                ALTER TABLE tag_distributions ADD COLUMN top TEXT;
                """)
        }
        migrator.registerMigration("v13-orders-covering") { db in
            // A member's orders with what most features read of them (paid,
            // amount): an incremental run computes the changed members'
            // features from the index alone, without a table look-up per
            // order (10,000 members' RFM features: 96 -> 62 ms), and so does
            // the full pass that groups by member.
            try db.execute(sql: """
                DROP INDEX orders_member_ts;
                CREATE INDEX orders_member_ts ON orders(member_id, ts, paid, amount);
                """)
        }
        return migrator
    }

    /// Governance identity: the operating-system account a user acts from on
    /// this machine, token expiry and revocation, and which audit key signed
    /// each audit row ('' for rows written before the chain was keyed), and
    /// cancellation requests for running runs (`tagd cancel`, from any process).
    static let schemaV6 = """
        ALTER TABLE users ADD COLUMN os_user TEXT;
        CREATE UNIQUE INDEX users_os_user ON users(os_user) WHERE os_user IS NOT NULL;
        ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
        ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
        ALTER TABLE api_tokens ADD COLUMN revoked_by TEXT;
        UPDATE api_tokens SET expires_at = created_at + 90 * 86400;
        ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE runs ADD COLUMN cancel_requested TEXT;
        """

    /// Change tracking for incremental runs: every insert, update or delete of
    /// an order or event, and every new or updated member, appends the
    /// member's id to `change_log` (triggers, so every writer is covered);
    /// `ts` indexes find the rows whose windows lapse between two runs; a
    /// tag's `feature_snapshots` row keeps its per-member features, marks and
    /// population fingerprint from its last run.
    static let schemaV8 = """
        CREATE TABLE change_log(id INTEGER PRIMARY KEY AUTOINCREMENT, member_id INTEGER NOT NULL);
        CREATE TRIGGER orders_changed_insert AFTER INSERT ON orders BEGIN INSERT INTO change_log(member_id) VALUES (NEW.member_id); END;
        CREATE TRIGGER orders_changed_update AFTER UPDATE ON orders BEGIN
          INSERT INTO change_log(member_id) VALUES (OLD.member_id);
          INSERT INTO change_log(member_id) SELECT NEW.member_id WHERE NEW.member_id <> OLD.member_id;
        END;
        CREATE TRIGGER orders_changed_delete AFTER DELETE ON orders BEGIN INSERT INTO change_log(member_id) VALUES (OLD.member_id); END;
        CREATE TRIGGER events_changed_insert AFTER INSERT ON events BEGIN INSERT INTO change_log(member_id) VALUES (NEW.member_id); END;
        CREATE TRIGGER events_changed_update AFTER UPDATE ON events BEGIN
          INSERT INTO change_log(member_id) VALUES (OLD.member_id);
          INSERT INTO change_log(member_id) SELECT NEW.member_id WHERE NEW.member_id <> OLD.member_id;
        END;
        CREATE TRIGGER events_changed_delete AFTER DELETE ON events BEGIN INSERT INTO change_log(member_id) VALUES (OLD.member_id); END;
        CREATE TRIGGER members_changed_insert AFTER INSERT ON members BEGIN INSERT INTO change_log(member_id) VALUES (NEW.id); END;
        CREATE TRIGGER members_changed_update AFTER UPDATE ON members BEGIN INSERT INTO change_log(member_id) VALUES (NEW.id); END;
        CREATE INDEX orders_ts ON orders(ts);
        CREATE INDEX events_ts ON events(ts);
        CREATE INDEX tag_history_tag_id ON tag_history(tag_id, id);
        CREATE TABLE feature_snapshots(tag_id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL, as_of INTEGER NOT NULL, change_mark INTEGER NOT NULL, history_mark INTEGER NOT NULL, stats TEXT NOT NULL, data BLOB NOT NULL);
        ALTER TABLE runs ADD COLUMN kind TEXT;
        ALTER TABLE runs ADD COLUMN evaluated INTEGER;
        ALTER TABLE runs ADD COLUMN reasons TEXT;
        """

    /// Custom order columns (an import's extra columns), like events' props;
    /// the v8 update trigger already logs a changed order, props included.
    /// The `ts` indexes become covering for ad-hoc aggregate queries
    /// (`sum(orders.amount, 90d) > 500` reads the window from the index
    /// alone: 8.7 s -> 1.6 s at 1M members) and for window expiry.
    static let schemaV9 = """
        ALTER TABLE orders ADD COLUMN props TEXT NOT NULL DEFAULT '{}';
        CREATE INDEX orders_ts_member ON orders(ts, member_id, amount);
        DROP INDEX orders_ts;
        CREATE INDEX events_ts_member ON events(ts, member_id, type);
        DROP INDEX events_ts;
        """

    /// Reads of tags per day and channel (for the culling review), and the
    /// rule files that do not load (shown by `tagd rules` and the server).
    static let schemaV2 = """
        CREATE TABLE tag_reads(tag_id INTEGER NOT NULL, day INTEGER NOT NULL, via TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0, last_at INTEGER NOT NULL, PRIMARY KEY(tag_id, day, via)) WITHOUT ROWID;
        CREATE TABLE rule_errors(path TEXT PRIMARY KEY, message TEXT NOT NULL, seen_at INTEGER NOT NULL);
        """

    /// API tokens (only their SHA-256 is stored) for the HTTP server.
    static let schemaV3 = """
        CREATE TABLE api_tokens(hash TEXT PRIMARY KEY, user TEXT NOT NULL, label TEXT, created_at INTEGER NOT NULL, last_used_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0);
        """

    /// Indexes for ad-hoc queries (tag values, common attributes), the
    /// durable outbox of reach messages, and plugin failures.
    static let schemaV4 = """
        CREATE INDEX member_tags_value ON member_tags(tag_id, value);
        CREATE INDEX members_region ON members(region);
        CREATE INDEX members_level ON members(level);
        CREATE INDEX members_channel ON members(channel);
        CREATE INDEX members_gender ON members(gender);
        CREATE TABLE outbox(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, segment TEXT NOT NULL, member_id INTEGER, transition TEXT NOT NULL, run_id INTEGER, plugin TEXT NOT NULL, channel TEXT, payload TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL, last_error TEXT, created_at REAL NOT NULL, delivered_at REAL);
        CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);
        CREATE TABLE plugin_errors(id INTEGER PRIMARY KEY, at REAL NOT NULL, plugin TEXT NOT NULL, segment TEXT, member_id INTEGER, hook TEXT, error TEXT NOT NULL);
        """

    static let schemaV1 = """
        CREATE TABLE members(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, channel TEXT, registered_at INTEGER, gender TEXT, region TEXT, birthday TEXT, level INTEGER, attrs TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE identities(channel TEXT NOT NULL, external_id TEXT NOT NULL, member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE, PRIMARY KEY(channel, external_id)) WITHOUT ROWID;
        CREATE INDEX identities_member ON identities(member_id);
        CREATE TABLE orders(id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members(id), ts INTEGER NOT NULL, amount REAL NOT NULL DEFAULT 0, channel TEXT, category TEXT, product TEXT, is_new_product INTEGER NOT NULL DEFAULT 0, coupon TEXT, paid INTEGER NOT NULL DEFAULT 1, order_key TEXT UNIQUE);
        CREATE INDEX orders_member_ts ON orders(member_id, ts);
        CREATE TABLE events(id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members(id), ts INTEGER NOT NULL, type TEXT NOT NULL, category TEXT, keyword TEXT, props TEXT NOT NULL DEFAULT '{}', event_key TEXT UNIQUE);
        CREATE INDEX events_member_ts ON events(member_id, ts);
        CREATE TABLE tags(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL DEFAULT 'tag', state TEXT NOT NULL DEFAULT 'proposed', live_version_id INTEGER, orphaned INTEGER NOT NULL DEFAULT 0, file TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE tag_versions(id INTEGER PRIMARY KEY, tag_id INTEGER NOT NULL REFERENCES tags(id), hash TEXT NOT NULL, source TEXT NOT NULL, file TEXT NOT NULL, title TEXT, category TEXT, owner TEXT, value_kind TEXT, refresh TEXT, state TEXT NOT NULL DEFAULT 'proposed', proposed_at INTEGER NOT NULL, proposed_by TEXT, decided_at INTEGER, decided_by TEXT, reason TEXT, UNIQUE(tag_id, hash));
        CREATE TABLE member_tags(tag_id INTEGER NOT NULL, member_id INTEGER NOT NULL, value TEXT NOT NULL, since INTEGER NOT NULL, run_id INTEGER, PRIMARY KEY(tag_id, member_id)) WITHOUT ROWID;
        CREATE INDEX member_tags_member ON member_tags(member_id);
        CREATE TABLE runs(id INTEGER PRIMARY KEY, tag_id INTEGER NOT NULL, version_id INTEGER, trigger TEXT NOT NULL, as_of INTEGER NOT NULL, started_at REAL NOT NULL, finished_at REAL, status TEXT NOT NULL, members INTEGER NOT NULL DEFAULT 0, covered INTEGER NOT NULL DEFAULT 0, gained INTEGER NOT NULL DEFAULT 0, lost INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0, error TEXT);
        CREATE INDEX runs_tag ON runs(tag_id, id);
        CREATE TABLE tag_history(id INTEGER PRIMARY KEY, run_id INTEGER, tag_id INTEGER NOT NULL, member_id INTEGER NOT NULL, change TEXT NOT NULL, old_value TEXT, new_value TEXT, at INTEGER NOT NULL, reason TEXT);
        CREATE INDEX tag_history_member ON tag_history(member_id, tag_id);
        CREATE INDEX tag_history_tag ON tag_history(tag_id, run_id);
        CREATE TABLE users(name TEXT PRIMARY KEY, role TEXT NOT NULL, created_at INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE audit_log(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, tag TEXT, version_hash TEXT, reason TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
        """

    /// The catalog's browser sessions: only the SHA-256 of the session id is
    /// stored, with the API token (its hash) it was exchanged for, so revoking
    /// that token ends its sessions too; and an index for the segment page's
    /// outbox counts per plugin and status.
    static let schemaV9WebSessions = """
        CREATE TABLE web_sessions(hash TEXT PRIMARY KEY, user TEXT NOT NULL, token_hash TEXT NOT NULL, csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
        CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
        CREATE INDEX outbox_segment ON outbox(segment, plugin, status);
        """
}
