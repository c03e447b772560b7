-- Security hardening (issue 12). A bridge session is bound to the sign-in session that opened it: when that
-- sign-in session ends (sign-out, password change, expiry) the bridge session ends with it. NULL for sessions the
-- headless runner and the test SDK open (no sign-in). Not a foreign key: the sign-in row is deleted on sign-out
-- and the bridge row must stay readable (its trace) until it is cleaned up after expiry.
ALTER TABLE bridge_sessions ADD COLUMN sign_in_session text;
CREATE INDEX bridge_sessions_user_open ON bridge_sessions (user_id, expires_at) WHERE NOT closed;

-- Sign-in events are listed per tenant by the admin view; failed sign-ins of unknown addresses have no tenant.
CREATE INDEX security_events_tenant ON security_events (tenant_id, id DESC);
