-- Custom properties on every payable document and line (bill headers and vendors already had them):
-- the stored SetCustomPropertyRequest list, resolved into Light's CustomPropertyModel when read.
ALTER TABLE invoice_payable_line_items ADD COLUMN custom_properties jsonb;
ALTER TABLE credit_notes ADD COLUMN custom_properties jsonb;
ALTER TABLE credit_note_lines ADD COLUMN custom_properties jsonb;
ALTER TABLE purchase_orders ADD COLUMN custom_properties jsonb;
ALTER TABLE purchase_order_lines ADD COLUMN custom_properties jsonb;
