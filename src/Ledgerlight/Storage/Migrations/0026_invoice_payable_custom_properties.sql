-- Custom properties set on a bill (the request's SetCustomProperty list; resolved when read).
ALTER TABLE invoice_payables ADD COLUMN custom_properties jsonb;
