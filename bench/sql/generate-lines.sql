-- Bulk-loads :n balanced two-line transactions (2 x :n ledger lines) for company :'company' into
-- the ledger, spread over three years and the company's chart, then recomputes its daily balances.
-- Used by bench/ledger.sh to measure list and report latency on large ledgers.
\set ON_ERROR_STOP on
CREATE TEMP TABLE gen AS
SELECT g AS n,
       gen_random_uuid() AS tx_id,
       (date '2024-01-01' + (g % 1095)) AS day,
       (1 + (random() * 999999)::bigint) AS amount,
       (g % 20) AS debit_pick,
       ((g + 7) % 20) AS credit_pick
  FROM generate_series(1, :n) g;

CREATE TEMP TABLE accts AS
SELECT row_number() OVER (ORDER BY code) - 1 AS pick, id FROM ledger_accounts WHERE company_id = :'company' ORDER BY code LIMIT 20;

INSERT INTO ledger_transactions (company_id, id, company_entity_id, ledger_name, transaction_sequence_id, transaction_type,
                                 accounting_document_id, document_type, posting_date, created_at)
SELECT :'company', tx_id, :'entity', 'PRIMARY', 'BENCH-' || n, 'DEFAULT', tx_id, 'JE', day, now() FROM gen;

INSERT INTO ledger_lines (company_id, id, ledger_transaction_id, transaction_sequence_id, company_entity_id, ledger_name, account_id,
                          dc_sign, transaction_amount, transaction_currency, local_amount, local_currency, group_amount, group_currency,
                          signed_local_amount, posting_date, valuation_date, accounting_document_id, document_type, document_number,
                          document_sequence_id, created_at)
SELECT :'company', gen_random_uuid(), g.tx_id, 'BENCH-' || g.n, :'entity', 'PRIMARY', a.id, s.sign, g.amount, 'USD', g.amount, 'USD',
       g.amount, 'USD', CASE WHEN s.sign = 'D' THEN g.amount ELSE -g.amount END, g.day, g.day, g.tx_id, 'JE', 'BENCH-' || g.n,
       'BENCH-' || g.n, now()
  FROM gen g
 CROSS JOIN (VALUES ('D'), ('C')) AS s(sign)
  JOIN accts a ON a.pick = CASE WHEN s.sign = 'D' THEN g.debit_pick ELSE g.credit_pick END;

DELETE FROM account_daily_balances WHERE company_id = :'company';
INSERT INTO account_daily_balances (company_id, company_entity_id, ledger_name, account_id, day, transaction_currency,
                                    debit_transaction, credit_transaction, debit_local, credit_local, debit_group, credit_group, line_count)
SELECT company_id, company_entity_id, ledger_name, account_id, posting_date, transaction_currency,
       sum(CASE WHEN dc_sign = 'D' THEN transaction_amount ELSE 0 END), sum(CASE WHEN dc_sign = 'C' THEN transaction_amount ELSE 0 END),
       sum(CASE WHEN dc_sign = 'D' THEN local_amount ELSE 0 END), sum(CASE WHEN dc_sign = 'C' THEN local_amount ELSE 0 END),
       sum(CASE WHEN dc_sign = 'D' THEN group_amount ELSE 0 END), sum(CASE WHEN dc_sign = 'C' THEN group_amount ELSE 0 END), count(*)
  FROM ledger_lines WHERE company_id = :'company'
 GROUP BY company_id, company_entity_id, ledger_name, account_id, posting_date, transaction_currency;
ANALYZE ledger_lines;
ANALYZE ledger_accounts;
ANALYZE account_daily_balances;
