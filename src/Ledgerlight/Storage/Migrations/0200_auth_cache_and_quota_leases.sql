-- Issue 12: servers cache resolved credentials in memory and lease rate-limit quota in blocks.

-- Every change that can stop a credential from working (a key revoked, re-roled or deleted, a user
-- deactivated or deleted) tells every server instance at commit, whichever code or tool made it.
-- Instances LISTEN on this channel and drop their credential cache (Platform/Auth/PrincipalCache.cs).
-- Statement-level, empty payload: PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ledgerlight_credentials', '');
  RETURN NULL;
END $$;

CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();

-- A lease takes up to n units of a window without passing the limit; the statement's SET computes the
-- grant from the row as it was, and RETURNING hands it back with the new count (PostgreSQL 15 has no
-- OLD in RETURNING). Requests counted one by one (+1) leave it alone.
ALTER TABLE rate_limit_counters ADD COLUMN last_grant int NOT NULL DEFAULT 0;
