-- Background work (emails, scheduled billing...) as rows: written in the same transaction as the
-- change that caused it, claimed by any server instance with FOR UPDATE SKIP LOCKED, retried with
-- backoff, and kept after completion for audit.
CREATE TABLE jobs (
  id             uuid PRIMARY KEY,
  company_id     uuid,
  kind           text NOT NULL,
  payload        jsonb NOT NULL,
  state          text NOT NULL DEFAULT 'QUEUED',   -- QUEUED | RUNNING | DONE | FAILED
  attempts       int NOT NULL DEFAULT 0,
  max_attempts   int NOT NULL DEFAULT 8,
  run_at         timestamptz NOT NULL,
  locked_until   timestamptz,
  last_error     text,
  created_at     timestamptz NOT NULL,
  completed_at   timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX jobs_company ON jobs (company_id, created_at);
