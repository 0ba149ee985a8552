-- The document (PDF, image) behind a bill: every upload URL handed out is remembered; the bill's
-- document is the newest one whose upload actually arrived.
CREATE TABLE invoice_payable_documents (
  company_id           uuid NOT NULL,
  id                   uuid NOT NULL,
  invoice_payable_id   uuid NOT NULL,
  blob_key             text NOT NULL,
  document_name        text,
  content_type         text NOT NULL,
  created_at           timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_payable_id) REFERENCES invoice_payables (company_id, id)
);
CREATE INDEX invoice_payable_documents_bill ON invoice_payable_documents (company_id, invoice_payable_id, created_at DESC);
