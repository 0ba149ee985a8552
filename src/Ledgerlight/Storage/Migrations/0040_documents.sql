-- Server-wide secrets (e.g. the key that signs /files URLs). Not per company: the one table whose
-- primary key does not start with company_id. Created on first start, shared by every instance.
CREATE TABLE server_secrets (
  name        text PRIMARY KEY,
  value       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Blobs uploaded through a signed URL; the bytes live in the blob store, this row says they arrived.
-- The key starts with the company id, so a key names its tenant.
CREATE TABLE blobs (
  company_id    uuid NOT NULL REFERENCES companies(id),
  key           text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
  sha256        bytea NOT NULL,
  uploaded_at   timestamptz NOT NULL,
  PRIMARY KEY (company_id, key)
);

-- Attachments: a blob attached to a record (resourceId: a vendor, bill, journal entry...).
CREATE TABLE attachments (
  company_id     uuid NOT NULL REFERENCES companies(id),
  id             uuid NOT NULL,
  resource_id    uuid NOT NULL,
  document_key   text NOT NULL,
  file_name      text NOT NULL,
  content_type   text NOT NULL,
  metadata_type  text,
  created_by     uuid,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX attachments_resource ON attachments (company_id, resource_id, created_at);

-- Custom property groups (defined per company) and the selectable values of each group.
CREATE TABLE custom_property_groups (
  company_id     uuid NOT NULL REFERENCES companies(id),
  id             uuid NOT NULL,
  internal_name  text NOT NULL,
  label          text NOT NULL,
  input_type     text NOT NULL,
  object_level   text NOT NULL DEFAULT 'HEADER',
  object_types   text[] NOT NULL DEFAULT '{}',
  context        text,
  is_required    boolean NOT NULL DEFAULT false,
  is_deleted     boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, internal_name)
);

CREATE TABLE custom_property_values (
  company_id     uuid NOT NULL,
  id             uuid NOT NULL,
  group_id       uuid NOT NULL,
  internal_name  text NOT NULL,
  label          text NOT NULL,
  context        text,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, group_id, internal_name),
  FOREIGN KEY (company_id, group_id) REFERENCES custom_property_groups (company_id, id)
);

-- Comments users leave on a record (resourceId). Only the author may edit or delete one.
CREATE TABLE user_comments (
  company_id   uuid NOT NULL REFERENCES companies(id),
  id           uuid NOT NULL,
  resource_id  uuid NOT NULL,
  content      text NOT NULL,
  created_by   uuid NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX user_comments_resource ON user_comments (company_id, resource_id, created_at);
