-- Spend: card balance accounts, cards and their limits, card transactions (shaped for
-- ExternalCardTransactionV1Model, with one editable line each), the issuer's RSA keys per entity
-- and the per-company secret the card network signs its messages with.

CREATE TABLE card_balance_accounts (
  company_id         uuid NOT NULL REFERENCES companies(id),
  id                 uuid NOT NULL,
  company_entity_id  uuid NOT NULL,
  currency           char(3) NOT NULL,
  label              text NOT NULL,
  status             text NOT NULL,
  is_primary         boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities(company_id, id)
);
-- One primary account per entity: the one every entity gets from the start.
CREATE UNIQUE INDEX card_balance_accounts_primary ON card_balance_accounts (company_id, company_entity_id) WHERE is_primary;

-- Existing entities get their primary account now; new ones get it when they are created (CompanyStore).
INSERT INTO card_balance_accounts (company_id, id, company_entity_id, currency, label, status, is_primary, created_at, updated_at)
SELECT e.company_id, gen_random_uuid(), e.id, e.local_currency, e.name || ' ' || trim(e.local_currency), 'ACTIVE', true, now(), now()
  FROM company_entities e
 WHERE NOT EXISTS (SELECT 1 FROM card_balance_accounts b WHERE b.company_id = e.company_id AND b.company_entity_id = e.id AND b.is_primary);

-- Money moved into a balance account from a bank account; each one posted Dr card / Cr bank.
CREATE TABLE card_balance_account_fundings (
  company_id               uuid NOT NULL,
  id                       uuid NOT NULL,
  card_balance_account_id  uuid NOT NULL,
  bank_account_id          uuid NOT NULL,
  amount                   bigint NOT NULL CHECK (amount > 0),
  description              text,
  funded_at                timestamptz NOT NULL,
  ledger_transaction_id    uuid NOT NULL,
  created_by               uuid,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, card_balance_account_id) REFERENCES card_balance_accounts(company_id, id),
  FOREIGN KEY (company_id, bank_account_id) REFERENCES bank_accounts(company_id, id)
);
CREATE INDEX card_balance_account_fundings_account ON card_balance_account_fundings (company_id, card_balance_account_id, funded_at);

-- The PAN itself is never stored: only its BIN and last four digits (see CardNumbers).
CREATE TABLE cards (
  company_id               uuid NOT NULL,
  id                       uuid NOT NULL,
  company_entity_id        uuid NOT NULL,
  card_balance_account_id  uuid NOT NULL,
  owner_id                 uuid NOT NULL,
  form                     text NOT NULL,
  status                   text NOT NULL,
  type                     text NOT NULL,
  vendor_id                uuid,
  employee_id              uuid,
  description              text,
  bin                      text NOT NULL,
  last_four                text NOT NULL,
  cardholder_name          text NOT NULL,
  authentication_email     text,
  authentication_phone     jsonb,
  delivery_contact         jsonb,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, card_balance_account_id) REFERENCES card_balance_accounts(company_id, id),
  FOREIGN KEY (company_id, owner_id) REFERENCES users(company_id, id),
  FOREIGN KEY (company_id, vendor_id) REFERENCES vendors(company_id, id),
  FOREIGN KEY (company_id, employee_id) REFERENCES users(company_id, id)
);
CREATE INDEX cards_owner ON cards (company_id, owner_id);
CREATE INDEX cards_created ON cards (company_id, created_at, id);

CREATE TABLE card_limits (
  company_id  uuid NOT NULL,
  id          uuid NOT NULL,
  card_id     uuid NOT NULL,
  amount      bigint NOT NULL CHECK (amount >= 0),
  currency    char(3) NOT NULL,
  interval    text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, card_id) REFERENCES cards(company_id, id)
);
CREATE INDEX card_limits_card ON card_limits (company_id, card_id);

CREATE TABLE card_transactions (
  company_id               uuid NOT NULL,
  id                       uuid NOT NULL,
  company_entity_id        uuid NOT NULL,
  card_balance_account_id  uuid NOT NULL,
  card_id                  uuid NOT NULL,
  network_reference        text NOT NULL,
  related_transaction_id   uuid,
  original_amount          bigint NOT NULL,
  original_currency        char(3) NOT NULL,
  amount                   bigint NOT NULL,
  currency                 char(3) NOT NULL,
  fx_rate                  numeric(30, 15),
  direction                text NOT NULL,
  transaction_reason       text NOT NULL,
  purchase_type            text NOT NULL,
  status                   text NOT NULL,
  type                     text NOT NULL,
  merchant                 jsonb,
  receipt_document_key     text,
  edit_status              text NOT NULL,
  description              text,
  custom_properties        jsonb,
  performed_at             timestamptz NOT NULL,
  captured_at              timestamptz,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  updated_by               uuid,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, card_id) REFERENCES cards(company_id, id),
  FOREIGN KEY (company_id, card_balance_account_id) REFERENCES card_balance_accounts(company_id, id),
  FOREIGN KEY (company_id, related_transaction_id) REFERENCES card_transactions(company_id, id)
);
-- A network message retried with the same reference is answered with the transaction it created.
CREATE UNIQUE INDEX card_transactions_reference ON card_transactions (company_id, network_reference);
CREATE INDEX card_transactions_account ON card_transactions (company_id, card_balance_account_id, performed_at);
CREATE INDEX card_transactions_card ON card_transactions (company_id, card_id, performed_at);

CREATE TABLE card_transaction_lines (
  company_id               uuid NOT NULL,
  id                       uuid NOT NULL,
  transaction_id           uuid NOT NULL,
  account_id               uuid,
  tax_code_id              uuid,
  cost_center_id           uuid,
  amount                   bigint NOT NULL,
  net_amount               bigint NOT NULL,
  tax_amount               bigint NOT NULL DEFAULT 0,
  description              text,
  custom_properties        jsonb,
  amortization_template_id uuid,
  amortization_start_date  date,
  amortization_end_date    date,
  position                 int NOT NULL DEFAULT 0,
  created_at               timestamptz NOT NULL,
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, transaction_id) REFERENCES card_transactions(company_id, id)
);
CREATE INDEX card_transaction_lines_transaction ON card_transaction_lines (company_id, transaction_id, position);

-- The issuer's RSA key pair per entity. The private key is stored only AES-GCM encrypted under the
-- card-issuer key-encryption key (server_secrets), and no endpoint ever reads it.
CREATE TABLE card_issuer_keys (
  company_id             uuid NOT NULL,
  id                     uuid NOT NULL,
  company_entity_id      uuid NOT NULL,
  public_key             text NOT NULL,
  private_key_encrypted  bytea NOT NULL,
  expires_on             date NOT NULL,
  created_at             timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities(company_id, id)
);
CREATE INDEX card_issuer_keys_entity ON card_issuer_keys (company_id, company_entity_id, expires_on DESC);

-- The secret the card network signs its messages to this company with (HMAC-SHA256), created by the CLI.
CREATE TABLE card_network_secrets (
  company_id  uuid PRIMARY KEY REFERENCES companies(id),
  secret      bytea NOT NULL,
  created_at  timestamptz NOT NULL
);
