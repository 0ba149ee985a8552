-- Set when posting this bill took its purchase order past the ordered amount (flagged, not refused).
ALTER TABLE invoice_payables ADD COLUMN purchase_order_exceeded boolean NOT NULL DEFAULT false;
