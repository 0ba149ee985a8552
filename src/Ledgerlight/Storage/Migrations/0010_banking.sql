-- Banking: the company's bank accounts, their statement lines (bank transactions) and one
-- opening balance each. Each bank account owns exactly one ledger account (type BANK), created
-- in the same transaction; ledger_accounts.bank_account_id points back.
CREATE TABLE bank_accounts (
  company_id                        uuid NOT NULL REFERENCES companies(id),
  id                                uuid NOT NULL,
  company_entity_id                 uuid NOT NULL,
  ledger_account_id                 uuid NOT NULL,
  name                              text NOT NULL,
  type                              text NOT NULL DEFAULT 'PHYSICAL',
  bank_provider                     text NOT NULL,
  payment_scheduling_eligibility    text NOT NULL DEFAULT 'INELIGIBLE',
  currency                          text NOT NULL,
  bank_country                      text NOT NULL,
  bank_name                         text NOT NULL,
  iban                              text,
  bic                               text,
  domestic_bank_account_number      text,
  domestic_bank_code                text,
  bank_city                         text,
  bank_address                      text,
  bank_zipcode                      text,
  bank_state                        text,
  default_charge_bearer_code        text,
  created_by                        uuid,
  created_at                        timestamptz NOT NULL,
  updated_at                        timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, ledger_account_id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities (company_id, id),
  FOREIGN KEY (company_id, ledger_account_id) REFERENCES ledger_accounts (company_id, id)
);

-- Statement lines. amount is positive minor units; dc_sign D = money out, C = money in.
-- transaction_id is the bank's own id: a line already loaded is skipped, never duplicated
-- (NULLs never collide, so lines without one are always inserted).
CREATE TABLE bank_transactions (
  company_id              uuid NOT NULL,
  id                      uuid NOT NULL,
  bank_account_id         uuid NOT NULL,
  date                    date NOT NULL,
  amount                  bigint NOT NULL CHECK (amount > 0),
  dc_sign                 text NOT NULL CHECK (dc_sign IN ('D', 'C')),
  reconciliation_status   text NOT NULL DEFAULT 'UNMATCHED',
  name                    text,
  memo                    text,
  reference               text,
  transaction_id          text,
  created_at              timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, bank_account_id, transaction_id),
  FOREIGN KEY (company_id, bank_account_id) REFERENCES bank_accounts (company_id, id)
);
-- The list's default order (date, id) within one bank account.
CREATE INDEX bank_transactions_account_date ON bank_transactions (company_id, bank_account_id, date, id);

-- Per bank account and day: the sum of that day's lines, written in the same statement that
-- inserts them. A bank balance as of a date sums days, never lines, so it costs the same at
-- a thousand lines as at ten million.
CREATE TABLE bank_account_daily_totals (
  company_id          uuid NOT NULL,
  bank_account_id     uuid NOT NULL,
  day                 date NOT NULL,
  credit_total        bigint NOT NULL DEFAULT 0,
  debit_total         bigint NOT NULL DEFAULT 0,
  transaction_count   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (company_id, bank_account_id, day),
  FOREIGN KEY (company_id, bank_account_id) REFERENCES bank_accounts (company_id, id)
);

-- The one opening balance of a bank account (PUT upserts it; the id survives updates).
CREATE TABLE bank_account_balances (
  company_id          uuid NOT NULL,
  bank_account_id     uuid NOT NULL,
  id                  uuid NOT NULL,
  balance             bigint NOT NULL,
  balance_at          timestamptz NOT NULL,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (company_id, bank_account_id),
  UNIQUE (company_id, id),
  FOREIGN KEY (company_id, bank_account_id) REFERENCES bank_accounts (company_id, id)
);
