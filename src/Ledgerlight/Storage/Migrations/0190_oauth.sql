-- OAuth 2.0 authorization server: registered clients, the grants users give them, and the codes,
-- tokens and sign-in sessions of the flow. Every secret (client secret, code, access and refresh
-- token, session cookie) is stored as its SHA-256 only: a database leak yields nothing that works.

CREATE TABLE oauth_clients (
  company_id     uuid NOT NULL REFERENCES companies(id),
  id             uuid NOT NULL,               -- the public client_id
  name           text NOT NULL,
  secret_hash    bytea,                       -- null for a public client (PKCE instead of a secret)
  redirect_uris  text[] NOT NULL,             -- matched exactly, never by prefix
  is_public      boolean NOT NULL,
  created_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  PRIMARY KEY (company_id, id)
);
-- The token endpoint knows only the client_id; ids are UUIDv7, unique across companies.
CREATE UNIQUE INDEX oauth_clients_id ON oauth_clients (id);

-- One per consent that was turned into tokens: the chain of rotating refresh tokens. Revoking it
-- (by the user's admin, the client, or refresh-token reuse) ends every token in it at once.
CREATE TABLE oauth_grants (
  company_id     uuid NOT NULL,
  id             uuid NOT NULL,
  client_id      uuid NOT NULL,
  user_id        uuid NOT NULL,
  created_at     timestamptz NOT NULL,
  last_used_at   timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, client_id) REFERENCES oauth_clients (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX oauth_grants_user ON oauth_grants (company_id, user_id) WHERE revoked_at IS NULL;

CREATE TABLE oauth_codes (
  code_hash              bytea PRIMARY KEY,
  company_id             uuid NOT NULL,
  client_id              uuid NOT NULL,
  user_id                uuid NOT NULL,
  redirect_uri           text NOT NULL,
  code_challenge         text,
  created_at             timestamptz NOT NULL,
  expires_at             timestamptz NOT NULL,
  used_at                timestamptz,
  grant_id               uuid,                 -- the grant the code was exchanged for (revoked if the code is replayed)
  FOREIGN KEY (company_id, client_id) REFERENCES oauth_clients (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
-- Expired codes and tokens are deleted a little at a time as new ones are issued (OAuthTokenStore).
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

CREATE TABLE oauth_tokens (
  token_hash   bytea PRIMARY KEY,
  company_id   uuid NOT NULL,
  id           uuid NOT NULL,
  grant_id     uuid NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('access', 'refresh')),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,                   -- a refresh token that was rotated
  revoked_at   timestamptz,                   -- an access token revoked on its own (RFC 7009)
  FOREIGN KEY (company_id, grant_id) REFERENCES oauth_grants (company_id, id)
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (company_id, grant_id);
CREATE INDEX oauth_tokens_expiry ON oauth_tokens (expires_at);

-- A signed-in browser on the authorize pages: the cookie holds the token, this table its hash.
CREATE TABLE oauth_sessions (
  token_hash   bytea PRIMARY KEY,
  company_id   uuid NOT NULL,
  user_id      uuid NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- Failed sign-ins per company and e-mail as typed (lower-cased), whether or not such a user exists:
-- an unknown address locks exactly like a known one, so the lockout reveals nothing either.
CREATE TABLE oauth_sign_in_failures (
  company_id       uuid NOT NULL,
  email            text NOT NULL,
  failures         integer NOT NULL,
  last_failure_at  timestamptz NOT NULL,
  locked_until     timestamptz,
  PRIMARY KEY (company_id, email)
);
