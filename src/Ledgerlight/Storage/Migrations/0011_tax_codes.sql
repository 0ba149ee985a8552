-- Tax codes per company: a rate in percent and the accounts tax is booked to (input tax on
-- purchases, output tax on sales). Every company gets a standard set; more via the extension API.
CREATE TABLE tax_codes (
  company_id          uuid NOT NULL REFERENCES companies(id),
  id                  uuid NOT NULL,
  code                text NOT NULL,
  label               text NOT NULL,
  rate_percent        numeric(7,4) NOT NULL CHECK (rate_percent >= 0 AND rate_percent <= 100),
  input_account_id    uuid,
  output_account_id   uuid,
  status              text NOT NULL DEFAULT 'ACTIVE',
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, code)
);

-- Companies created before tax codes existed get the same standard set as new ones.
INSERT INTO tax_codes (company_id, id, code, label, rate_percent, input_account_id, output_account_id, created_at, updated_at)
SELECT c.id, gen_random_uuid(), s.code, s.label, s.rate,
       (SELECT id FROM ledger_accounts WHERE company_id = c.id AND system_role = 'INPUT_TAX'),
       (SELECT id FROM ledger_accounts WHERE company_id = c.id AND system_role = 'OUTPUT_TAX'),
       now(), now()
  FROM companies c
 CROSS JOIN (VALUES ('STANDARD', 'Standard rate 20%', 20.0), ('REDUCED', 'Reduced rate 10%', 10.0),
                    ('SUPER_REDUCED', 'Super-reduced rate 5%', 5.0), ('ZERO', 'Zero rate 0%', 0.0),
                    ('EXEMPT', 'Exempt', 0.0)) AS s(code, label, rate);
