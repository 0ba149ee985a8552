-- submitInvoicePayableForApproval's closePurchaseOrder: the submitter asks for the bill's purchase order to be closed.
-- The order is closed when the bill posts (after its approval), not at submit, so a declined bill leaves it open.
ALTER TABLE invoice_payables ADD COLUMN close_purchase_order boolean NOT NULL DEFAULT false;
