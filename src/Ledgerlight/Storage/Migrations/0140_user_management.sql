-- User management: passwords set through a welcome link, per-user reimbursement settings, and API
-- keys that act as a user (their access ends when the user is deactivated).

-- Only a PasswordHasher<T> hash (PBKDF2, salted) is stored; null until the user sets a password.
ALTER TABLE users ADD COLUMN password_hash text;
ALTER TABLE users ADD COLUMN password_set_at timestamptz;

-- api_keys.user_id existed unbound; a key bound to a user must point at one of its company's users.
ALTER TABLE api_keys ADD CONSTRAINT api_keys_user FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id);

-- Links that let a user set a password. The token (256 random bits) exists only in the e-mail;
-- this table keeps its SHA-256, so a database leak cannot be turned into working links.
CREATE TABLE password_setup_tokens (
  token_hash  bytea PRIMARY KEY,
  company_id  uuid NOT NULL,
  user_id     uuid NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX password_setup_tokens_user ON password_setup_tokens (company_id, user_id);

CREATE TABLE user_reimbursement_configs (
  company_id                    uuid NOT NULL,
  id                            uuid NOT NULL,
  user_id                       uuid NOT NULL,
  currency                      text NOT NULL,
  default_cost_center_id        uuid,
  bank_country                  text,
  bank_name                     text,
  bank_city                     text,
  bank_address                  text,
  bank_zipcode                  text,
  bank_account_number           text,
  bank_account_bic              text,
  domestic_bank_account_number  text,
  domestic_bank_account_code    text,
  status                        text NOT NULL,
  created_at                    timestamptz NOT NULL,
  updated_at                    timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, user_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- Reimbursements pay a user back for expenses; they are written once expenses exist. The table is
-- here already so "latest reimbursement" reads real data from the start.
CREATE TABLE reimbursements (
  company_id   uuid NOT NULL,
  id           uuid NOT NULL,
  user_id      uuid NOT NULL,
  expense_ids  uuid[] NOT NULL DEFAULT '{}',
  status       text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX reimbursements_user_latest ON reimbursements (company_id, user_id, created_at DESC);
