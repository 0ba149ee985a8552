-- Customer credits (sales credit notes), their lines and their applications to sales invoices.
-- Posting writes a CN accounting document (Dr revenue/output tax, Cr AR); each application to an
-- invoice writes a CN clearing transaction (Dr AR credit side / Cr AR invoice side) that unlinking reverses.
CREATE TABLE customer_credits (
  company_id              uuid NOT NULL REFERENCES companies(id),
  id                      uuid NOT NULL,
  company_entity_id       uuid NOT NULL,
  customer_id             uuid,
  status                  text NOT NULL DEFAULT 'DRAFT',
  document_number         text,
  description             text,
  currency                text NOT NULL,
  document_date           date,
  posting_date            date,
  document_template_id    uuid,
  are_lines_with_tax      boolean NOT NULL DEFAULT true,
  local_fx_rate           numeric,
  group_fx_rate           numeric,
  amount                  bigint NOT NULL DEFAULT 0,
  applied_amount          bigint NOT NULL DEFAULT 0,
  posted_transaction_id   uuid,
  einvoice_status         text,
  created_by              uuid,
  updated_by              uuid,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities (company_id, id),
  CHECK (applied_amount >= 0 AND applied_amount <= amount)
);
CREATE INDEX customer_credits_created ON customer_credits (company_id, created_at, id);

CREATE TABLE customer_credit_lines (
  company_id              uuid NOT NULL,
  id                      uuid NOT NULL,
  customer_credit_id      uuid NOT NULL,
  product_id              uuid NOT NULL,
  quantity                numeric NOT NULL,
  tax_code_id             uuid,
  account_id              uuid,
  description             text,
  avatax_code             text,
  amount_overwrite        bigint,
  tax_amount_overwrite    bigint,
  unit_price              bigint NOT NULL,
  net_amount              bigint NOT NULL,
  tax_amount              bigint NOT NULL,
  gross_amount            bigint NOT NULL,
  accrual_template_id     uuid,
  accrual_start_date      date,
  accrual_end_date        date,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, customer_credit_id) REFERENCES customer_credits (company_id, id)
);
CREATE INDEX customer_credit_lines_credit ON customer_credit_lines (company_id, customer_credit_id, id);

CREATE TABLE customer_credit_applications (
  company_id              uuid NOT NULL,
  customer_credit_id      uuid NOT NULL,
  invoice_receivable_id   uuid NOT NULL,
  amount                  bigint NOT NULL CHECK (amount > 0),
  clearing_document_id    uuid NOT NULL,           -- the CN clearing's accounting document
  ledger_transaction_id   uuid NOT NULL,
  linked_by               uuid,
  linked_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, customer_credit_id, invoice_receivable_id),
  FOREIGN KEY (company_id, customer_credit_id) REFERENCES customer_credits (company_id, id),
  FOREIGN KEY (company_id, invoice_receivable_id) REFERENCES invoice_receivables (company_id, id)
);
CREATE INDEX customer_credit_applications_invoice ON customer_credit_applications (company_id, invoice_receivable_id);
