-- Three more entities for the multi-entity posting scenario: copies of the company's first entity
-- (new id and code) using the same ledger accounts. psql -v company=<uuid>; prints the 4 entity ids.
CREATE TEMP TABLE first_entity AS
  SELECT * FROM company_entities WHERE company_id = :'company' ORDER BY created_at, id LIMIT 1;
CREATE TEMP TABLE copies AS SELECT e.*, n FROM first_entity e, generate_series(2, 4) n;
UPDATE copies SET id = gen_random_uuid(), code = code || '-' || n, name = name || ' ' || n, display_name = display_name || ' ' || n;
ALTER TABLE copies DROP COLUMN n;
INSERT INTO company_entities SELECT * FROM copies;
INSERT INTO ledger_account_entities (company_id, ledger_account_id, company_entity_id)
  SELECT a.company_id, a.ledger_account_id, c.id FROM ledger_account_entities a JOIN first_entity f ON f.id = a.company_entity_id CROSS JOIN copies c;
SELECT id FROM first_entity UNION ALL SELECT id FROM copies;
