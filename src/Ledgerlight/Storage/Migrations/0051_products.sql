-- Products sold on invoices and contracts: one price per currency, kept as a small JSON list.
CREATE TABLE products (
  company_id                  uuid NOT NULL REFERENCES companies(id),
  id                          uuid NOT NULL,
  name                        text NOT NULL,
  pricing_type                text NOT NULL DEFAULT 'FIXED',
  billing_recurrence          text NOT NULL DEFAULT 'ONE_TIME',
  pricings                    jsonb NOT NULL DEFAULT '[]',
  state                       text NOT NULL DEFAULT 'ACTIVE',
  default_tax_id              uuid,
  default_avatax_code         text,
  default_ledger_account_id   uuid,
  custom_properties           jsonb,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX products_created ON products (company_id, created_at, id);
CREATE INDEX products_name ON products (company_id, name, id);
