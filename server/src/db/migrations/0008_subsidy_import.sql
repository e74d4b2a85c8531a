-- Subsidy import, second step: file-level warnings on a batch, and previews that expire.
--
-- A preview is stored as a draft batch so that the confirm grants exactly the lines finance saw. It is
-- not kept: a batch that is not granted (a draft, or one cancelled) has an expiry, is left out of the
-- history, and is deleted once the expiry has passed (its lines with it). A granted batch has none.

ALTER TABLE subsidy_batches ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]';
ALTER TABLE subsidy_batches ADD COLUMN expires_at timestamptz;
UPDATE subsidy_batches SET expires_at = created_at + interval '24 hours' WHERE status <> 'granted';
ALTER TABLE subsidy_batches
  ADD CONSTRAINT subsidy_batches_expiry_check CHECK ((status = 'granted') = (expires_at IS NULL));
CREATE INDEX subsidy_batches_expiry_idx ON subsidy_batches (hospital_id, expires_at) WHERE status <> 'granted';

-- Deleting an expired preview deletes its lines. A granted batch's lines are held by subsidy_grants.
ALTER TABLE subsidy_lines DROP CONSTRAINT subsidy_lines_batch_id_fkey;
ALTER TABLE subsidy_lines
  ADD CONSTRAINT subsidy_lines_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES subsidy_batches(id) ON DELETE CASCADE;
