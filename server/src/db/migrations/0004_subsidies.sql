-- Monthly subsidy import (补贴导入): an uploaded file becomes a draft batch with one line per row and
-- the problems found on each; finance confirms it, and the good lines are granted in one transaction.

CREATE TABLE subsidy_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  file_name text NOT NULL,
  -- sha256 of the file bytes and the batch month given with the upload: the same file granted twice is refused.
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  -- The month every line is for (YYYY-MM); null when neither the upload nor any row gave a readable one.
  month text CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'granted', 'cancelled')),
  line_count integer NOT NULL,
  problem_line_count integer NOT NULL,
  -- Sum of the lines without problems, in fen.
  good_total_fen bigint NOT NULL CHECK (good_total_fen >= 0),
  granted_line_count integer,
  granted_total_fen bigint,
  -- The ledger's journal entry for the grant (owned by the ledger module; kept here for the trail).
  journal_entry_id bigint,
  created_by bigint REFERENCES people(id),
  created_at timestamptz NOT NULL,
  decided_by bigint REFERENCES people(id),
  decided_at timestamptz,
  CHECK ((status = 'draft') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX subsidy_batches_granted_file_idx ON subsidy_batches (hospital_id, file_sha256) WHERE status = 'granted';
CREATE INDEX subsidy_batches_created_idx ON subsidy_batches (hospital_id, created_at DESC);

CREATE TABLE subsidy_lines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id bigint NOT NULL REFERENCES subsidy_batches(id),
  row_number integer NOT NULL, -- the row in the sheet, as finance sees it in Excel (header is row 1)
  employee_no text NOT NULL,
  name text NOT NULL,
  amount_text text NOT NULL,
  month_text text NOT NULL,
  person_id bigint REFERENCES people(id),
  amount_fen bigint,
  month text,
  -- [{ "code": "EMPLOYEE_UNKNOWN", "message": "…" }]; empty when the line can be granted.
  problems jsonb NOT NULL DEFAULT '[]',
  granted boolean NOT NULL DEFAULT false,
  UNIQUE (batch_id, row_number)
);

-- One grant per person per month, whatever batch it came from: the database refuses a second one.
CREATE TABLE subsidy_grants (
  person_id bigint NOT NULL REFERENCES people(id),
  month text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  batch_id bigint NOT NULL REFERENCES subsidy_batches(id),
  line_id bigint NOT NULL REFERENCES subsidy_lines(id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  granted_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, month)
);
CREATE INDEX subsidy_grants_batch_idx ON subsidy_grants (batch_id);
