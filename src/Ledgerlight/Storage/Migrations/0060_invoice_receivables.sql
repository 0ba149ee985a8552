-- Sales invoices (invoice receivables), their lines and the payments recorded against them.
-- An invoice's ledger effect lives in ledger_transactions (document type AR when opened, BP per
-- payment); posted_transaction_id points at the current opening posting.
CREATE TABLE invoice_receivables (
  company_id                        uuid NOT NULL REFERENCES companies(id),
  id                                uuid NOT NULL,
  company_entity_id                 uuid NOT NULL,
  customer_id                       uuid,
  contract_id                       uuid,
  state                             text NOT NULL DEFAULT 'DRAFT',
  invoice_number                    text,
  description                       text,
  currency                          text NOT NULL,
  payment_type                      text,
  payee_bank_account_id             uuid,
  invoice_date                      date,
  posting_date                      date,
  due_date                          date,
  net_terms                         int,
  invoice_template_id               uuid,
  invoice_template_additional_text  text,
  po_number                         text,
  reference                         text,
  are_lines_with_tax                boolean NOT NULL DEFAULT true,
  local_fx_rate                     numeric,
  group_fx_rate                     numeric,
  amount                            bigint NOT NULL DEFAULT 0,
  paid_amount                       bigint NOT NULL DEFAULT 0,
  posted_transaction_id             uuid,
  opened_at                         timestamptz,
  created_by                        uuid,
  updated_by                        uuid,
  created_at                        timestamptz NOT NULL,
  updated_at                        timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities (company_id, id),
  CHECK (paid_amount >= 0 AND paid_amount <= amount)
);
-- Invoice numbers are unique per entity (a caller's own number included).
CREATE UNIQUE INDEX invoice_receivables_number ON invoice_receivables (company_id, company_entity_id, invoice_number)
  WHERE invoice_number IS NOT NULL;
CREATE INDEX invoice_receivables_created ON invoice_receivables (company_id, created_at, id);
CREATE INDEX invoice_receivables_customer ON invoice_receivables (company_id, customer_id);

CREATE TABLE invoice_receivable_lines (
  company_id                uuid NOT NULL,
  id                        uuid NOT NULL,
  invoice_receivable_id     uuid NOT NULL,
  product_id                uuid NOT NULL,
  quantity                  numeric NOT NULL,
  tax_code_id               uuid,
  account_id                uuid,
  discount_type             text,
  discount_value            numeric,
  unit_price                bigint NOT NULL,
  discount_amount           bigint NOT NULL,
  net_amount                bigint NOT NULL,
  tax_amount                bigint NOT NULL,
  gross_amount              bigint NOT NULL,
  price_overwrite           bigint,
  product_name_overwrite    text,
  tax_amount_overwrite      bigint,
  avatax_code               text,
  billing_start             date,
  billing_end               date,
  accrual_template_id       uuid,
  accrual_start_date        date,
  accrual_end_date          date,
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_receivable_id) REFERENCES invoice_receivables (company_id, id)
);
CREATE INDEX invoice_receivable_lines_invoice ON invoice_receivable_lines (company_id, invoice_receivable_id, id);

-- The next invoice number per entity: starts at company_entities.seed_invoice_number, then runs
-- on without gaps (the row lock taken when a number is drawn is held until the opening commits).
CREATE TABLE invoice_number_sequences (
  company_id         uuid NOT NULL,
  company_entity_id  uuid NOT NULL,
  next_value         bigint NOT NULL,
  PRIMARY KEY (company_id, company_entity_id)
);

CREATE TABLE invoice_receivable_payments (
  company_id              uuid NOT NULL,
  id                      uuid NOT NULL,           -- also the BP accounting document's id
  invoice_receivable_id   uuid NOT NULL,
  amount                  bigint NOT NULL CHECK (amount > 0),
  currency                text NOT NULL,
  payment_date            date NOT NULL,
  bank_account_id         uuid,
  ledger_transaction_id   uuid NOT NULL,
  created_by              uuid,
  created_at              timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_receivable_id) REFERENCES invoice_receivables (company_id, id)
);
CREATE INDEX invoice_receivable_payments_invoice ON invoice_receivable_payments (company_id, invoice_receivable_id, created_at);
