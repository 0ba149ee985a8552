-- Tenancy, credentials and the shared request machinery (rate limits, idempotency).
-- Every business table's primary key starts with company_id so tenancy is part of every index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE companies (
  id              uuid PRIMARY KEY,
  name            text NOT NULL,
  base_currency   char(3) NOT NULL,
  invoice_email   text NOT NULL,
  receipt_email   text,
  contract_email  text,
  logo_url        text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE company_entities (
  company_id                uuid NOT NULL REFERENCES companies(id),
  id                        uuid NOT NULL,
  code                      text NOT NULL,
  name                      text NOT NULL,
  display_name              text NOT NULL,
  vat_number                text,
  local_currency            char(3) NOT NULL,
  parent_company_entity_id  uuid,
  country                   text,
  city                      text,
  state                     text,
  zipcode                   text,
  street                    text,
  street2                   text,
  status                    text NOT NULL DEFAULT 'ACTIVE',
  sort_position             int NOT NULL DEFAULT 0,
  seed_invoice_number       bigint NOT NULL DEFAULT 1,
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, code)
);

CREATE TABLE users (
  company_id          uuid NOT NULL REFERENCES companies(id),
  id                  uuid NOT NULL,
  company_entity_id   uuid,
  email               text NOT NULL,
  first_name          text,
  last_name           text,
  phone_country_code  text,
  phone_local_number  text,
  avatar_url          text,
  country             text,
  city                text,
  zipcode             text,
  address             text,
  status              text NOT NULL DEFAULT 'ACTIVE',
  roles               text[] NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX users_email ON users (company_id, lower(email));
CREATE INDEX users_created ON users (company_id, created_at, id);

CREATE TABLE user_groups (
  company_id   uuid NOT NULL REFERENCES companies(id),
  id           uuid NOT NULL,
  name         text NOT NULL,
  description  text,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);

CREATE TABLE user_group_members (
  company_id  uuid NOT NULL,
  group_id    uuid NOT NULL,
  user_id     uuid NOT NULL,
  PRIMARY KEY (company_id, group_id, user_id),
  FOREIGN KEY (company_id, group_id) REFERENCES user_groups(company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users(company_id, id)
);

CREATE TABLE user_managers (
  company_id  uuid NOT NULL,
  user_id     uuid NOT NULL,
  manager_id  uuid NOT NULL,
  PRIMARY KEY (company_id, user_id, manager_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users(company_id, id),
  FOREIGN KEY (company_id, manager_id) REFERENCES users(company_id, id)
);

-- API keys: only a SHA-256 of the key is stored. Keys carry 256 bits of randomness, so a fast hash
-- is enough (no password stretching needed) and lets every request look the key up by its hash.
CREATE TABLE api_keys (
  company_id    uuid NOT NULL REFERENCES companies(id),
  id            uuid NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL,
  key_hash      bytea NOT NULL,
  key_prefix    text NOT NULL,
  user_id       uuid,
  created_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);

-- Fixed-window request counters shared by every server instance. UNLOGGED: losing the current
-- minute's counts in a crash is acceptable, paying WAL for every request is not.
CREATE UNLOGGED TABLE rate_limit_counters (
  bucket        text NOT NULL,
  window_start  timestamptz NOT NULL,
  count         int NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

CREATE TABLE idempotency_keys (
  company_id        uuid NOT NULL,
  key               text NOT NULL,
  request_hash      bytea NOT NULL,
  state             text NOT NULL,          -- IN_FLIGHT | DONE
  response_status   int,
  response_type     text,
  response_body     bytea,
  created_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  PRIMARY KEY (company_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
