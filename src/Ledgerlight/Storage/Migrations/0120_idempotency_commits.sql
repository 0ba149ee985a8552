-- Idempotency that survives a crash. A claim records the server instance running its request and,
-- written inside the request's own write transaction, whether that request committed anything
-- (committed_at) and the first id it created (resource_id). A retry after the instance died can
-- then tell "never happened: run it" from "happened, answer lost: never run it again".
ALTER TABLE idempotency_keys
  ADD COLUMN instance_id  uuid,
  ADD COLUMN committed_at timestamptz,
  ADD COLUMN resource_id  uuid;

-- One row per running server process, refreshed every few seconds; a claim whose instance has not
-- been heard from for a while belongs to a dead process. Logged on purpose: an UNLOGGED table is
-- emptied by a PostgreSQL crash, which would make every live instance look dead at once.
CREATE TABLE server_instances (
  id            uuid PRIMARY KEY,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now()
);
