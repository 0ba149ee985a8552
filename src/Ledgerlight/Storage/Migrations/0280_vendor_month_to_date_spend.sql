-- lastMtdSpendInGroupCurrency / spendLastMtd: what the vendor's posted bills of the current calendar month (UTC) add up
-- to in the group currency. last_mtd_spend has existed since 0003 but nothing wrote it. It is kept up to date by the
-- bill's post and cancel (Payables/Vendors/VendorSpend.cs) for the month in mtd_spend_month; a read in a later month
-- sees 0 without any job having to reset it.
ALTER TABLE vendors ADD COLUMN mtd_spend_month date;

-- Bills posted this month before this migration.
UPDATE vendors v
   SET last_mtd_spend = s.total, mtd_spend_month = s.month
  FROM (SELECT b.company_id, b.vendor_id, date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month,
               sum(b.booked_group_amount) AS total
          FROM invoice_payables b
         WHERE b.vendor_id IS NOT NULL AND b.booked_group_amount IS NOT NULL AND b.canceled_at IS NULL
           AND b.posting_date >= date_trunc('month', now() AT TIME ZONE 'UTC')::date
         GROUP BY b.company_id, b.vendor_id) s
 WHERE v.company_id = s.company_id AND v.id = s.vendor_id;
