-- API tokens (issue 7): integrations authenticate as themselves, with a bearer token an administrator
-- created for them, instead of borrowing a person's session cookie.

-- The secret is shown once, at creation; only its SHA-256 is kept (platform/auth/api-tokens.ts says why
-- a plain hash is enough for a random secret). The prefix is the secret's first characters, for telling
-- tokens apart in the console and in an integration's configuration.
CREATE TABLE api_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  -- A subset of the permissions of platform/auth/permissions.ts, fixed at creation.
  scopes jsonb NOT NULL CHECK (jsonb_typeof(scopes) = 'array'),
  created_by bigint NOT NULL REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  -- Updated at most once a minute per token, not on every call: the audit log has every call.
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by bigint REFERENCES people(id),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX api_tokens_hospital_idx ON api_tokens (hospital_id, created_at);

-- A change an integration makes names the token that made it (actor_id stays the person, null here).
ALTER TABLE audit_log ADD COLUMN api_token_id bigint REFERENCES api_tokens(id);
CREATE INDEX audit_log_api_token_idx ON audit_log (api_token_id, at) WHERE api_token_id IS NOT NULL;
