-- A card statement imported from an issuer names each transaction by the provider's own id: importing the
-- same statement again finds them and adds nothing. Sandbox transactions have none (NULL, not indexed).
ALTER TABLE card_transactions ADD COLUMN provider_transaction_id text;
CREATE UNIQUE INDEX card_transactions_provider_id ON card_transactions (company_id, provider_transaction_id)
  WHERE provider_transaction_id IS NOT NULL;
