-- Bills (invoice payables), their lines, the bank payments that clear them, approval workflow
-- records, vendor approvers and the company's approval threshold.
CREATE TABLE invoice_payables (
  company_id               uuid NOT NULL REFERENCES companies(id),
  id                       uuid NOT NULL,
  company_entity_id        uuid NOT NULL,
  vendor_id                uuid,
  type                     text NOT NULL DEFAULT 'VENDOR_INVOICE',
  state                    text NOT NULL,
  failure_reason           text,
  processing_mode          text NOT NULL DEFAULT 'DATA_ONLY',
  invoice_number           text,
  amount                   bigint,
  currency                 char(3) NOT NULL,
  description              text,
  sender_bank_account_id   uuid,
  fi_number                text,
  nor_kid_reference        text,
  swiss_payment_reference  text,
  payment_at               timestamptz,
  issued_date              date,
  due_date                 date,
  approval_note            text,
  purchase_order_id        uuid,
  line_items_include_tax   boolean NOT NULL DEFAULT false,
  local_fx_rate_override   numeric,
  group_fx_rate_override   numeric,
  local_fx_rate            numeric,
  group_fx_rate            numeric,
  cancellation_reason      text,
  canceled_at              timestamptz,
  sender_email             text,
  ocr_completed_at         timestamptz,
  document_number          text,
  posting_date             date,
  posted_transaction_id    uuid,
  reversal_transaction_id  uuid,
  booked_local_amount      bigint,
  booked_group_amount      bigint,
  duplicate_of_id          uuid,
  version                  int NOT NULL DEFAULT 1,
  created_by               uuid,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities (company_id, id),
  FOREIGN KEY (company_id, vendor_id) REFERENCES vendors (company_id, id)
);
CREATE INDEX invoice_payables_created ON invoice_payables (company_id, created_at, id);
CREATE INDEX invoice_payables_vendor_number ON invoice_payables (company_id, vendor_id, lower(invoice_number));

CREATE TABLE invoice_payable_line_items (
  company_id                 uuid NOT NULL,
  id                         uuid NOT NULL,
  invoice_payable_id         uuid NOT NULL,
  position                   int NOT NULL,
  amount                     bigint NOT NULL,
  net_amount                 bigint NOT NULL,
  tax_amount                 bigint NOT NULL,
  description                text,
  tax_code_id                uuid,
  account_id                 uuid NOT NULL,
  amortization_start_date    date,
  amortization_end_date      date,
  amortization_template_id   uuid,
  created_at                 timestamptz NOT NULL,
  updated_at                 timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_payable_id) REFERENCES invoice_payables (company_id, id)
);
CREATE INDEX invoice_payable_line_items_bill ON invoice_payable_line_items (company_id, invoice_payable_id, position);

-- Clearings of a bill. The id is also the clearing's accounting document id (type BP).
CREATE TABLE invoice_payable_payments (
  company_id               uuid NOT NULL,
  id                       uuid NOT NULL,
  invoice_payable_id       uuid NOT NULL,
  type                     text NOT NULL DEFAULT 'BP',
  amount                   bigint NOT NULL CHECK (amount > 0),
  currency                 char(3) NOT NULL,
  payment_date             date NOT NULL,
  bank_account_id          uuid,
  comment                  text,
  document_number          text NOT NULL,
  booked_local_amount      bigint NOT NULL,
  booked_group_amount      bigint NOT NULL,
  transaction_id           uuid NOT NULL,
  reversal_transaction_id  uuid,
  reversed_at              timestamptz,
  created_by               uuid,
  created_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_payable_id) REFERENCES invoice_payables (company_id, id)
);
CREATE INDEX invoice_payable_payments_bill ON invoice_payable_payments (company_id, invoice_payable_id, created_at);

-- One approval round of a bill; its steps are the approvers asked (or one open step anyone with
-- the approvals permission may take, when the vendor names no approvers).
CREATE TABLE invoice_approvals (
  company_id          uuid NOT NULL,
  id                  uuid NOT NULL,
  invoice_payable_id  uuid NOT NULL,
  status              text NOT NULL,
  note                text,
  completed_at        timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, invoice_payable_id) REFERENCES invoice_payables (company_id, id)
);
CREATE INDEX invoice_approvals_bill ON invoice_approvals (company_id, invoice_payable_id, created_at);

CREATE TABLE invoice_user_approvals (
  company_id     uuid NOT NULL,
  id             uuid NOT NULL,
  approval_id    uuid NOT NULL,
  user_id        uuid,
  named          boolean NOT NULL,
  priority       int NOT NULL,
  status         text NOT NULL,
  note           text,
  completed_at   timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, approval_id) REFERENCES invoice_approvals (company_id, id)
);
CREATE INDEX invoice_user_approvals_approval ON invoice_user_approvals (company_id, approval_id, priority);

CREATE TABLE vendor_approvers (
  company_id   uuid NOT NULL,
  id           uuid NOT NULL,
  vendor_id    uuid NOT NULL,
  user_id      uuid NOT NULL,
  priority     int NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, vendor_id, user_id),
  FOREIGN KEY (company_id, vendor_id) REFERENCES vendors (company_id, id)
);

CREATE TABLE invoice_approval_rules (
  company_id         uuid NOT NULL REFERENCES companies(id),
  amount_threshold   bigint,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (company_id)
);
