-- Cards (建卡管理) and the payment PIN.
-- A card is a credential (an IC card UID) bound to a person; a person may hold several.

-- Every change that a terminal must learn (issue, loss report, loss cancelled, revoke) takes the next
-- number from this one-row counter. The row lock makes changes commit in the order of their numbers,
-- so a terminal that has seen version N and asks for "> N" never misses a change that committed
-- late with a smaller number (a plain sequence would allow that).
CREATE TABLE card_change_counter (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version bigint NOT NULL
);
INSERT INTO card_change_counter (only_row, version) VALUES (true, 0);

CREATE TABLE cards (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES people(id),
  -- Upper-case hex, as the reader reports it without separators (4, 7 or 10 bytes on ISO 14443 cards).
  uid text NOT NULL CHECK (uid ~ '^[0-9A-F]{8,20}$'),
  -- active: pays; lost (挂失): refused everywhere until the person cancels the report;
  -- revoked: replaced or returned (退卡), never valid again.
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lost', 'revoked')),
  revoked_reason text CHECK (revoked_reason IN ('replaced', 'returned')),
  replaced_by_id bigint REFERENCES cards(id),
  version bigint NOT NULL,
  issued_at timestamptz NOT NULL,
  issued_by bigint REFERENCES people(id),
  lost_at timestamptz,
  revoked_at timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL AND revoked_reason IS NOT NULL)),
  CHECK (status <> 'lost' OR lost_at IS NOT NULL)
);
-- One live card per UID; a revoked UID may be issued again (the deny-list carries both changes in order).
CREATE UNIQUE INDEX cards_live_uid_idx ON cards (uid) WHERE status <> 'revoked';
CREATE INDEX cards_person_idx ON cards (person_id);
CREATE UNIQUE INDEX cards_version_idx ON cards (version);

-- Payment PIN (支付密码): six digits, stored as a scrypt hash only.
CREATE TABLE payment_pins (
  person_id bigint PRIMARY KEY REFERENCES people(id),
  pin_hash text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  changed_at timestamptz NOT NULL
);
