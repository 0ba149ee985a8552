-- The general ledger. ledger_transactions/ledger_lines are written only by the posting engine
-- (Ledger/PostingEngine.cs) and never change afterwards: a trigger refuses UPDATE and DELETE.
-- Corrections are reversals (new transactions) plus new entries.

-- Numbering per entity, document type and year (gap-free: taken inside the posting transaction).
CREATE TABLE document_sequences (
  company_id         uuid NOT NULL,
  company_entity_id  uuid NOT NULL,
  document_type      text NOT NULL,
  year               int NOT NULL,
  next_value         bigint NOT NULL,
  PRIMARY KEY (company_id, company_entity_id, document_type, year)
);

-- Books of an entity are locked up to and including locked_through.
CREATE TABLE period_locks (
  company_id         uuid NOT NULL,
  company_entity_id  uuid NOT NULL,
  locked_through     date NOT NULL,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (company_id, company_entity_id)
);

-- One row per posted document of any type (JE, AP, AR, BP, CN...): the accounting-documents feed.
CREATE TABLE accounting_documents (
  company_id             uuid NOT NULL,
  id                     uuid NOT NULL,          -- the source document's id
  company_entity_id      uuid NOT NULL,
  document_type          text NOT NULL,
  ledger_name            text NOT NULL DEFAULT 'PRIMARY',
  document_number        text,
  document_sequence_id   text,
  status                 text NOT NULL,
  description            text,
  currency               char(3) NOT NULL,
  document_date          date,
  posting_date           date NOT NULL,
  valuation_date         date,
  are_lines_with_tax     boolean NOT NULL DEFAULT false,
  business_partner_name  text,
  business_partner_id    uuid,
  total_amount           bigint NOT NULL,
  total_dc_sign          char(1) NOT NULL,
  created_by             uuid,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX accounting_documents_created ON accounting_documents (company_id, created_at, id);
CREATE INDEX accounting_documents_posting ON accounting_documents (company_id, posting_date, id);

CREATE TABLE ledger_transactions (
  company_id                 uuid NOT NULL,
  id                         uuid NOT NULL,
  company_entity_id          uuid NOT NULL,
  ledger_name                text NOT NULL,
  transaction_sequence_id    text NOT NULL,
  transaction_type           text NOT NULL DEFAULT 'DEFAULT',
  accounting_document_id     uuid NOT NULL,
  document_type              text NOT NULL,
  posting_date               date NOT NULL,
  reverses_transaction_id    uuid,
  created_by                 uuid,
  created_at                 timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX ledger_transactions_document ON ledger_transactions (company_id, accounting_document_id);
CREATE UNIQUE INDEX ledger_transactions_one_reversal ON ledger_transactions (company_id, reverses_transaction_id)
  WHERE reverses_transaction_id IS NOT NULL;

-- Posted lines. Amounts are positive minor units with a D/C sign; signed_* are debit-positive.
-- Document fields are copied in so every filter and sort of the lines API is on one table.
CREATE TABLE ledger_lines (
  company_id                    uuid NOT NULL,
  id                            uuid NOT NULL,
  ledger_transaction_id         uuid NOT NULL,
  transaction_sequence_id       text NOT NULL,
  transaction_type              text NOT NULL DEFAULT 'DEFAULT',
  company_entity_id             uuid NOT NULL,
  ledger_name                   text NOT NULL,
  account_id                    uuid NOT NULL,
  dc_sign                       char(1) NOT NULL CHECK (dc_sign IN ('D', 'C')),
  transaction_amount            bigint NOT NULL CHECK (transaction_amount >= 0),
  transaction_currency          char(3) NOT NULL,
  local_amount                  bigint NOT NULL CHECK (local_amount >= 0),
  local_currency                char(3) NOT NULL,
  group_amount                  bigint NOT NULL CHECK (group_amount >= 0),
  group_currency                char(3) NOT NULL,
  signed_local_amount           bigint NOT NULL,
  posting_date                  date NOT NULL,
  valuation_date                date NOT NULL,
  accounting_document_id        uuid NOT NULL,
  accounting_document_line_id   uuid,
  document_type                 text NOT NULL,
  document_number               text,
  document_sequence_id          text,
  description                   text,
  document_description          text,
  tax_id                        uuid,
  tax_code                      text,
  tax_tag_label                 text,
  business_partner_name         text,
  business_partner_id           uuid,
  cost_center_id                uuid,
  line_type                     text NOT NULL DEFAULT 'DEFAULT',
  custom_properties             jsonb,
  created_by                    uuid,
  created_at                    timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, ledger_transaction_id) REFERENCES ledger_transactions (company_id, id)
);
CREATE INDEX ledger_lines_created ON ledger_lines (company_id, created_at, id);
CREATE INDEX ledger_lines_posting ON ledger_lines (company_id, posting_date, id);
CREATE INDEX ledger_lines_account ON ledger_lines (company_id, account_id, posting_date, id);
CREATE INDEX ledger_lines_document ON ledger_lines (company_id, accounting_document_id);

-- Per account, entity, ledger, day and transaction currency: the sum of that day's postings,
-- maintained by the posting engine in the same transaction. A balance as of a date sums days,
-- never lines; the transaction-currency sums give a foreign-currency bank account its balance in
-- its own currency.
CREATE TABLE account_daily_balances (
  company_id            uuid NOT NULL,
  company_entity_id     uuid NOT NULL,
  ledger_name           text NOT NULL,
  account_id            uuid NOT NULL,
  day                   date NOT NULL,
  transaction_currency  char(3) NOT NULL,
  debit_transaction     bigint NOT NULL DEFAULT 0,
  credit_transaction    bigint NOT NULL DEFAULT 0,
  debit_local           bigint NOT NULL DEFAULT 0,
  credit_local          bigint NOT NULL DEFAULT 0,
  debit_group           bigint NOT NULL DEFAULT 0,
  credit_group          bigint NOT NULL DEFAULT 0,
  line_count            bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (company_id, company_entity_id, ledger_name, account_id, day, transaction_currency)
);

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'posted ledger data is immutable: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER ledger_lines_immutable BEFORE UPDATE OR DELETE ON ledger_lines
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER ledger_transactions_immutable BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- Manual journal entries (documents of type JE): drafts are editable; posting writes ledger lines.
CREATE TABLE journal_entries (
  company_id                      uuid NOT NULL,
  id                              uuid NOT NULL,
  company_entity_id               uuid NOT NULL,
  ledger_name                     text NOT NULL DEFAULT 'PRIMARY',
  document_number                 text,
  document_sequence_id            text,
  status                          text NOT NULL,
  description                     text,
  currency                        char(3) NOT NULL,
  posting_date                    date,
  document_date                   date,
  valuation_date                  date,
  local_fx_rate_override          numeric,
  group_fx_rate_override          numeric,
  local_fx_rate                   numeric,
  group_fx_rate                   numeric,
  are_lines_with_tax              boolean NOT NULL DEFAULT false,
  business_partner_name           text,
  business_partner_id             uuid,
  custom_properties               jsonb,
  posted_transaction_id           uuid,
  reversal_transaction_id         uuid,
  created_by                      uuid,
  updated_by                      uuid,
  created_at                      timestamptz NOT NULL,
  updated_at                      timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);

CREATE TABLE journal_entry_lines (
  company_id                uuid NOT NULL,
  id                        uuid NOT NULL,
  journal_entry_id          uuid NOT NULL,
  position                  int NOT NULL,
  dc_sign                   char(1) NOT NULL,
  net_amount                bigint NOT NULL,
  tax_amount                bigint NOT NULL DEFAULT 0,
  gross_amount              bigint NOT NULL,
  description               text,
  target_company_entity_id  uuid,
  ledger_tax_id             uuid,
  ledger_account_id         uuid,
  cost_center_id            uuid,
  amortization_template_id  uuid,
  amortization_start_date   date,
  amortization_end_date     date,
  custom_properties         jsonb,
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, journal_entry_id) REFERENCES journal_entries (company_id, id)
);
CREATE INDEX journal_entry_lines_entry ON journal_entry_lines (company_id, journal_entry_id, position);

-- Ledger transaction numbers need only be unique and increasing, not gap-free, so they come from a
-- sequence: no row lock for concurrent postings to queue on (document numbers keep their gap-free
-- per-entity counters in document_sequences).
CREATE SEQUENCE ledger_transaction_numbers;
