-- Sign-in throttling counters (issue 12), shared by every app server on the database: rate-limiter-flexible's
-- RateLimiterPostgres table (key, points, expire in ms since the epoch), created here rather than by the library.
-- Keys are "<limit>:<tenant>|<account>|<address>"; tenant_id is derived from the key so a tenant's admins can list
-- their accounts' counters and blocks ("-" for unknown accounts and the per-address limit, which spans tenants).
CREATE TABLE sign_in_limits (
  key text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint,
  tenant_id text GENERATED ALWAYS AS (split_part(split_part(key, ':', 2), '|', 1)) STORED
);
CREATE INDEX sign_in_limits_tenant ON sign_in_limits (tenant_id, expire);
