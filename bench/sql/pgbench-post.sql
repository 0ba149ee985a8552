-- pgbench script: the same rows one posted two-line journal entry writes, as plain SQL in one
-- transaction (header, two draft lines, ledger transaction, two ledger lines, two daily-balance
-- upserts, the accounting-document row). The ceiling the HTTP path is compared with.
\set amount random(1, 1000000)
BEGIN;
SELECT quote_literal(gen_random_uuid()) AS je, quote_literal(gen_random_uuid()) AS tx \gset
INSERT INTO journal_entries (company_id, id, company_entity_id, ledger_name, status, currency, posting_date, created_at, updated_at)
  VALUES (:company, :je, :entity, 'PRIMARY', 'POSTED', 'USD', '2026-11-20', now(), now());
INSERT INTO journal_entry_lines (company_id, id, journal_entry_id, position, dc_sign, net_amount, gross_amount, ledger_account_id, created_at, updated_at)
  VALUES (:company, gen_random_uuid(), :je, 0, 'D', :amount, :amount, :debit, now(), now()),
         (:company, gen_random_uuid(), :je, 1, 'C', :amount, :amount, :credit, now(), now());
INSERT INTO ledger_transactions (company_id, id, company_entity_id, ledger_name, transaction_sequence_id, accounting_document_id, document_type, posting_date, created_at)
  VALUES (:company, :tx, :entity, 'PRIMARY', 'PGB', :je, 'JE', '2026-11-20', now());
INSERT INTO ledger_lines (company_id, id, ledger_transaction_id, transaction_sequence_id, company_entity_id, ledger_name, account_id, dc_sign,
                          transaction_amount, transaction_currency, local_amount, local_currency, group_amount, group_currency, signed_local_amount,
                          posting_date, valuation_date, accounting_document_id, document_type, created_at)
  VALUES (:company, gen_random_uuid(), :tx, 'PGB', :entity, 'PRIMARY', :debit, 'D', :amount, 'USD', :amount, 'USD', :amount, 'USD', :amount,
          '2026-11-20', '2026-11-20', :je, 'JE', now()),
         (:company, gen_random_uuid(), :tx, 'PGB', :entity, 'PRIMARY', :credit, 'C', :amount, 'USD', :amount, 'USD', :amount, 'USD', -:amount,
          '2026-11-20', '2026-11-20', :je, 'JE', now());
INSERT INTO account_daily_balances AS b (company_id, company_entity_id, ledger_name, account_id, day, transaction_currency, debit_transaction, credit_transaction, debit_local, credit_local, debit_group, credit_group, line_count)
  VALUES (:company, :entity, 'PRIMARY', :debit, '2026-11-20', 'USD', :amount, 0, :amount, 0, :amount, 0, 1),
         (:company, :entity, 'PRIMARY', :credit, '2026-11-20', 'USD', 0, :amount, 0, :amount, 0, :amount, 1)
  ON CONFLICT (company_id, company_entity_id, ledger_name, account_id, day, transaction_currency) DO UPDATE
  SET debit_transaction = b.debit_transaction + EXCLUDED.debit_transaction, credit_transaction = b.credit_transaction + EXCLUDED.credit_transaction,
      debit_local = b.debit_local + EXCLUDED.debit_local, credit_local = b.credit_local + EXCLUDED.credit_local,
      debit_group = b.debit_group + EXCLUDED.debit_group, credit_group = b.credit_group + EXCLUDED.credit_group, line_count = b.line_count + 1;
INSERT INTO accounting_documents (company_id, id, company_entity_id, document_type, status, currency, posting_date, total_amount, total_dc_sign, created_at, updated_at)
  VALUES (:company, :je, :entity, 'JE', 'POSTED', 'USD', '2026-11-20', :amount, 'D', now(), now());
COMMIT;
