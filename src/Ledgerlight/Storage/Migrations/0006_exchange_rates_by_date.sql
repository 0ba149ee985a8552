-- getRates reads every currency of one publication date; the primary key (currency, rate_date)
-- cannot serve that without scanning the whole history (about 200,000 rows since 1999).
CREATE INDEX exchange_rates_by_date ON exchange_rates (rate_date);
