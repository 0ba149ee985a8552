-- Custom properties on every payable document and line (bill headers and vendors already had them):
-- the stored SetCustomPropertyRequest list, resolved into Light's CustomPropertyModel when read.
ALTER TABLE invoice_payable_line_items ADD COLUMN custom_properties jsonb;
ALTER TABLE credit_notes ADD COLUMN custom_properties jsonb;
ALTER TABLE credit_note_lines ADD COLUMN custom_properties jsonb;
ALTER TABLE purchase_orders ADD COLUMN custom_properties jsonb;
ALTER TABLE purchase_order_lines ADD COLUMN custom_properties jsonb;

-- A credit note clearing books each side at its own rate: the bill's share (booked_*) and the credit
-- note's share (offset_*); their difference is the realised exchange gain or loss. Null on clearings
-- booked before this: both sides were booked at the bill's amounts.
ALTER TABLE invoice_payable_payments ADD COLUMN offset_local_amount bigint, ADD COLUMN offset_group_amount bigint;
