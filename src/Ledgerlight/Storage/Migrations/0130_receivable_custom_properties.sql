-- Custom properties on every receivable document and line, stored as bills store them: the validated
-- SetCustomPropertyRequest list as jsonb (NULL: none set), resolved into ExternalCustomPropertyV1Model when read.
ALTER TABLE invoice_receivables ADD COLUMN custom_properties jsonb;
ALTER TABLE invoice_receivable_lines ADD COLUMN custom_properties jsonb;
ALTER TABLE customer_credits ADD COLUMN custom_properties jsonb;
ALTER TABLE customer_credit_lines ADD COLUMN custom_properties jsonb;
ALTER TABLE contracts ADD COLUMN custom_properties jsonb;
ALTER TABLE contract_lines ADD COLUMN custom_properties jsonb;
