-- Bearer tokens are served from the in-memory credential cache like API keys (Platform/Auth/PrincipalCache.cs):
-- every change that can end a token (a token, grant or client revoked, a token rotated or deleted) tells every
-- instance at commit on the same channel as keys and users (migration 0200), whichever code or tool made it.
CREATE TRIGGER oauth_tokens_changed AFTER UPDATE OR DELETE ON oauth_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER oauth_grants_changed AFTER UPDATE OR DELETE ON oauth_grants
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
CREATE TRIGGER oauth_clients_changed AFTER UPDATE OR DELETE ON oauth_clients
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed();
