-- Contracts with their lines, and the once-per-period billing key that makes contract billing
-- exactly-once: a billing run inserts (company, contract line, period start) in the same
-- transaction as the DRAFT sales invoice it creates, so a second run (or a concurrent one on
-- another server instance) finds the key and creates nothing.
CREATE TABLE contracts (
  company_id             uuid NOT NULL REFERENCES companies(id),
  id                     uuid NOT NULL,
  company_entity_id      uuid NOT NULL,
  customer_id            uuid,
  state                  text NOT NULL DEFAULT 'CREATED',
  start_date             date,
  end_date               date,
  renewal_date           date,
  billing_start          date,
  termination_date       date,
  termination_reason     text,
  activated_at           timestamptz,
  terminated_at          timestamptz,
  invoice_template_id    uuid,
  currency               text NOT NULL,
  estimated_amount       bigint,
  payment_type           text,
  payee_bank_account_id  uuid,
  net_terms              int,
  invoice_lead_days      int,
  description            text,
  are_lines_with_tax     boolean NOT NULL DEFAULT true,
  document_key           text,
  created_by             uuid,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities (company_id, id)
);
CREATE INDEX contracts_created ON contracts (company_id, created_at, id);
CREATE INDEX contracts_billable ON contracts (state) WHERE state IN ('ACTIVE', 'PENDING_TERMINATION', 'TERMINATED');

CREATE TABLE contract_lines (
  company_id               uuid NOT NULL,
  id                       uuid NOT NULL,
  contract_id              uuid NOT NULL,
  product_id               uuid NOT NULL,
  billing_start            date,
  billing_end              date,
  billing_recurrence       text NOT NULL,
  account_id               uuid,
  tax_code_id              uuid,
  avatax_code              text,
  discount                 jsonb,
  quantity                 numeric NOT NULL,
  price_overwrite          bigint,
  product_name_overwrite   text,
  amortization_template_id uuid,
  amortization_start_date  date,
  amortization_end_date    date,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, contract_id) REFERENCES contracts (company_id, id) ON DELETE CASCADE
);
CREATE INDEX contract_lines_contract ON contract_lines (company_id, contract_id, id);

-- One row per billed (line, period): the unique key is the exactly-once guarantee. No foreign
-- key to contract_lines: a billed period stays recorded when its line is later deleted.
CREATE TABLE contract_billings (
  company_id        uuid NOT NULL,
  contract_line_id  uuid NOT NULL,
  period_start      date NOT NULL,
  period_end        date NOT NULL,
  contract_id       uuid NOT NULL,
  invoice_id        uuid NOT NULL,
  billed_at         timestamptz NOT NULL,
  PRIMARY KEY (company_id, contract_line_id, period_start)
);
CREATE INDEX contract_billings_contract ON contract_billings (company_id, contract_id);
