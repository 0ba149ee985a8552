-- Reference exchange rates in the European Central Bank's form: units of currency per 1 EUR on a
-- date. Public data shared by every company, so (unlike business tables) not keyed by company.
CREATE TABLE exchange_rates (
  rate_date   date NOT NULL,
  currency    char(3) NOT NULL,
  per_eur     numeric NOT NULL CHECK (per_eur > 0),
  source      text NOT NULL DEFAULT 'ECB',
  PRIMARY KEY (currency, rate_date)
);
