-- Bank-statement ingestion, measured with pgbench on the ingest statement itself (bench/RESULTS.md,
-- "Banking: bank-transaction ingestion", 2026-12-03):
--
-- transactionId is the bank's opaque id. Equality is all the unique index needs, and byte order
-- ("C") gives the same equality as the database's linguistic collation at a fraction of the
-- comparison cost (strcoll showed in the profile of every unique-index probe).
ALTER TABLE bank_transactions ALTER COLUMN transaction_id TYPE text COLLATE "C";

-- The foreign key to bank_accounts checked every inserted line on its own (one trigger and one
-- index probe per line: a fifth of the statement). The one statement that writes bank lines
-- (BankTransactionStore.InsertAsync) now takes the same KEY SHARE lock on the bank account once per
-- batch and inserts nothing when the account is not there; bank accounts are never deleted.
ALTER TABLE bank_transactions DROP CONSTRAINT bank_transactions_company_id_bank_account_id_fkey;
