-- Card transactions as accounting documents: the ledger transaction their post wrote (cleared again by a
-- reset, whose reversal is its own ledger transaction) and the posting date a batch update may set.
ALTER TABLE card_transactions ADD COLUMN posting_date date;
ALTER TABLE card_transactions ADD COLUMN ledger_transaction_id uuid;
CREATE INDEX card_transactions_status ON card_transactions (company_id, status, performed_at);
