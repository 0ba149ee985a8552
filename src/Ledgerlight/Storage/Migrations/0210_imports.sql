-- What each import created, by the source's key (account code, document number, name): a rerun of the same
-- export finds its records here and adds nothing. kind is the import kind (accounts, vendors, bills...) or
-- 'system' for what imports create for themselves (the opening-balance equity account, the opening-balance product).
CREATE TABLE import_keys (
  company_id   uuid NOT NULL REFERENCES companies(id),
  kind         text NOT NULL,
  source_key   text NOT NULL,
  target_id    uuid NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (company_id, kind, source_key)
);
