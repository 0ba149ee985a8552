-- Customers (accounts receivable). Addresses are small documents read and written whole, so they
-- are stored as JSON; the billing city and country, which lists filter on, are plain expressions.
CREATE TABLE customers (
  company_id                    uuid NOT NULL REFERENCES companies(id),
  id                            uuid NOT NULL,
  name                          text NOT NULL,
  email                         text,
  address                       jsonb,
  billing_address               jsonb,
  shipping_address              jsonb,
  status                        text NOT NULL DEFAULT 'ACTIVE',
  description                   text,
  vat_number                    text,
  business_registration_number  text,
  eas_code                      text,
  einvoice_address              text,
  einvoice_network              text,
  type                          text,
  logo_url                      text,
  domain                        text,
  recipient_emails              text[] NOT NULL DEFAULT '{}',
  cc_emails                     text[] NOT NULL DEFAULT '{}',
  custom_properties             jsonb,
  created_at                    timestamptz NOT NULL,
  updated_at                    timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX customers_created ON customers (company_id, created_at, id);
CREATE INDEX customers_name ON customers (company_id, name, id);
CREATE INDEX customers_search ON customers USING gin (name gin_trgm_ops);
