-- Vendor credit notes, their lines, and their links to bills (clearing amounts).
CREATE TABLE credit_notes (
  company_id               uuid NOT NULL REFERENCES companies(id),
  id                       uuid NOT NULL,
  company_entity_id        uuid NOT NULL,
  vendor_id                uuid,
  status                   text NOT NULL,
  document_number          text,
  ledger_document_number   text,
  amount                   bigint,
  currency                 char(3) NOT NULL,
  description              text,
  document_date            date,
  posting_date             date,
  are_lines_with_tax       boolean NOT NULL DEFAULT false,
  local_fx_rate_override   numeric,
  group_fx_rate_override   numeric,
  local_fx_rate            numeric,
  group_fx_rate            numeric,
  booked_local_amount      bigint,
  booked_group_amount      bigint,
  posted_transaction_id    uuid,
  reversal_transaction_id  uuid,
  document_blob_key        text,
  document_name            text,
  source_invoice_payable_id uuid,
  created_by               uuid,
  updated_by               uuid,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities (company_id, id),
  FOREIGN KEY (company_id, vendor_id) REFERENCES vendors (company_id, id)
);
CREATE INDEX credit_notes_created ON credit_notes (company_id, created_at, id);
-- documentNumber is a natural idempotency key per vendor.
CREATE UNIQUE INDEX credit_notes_number ON credit_notes (company_id, COALESCE(vendor_id, '00000000-0000-0000-0000-000000000000'::uuid), document_number)
  WHERE document_number IS NOT NULL;

CREATE TABLE credit_note_lines (
  company_id          uuid NOT NULL,
  id                  uuid NOT NULL,
  credit_note_id      uuid NOT NULL,
  position            int NOT NULL,
  gross_amount        bigint NOT NULL,
  net_amount          bigint NOT NULL,
  tax_amount          bigint NOT NULL,
  description         text,
  tax_code_id         uuid,
  account_id          uuid NOT NULL,
  cost_center_id      uuid,
  accrual_template_id uuid,
  accrual_start_date  date,
  accrual_end_date    date,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, credit_note_id) REFERENCES credit_notes (company_id, id)
);
CREATE INDEX credit_note_lines_note ON credit_note_lines (company_id, credit_note_id, position);

-- A credit note applied to a bill. When both are posted the link has a clearing (a CN row in
-- invoice_payable_payments, clearing_id); before the bill is posted it waits for the bill's post.
CREATE TABLE credit_note_links (
  company_id          uuid NOT NULL,
  credit_note_id      uuid NOT NULL,
  invoice_payable_id  uuid NOT NULL,
  amount              bigint NOT NULL CHECK (amount > 0),
  currency            char(3) NOT NULL,
  clearing_id         uuid,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (company_id, credit_note_id, invoice_payable_id),
  FOREIGN KEY (company_id, credit_note_id) REFERENCES credit_notes (company_id, id),
  FOREIGN KEY (company_id, invoice_payable_id) REFERENCES invoice_payables (company_id, id)
);
CREATE INDEX credit_note_links_bill ON credit_note_links (company_id, invoice_payable_id);
