-- Issue 12: servers keep the company row GET /v1/companies/current serves in memory
-- (Organization/Companies/CompanyCache.cs). Any change to a company, by whatever code or tool, tells every
-- instance at commit on the credential channel, and the caches empty together (changes are rare).
CREATE TRIGGER companies_changed AFTER UPDATE OR DELETE ON companies
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
