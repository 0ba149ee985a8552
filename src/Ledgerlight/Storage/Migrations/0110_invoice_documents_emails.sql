-- Generated invoice PDFs (one current document per invoice; regenerated on each request) and the
-- e-mails that carry them. An e-mail row is written with its "invoice.email" job in the same
-- transaction; the job handler updates status, attempts and last_error on every try.
CREATE TABLE invoice_receivable_documents (
  company_id             uuid NOT NULL REFERENCES companies(id),
  id                     uuid NOT NULL,
  invoice_receivable_id  uuid NOT NULL,
  status                 text NOT NULL,            -- GENERATING | READY | FAILED
  blob_key               text,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, invoice_receivable_id),
  FOREIGN KEY (company_id, invoice_receivable_id) REFERENCES invoice_receivables (company_id, id)
);

CREATE TABLE invoice_receivable_emails (
  company_id             uuid NOT NULL REFERENCES companies(id),
  id                     uuid NOT NULL,
  invoice_receivable_id  uuid NOT NULL,
  job_id                 uuid NOT NULL,
  recipients             text[] NOT NULL,
  cc                     text[] NOT NULL DEFAULT '{}',
  reply_to               text,
  subject                text NOT NULL,
  custom_message         text,
  status                 text NOT NULL DEFAULT 'QUEUED',   -- QUEUED | SENT | FAILED (FAILED: last try failed; the job may retry)
  attempts               int NOT NULL DEFAULT 0,
  last_error             text,
  sent_at                timestamptz,
  created_by             uuid,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_receivable_id) REFERENCES invoice_receivables (company_id, id)
);
CREATE INDEX invoice_receivable_emails_invoice ON invoice_receivable_emails (company_id, invoice_receivable_id, created_at);
