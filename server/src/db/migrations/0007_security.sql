-- Security (issue 7): attempt counters that every app instance shares, in place of per-login lockouts.

-- Rate limits with growing delays (platform/rate-limit.ts). One row per bucket and key, e.g.
-- ('login.account', 'admin') or ('login.address', '10.1.2.3'). Past a bucket's free attempts each
-- further one sets blocked_until a doubling delay ahead; a quiet spell starts the count again.
CREATE TABLE rate_limits (
  bucket text NOT NULL,
  key text NOT NULL CHECK (length(key) <= 200),
  attempts integer NOT NULL CHECK (attempts >= 0),
  last_attempt_at timestamptz NOT NULL,
  blocked_until timestamptz,
  PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_last_attempt_idx ON rate_limits (last_attempt_at);

-- A login no longer locks after N wrong passwords: anyone could lock the administrator out with five
-- guesses. The guesser is slowed down by rate_limits instead, per account name and per address.
ALTER TABLE password_logins DROP COLUMN failed_attempts, DROP COLUMN locked_until;
