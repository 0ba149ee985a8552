-- A card transaction's receipt counts once its file has arrived. The upload URL used to write its key to
-- receipt_document_key when handed out, so a URL never used cleared missingData and replaced a receipt already
-- attached. Now the URL's key waits in receipt_pending_key: the receipt is the pending key once its blob is in
-- blobs, else receipt_document_key (which only ever names an arrived blob: a newer URL first promotes an arrived
-- pending key there). The upload endpoint belongs to Documents and knows nothing of card transactions, hence
-- the second column rather than a hook at upload time (the reasoning of ExpenseStore's PENDING_UPLOAD).
ALTER TABLE card_transactions ADD COLUMN receipt_pending_key text;

-- Keys recorded the old way whose file never arrived were never receipts: they become pending, and still count
-- if the file arrives while their URL is valid.
UPDATE card_transactions t
   SET receipt_pending_key = t.receipt_document_key, receipt_document_key = NULL
 WHERE t.receipt_document_key IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.company_id = t.company_id AND b.key = t.receipt_document_key);
