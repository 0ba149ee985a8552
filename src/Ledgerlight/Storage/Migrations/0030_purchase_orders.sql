-- Purchase orders and their lines. Totals are kept on the order (sum of its lines, recomputed in
-- the transaction that changes a line). billed_amount is what bills have matched against the
-- order (and, per line, against a line); it may exceed the ordered amount: over-billing is flagged
-- to the bill, not refused.
CREATE TABLE purchase_orders (
  company_id            uuid NOT NULL REFERENCES companies(id),
  id                    uuid NOT NULL,
  company_entity_id     uuid NOT NULL,
  vendor_id             uuid,
  owner_id              uuid,
  created_by            uuid,
  state                 text NOT NULL DEFAULT 'IN_DRAFT',
  currency              char(3) NOT NULL,
  erp_number            text,
  description           text,
  vendor_email          text,
  delivery_address      text,
  delivery_date         date,
  purchase_order_date   date,
  total_amount          bigint NOT NULL DEFAULT 0,
  total_net_amount      bigint NOT NULL DEFAULT 0,
  total_tax_amount      bigint NOT NULL DEFAULT 0,
  billed_amount         bigint NOT NULL DEFAULT 0 CHECK (billed_amount >= 0),
  locked_at             timestamptz,
  closed_at             timestamptz,
  cancelled_at          timestamptz,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, company_entity_id) REFERENCES company_entities(company_id, id),
  FOREIGN KEY (company_id, vendor_id) REFERENCES vendors(company_id, id),
  FOREIGN KEY (company_id, owner_id) REFERENCES users(company_id, id)
);
CREATE INDEX purchase_orders_created ON purchase_orders (company_id, created_at, id);
CREATE INDEX purchase_orders_vendor ON purchase_orders (company_id, vendor_id, id);

CREATE TABLE purchase_order_lines (
  company_id            uuid NOT NULL,
  id                    uuid NOT NULL,
  purchase_order_id     uuid NOT NULL,
  position              int NOT NULL,
  description           text,
  cost_center_id        uuid,
  account_id            uuid,
  tax_code_id           uuid,
  quantity              numeric(20,6) NOT NULL,
  unit_price            bigint NOT NULL,
  net_amount            bigint NOT NULL,
  tax_amount            bigint NOT NULL,
  amount                bigint NOT NULL,
  billed_amount         bigint NOT NULL DEFAULT 0 CHECK (billed_amount >= 0),
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, purchase_order_id) REFERENCES purchase_orders(company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, account_id) REFERENCES ledger_accounts(company_id, id),
  FOREIGN KEY (company_id, tax_code_id) REFERENCES tax_codes(company_id, id)
);
CREATE INDEX purchase_order_lines_order ON purchase_order_lines (company_id, purchase_order_id, position);
