-- Chart of accounts. code is unique per company; category is derived from type and kept as a
-- column so it can be filtered and sorted like the other fields.
CREATE TABLE ledger_accounts (
  company_id                        uuid NOT NULL REFERENCES companies(id),
  id                                uuid NOT NULL,
  code                              int NOT NULL,
  label                             text NOT NULL,
  type                              text NOT NULL,
  category                          text NOT NULL,
  status                            text NOT NULL DEFAULT 'ACTIVE',
  context                           text,
  source_type                       text NOT NULL DEFAULT 'LIGHT',
  -- The job this account does for automatic postings (AP, AR, INPUT_TAX...); null for ordinary accounts.
  system_role                       text,
  revaluate_fx_balance              boolean NOT NULL DEFAULT false,
  bank_account_id                   uuid,
  card_account_id                   uuid,
  cash_and_equivalents_account_id   uuid,
  created_at                        timestamptz NOT NULL,
  updated_at                        timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, code)
);

CREATE TABLE ledger_account_entities (
  company_id          uuid NOT NULL,
  ledger_account_id   uuid NOT NULL,
  company_entity_id   uuid NOT NULL,
  PRIMARY KEY (company_id, ledger_account_id, company_entity_id),
  FOREIGN KEY (company_id, ledger_account_id) REFERENCES ledger_accounts(company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities(company_id, id)
);
CREATE UNIQUE INDEX ledger_accounts_role ON ledger_accounts (company_id, system_role) WHERE system_role IS NOT NULL;
