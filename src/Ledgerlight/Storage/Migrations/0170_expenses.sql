-- Expenses: a receipt a user uploads, its line items, and the reimbursement that pays the user back.

-- An expense exists from the moment its upload URL is handed out (status PENDING_UPLOAD, never shown);
-- it becomes visible (CREATED) once the receipt has landed in blobs under receipt_document_key.
CREATE TABLE expenses (
  company_id            uuid NOT NULL,
  id                    uuid NOT NULL,
  user_id               uuid NOT NULL,
  receipt_document_key  text NOT NULL,
  receipt_file_name     text,
  original_currency     text NOT NULL,
  billing_currency      text NOT NULL,
  performed_date        date,
  status                text NOT NULL,
  reimbursement_id      uuid,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, receipt_document_key),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id),
  FOREIGN KEY (company_id, reimbursement_id) REFERENCES reimbursements (company_id, id)
);
CREATE INDEX expenses_user_status ON expenses (company_id, user_id, status);
CREATE INDEX expenses_status ON expenses (company_id, status);

-- billing_amount is in the expense's billing currency: the amount given, or original_amount converted at
-- the ECB rate of the expense's performed date (billing_amount_given says which, so a change of date or
-- currency re-converts only the derived ones).
CREATE TABLE expense_line_items (
  company_id                  uuid NOT NULL,
  id                          uuid NOT NULL,
  expense_id                  uuid NOT NULL,
  original_amount             bigint,
  billing_amount              bigint,
  billing_amount_given        boolean NOT NULL DEFAULT false,
  account_id                  uuid,
  cost_center_id              uuid,
  description                 text,
  reimbursement_category_id   uuid,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id),
  FOREIGN KEY (company_id, account_id) REFERENCES ledger_accounts (company_id, id)
);
CREATE INDEX expense_line_items_expense ON expense_line_items (company_id, expense_id, created_at);

-- A reimbursement is paid through one invoice payable of type REIMBURSEMENT; its status is derived from that bill.
ALTER TABLE reimbursements ADD COLUMN invoice_payable_id uuid;
ALTER TABLE reimbursements ADD CONSTRAINT reimbursements_invoice_payable
  FOREIGN KEY (company_id, invoice_payable_id) REFERENCES invoice_payables (company_id, id);
CREATE UNIQUE INDEX reimbursements_invoice_payable_unique ON reimbursements (company_id, invoice_payable_id);

-- Which expense line each line of a reimbursement bill pays (for the bill line's REIMBURSEMENT metadata).
-- A line removed from the bill while it is still a draft takes its link with it.
CREATE TABLE reimbursement_line_items (
  company_id               uuid NOT NULL,
  invoice_payable_line_id  uuid NOT NULL,
  expense_id               uuid NOT NULL,
  expense_line_id          uuid NOT NULL,
  PRIMARY KEY (company_id, invoice_payable_line_id),
  FOREIGN KEY (company_id, invoice_payable_line_id) REFERENCES invoice_payable_line_items (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id),
  FOREIGN KEY (company_id, expense_line_id) REFERENCES expense_line_items (company_id, id)
);
