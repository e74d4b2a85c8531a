-- The money ledger (账务): a double-entry journal, the accounts it posts to, wallets, and the platform
-- tables every money-moving request needs (idempotency keys, the transactional outbox, job runs).
--
-- Sign convention: a posting's amount_fen > 0 credits the account, < 0 debits it; the postings of an
-- entry sum to zero. Wallet purses, revenue and payables are credit-normal and show positive balances;
-- cash, clearing and funding accounts are debit-normal and show negative balances (read them negated).
--
-- The one write path is ledger_post(): it checks the entry balances, locks the person accounts in id
-- order, updates the cached balances, refuses a purse below zero (unless the entry carries the arrears
-- flag) and inserts the postings. A statement trigger on postings checks the balance again, and
-- triggers refuse UPDATE and DELETE on the journal: history is corrected by reversing entries only.
-- Refusals are raised with SQLSTATE LDG00, the stable error code as the message and JSON details.

CREATE TABLE ledger_policies (
  hospital_id bigint PRIMARY KEY REFERENCES hospitals(id),
  -- Which purse a sale takes from first: 补贴 subsidy (default) or 个人充值 own funds.
  spend_order text NOT NULL DEFAULT 'subsidy_first' CHECK (spend_order IN ('subsidy_first', 'own_first')),
  -- Unspent subsidy at month end: expires (清零, the default) or rolls over into the next month.
  subsidy_expiry text NOT NULL DEFAULT 'month_end' CHECK (subsidy_expiry IN ('month_end', 'roll_over')),
  -- 同事间转账: most own funds one person may send per local day.
  transfer_daily_limit_fen bigint NOT NULL DEFAULT 100000 CHECK (transfer_daily_limit_fen >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  kind text NOT NULL CHECK (kind IN (
    'subsidy_purse', 'own_purse', 'hold',
    'subsidy_funding', 'topup_clearing', 'counter_cash', 'merchant_revenue', 'withdrawals_payable', 'expired_subsidy'
  )),
  person_id bigint REFERENCES people(id),
  -- The payment channel (topup_clearing), counter (counter_cash) or merchant (merchant_revenue); '' otherwise.
  code text NOT NULL DEFAULT '',
  -- Cached balance: the sum of this account's postings (canteen verify checks it). Hospital accounts are
  -- touched by every sale, so their balance is spread over balance_shards rows in ledger_balance_shards
  -- (one per connection, roughly) and this column stays 0: one hot row would serialise every sale.
  balance_fen bigint NOT NULL DEFAULT 0,
  balance_shards smallint NOT NULL DEFAULT 1 CHECK (balance_shards BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((person_id IS NOT NULL) = (kind IN ('subsidy_purse', 'own_purse', 'hold'))),
  CHECK (person_id IS NULL OR balance_shards = 1),
  CHECK (balance_shards = 1 OR balance_fen = 0)
);
CREATE UNIQUE INDEX ledger_accounts_person_idx ON ledger_accounts (person_id, kind) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_hospital_idx ON ledger_accounts (hospital_id, kind, code) WHERE person_id IS NULL;

CREATE TABLE ledger_balance_shards (
  account_id bigint NOT NULL REFERENCES ledger_accounts(id),
  shard smallint NOT NULL,
  balance_fen bigint NOT NULL,
  PRIMARY KEY (account_id, shard)
);

-- One cached balance per account, whether kept in one row or in shards.
CREATE VIEW ledger_account_balances AS
SELECT a.id AS account_id,
       CASE WHEN a.balance_shards = 1 THEN a.balance_fen
            ELSE COALESCE((SELECT sum(s.balance_fen) FROM ledger_balance_shards s WHERE s.account_id = a.id), 0)::bigint
       END AS balance_fen
  FROM ledger_accounts a;

-- A person's wallet: the subsidy purse (补贴), own funds (个人充值) and funds held for a pending withdrawal.
-- open: pays · frozen: the person left (or an admin froze it); nothing is spent, transferred or topped up
-- · closed: settled and returned (退卡).
CREATE TABLE wallets (
  person_id bigint PRIMARY KEY REFERENCES people(id),
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'frozen', 'closed')),
  subsidy_account_id bigint NOT NULL UNIQUE REFERENCES ledger_accounts(id),
  own_account_id bigint NOT NULL UNIQUE REFERENCES ledger_accounts(id),
  hold_account_id bigint NOT NULL UNIQUE REFERENCES ledger_accounts(id),
  opened_at timestamptz NOT NULL,
  status_changed_at timestamptz NOT NULL
);

-- Foreign keys are left off the journal's hot path on purpose: each key check share-locks the row it
-- points at (the hospital, the new entry) in every sale, which costs a lock record per posting and
-- turns the hospital row into a multixact under load. ledger_post() is the only writer and only names
-- rows it has just read or written; canteen verify checks that every posting's entry and account exist.
CREATE TABLE journal_entries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'spend', 'top_up', 'subsidy_grant', 'subsidy_expiry', 'transfer',
    'withdrawal_hold', 'withdrawal_settle', 'withdrawal_release', 'reversal'
  )),
  memo text NOT NULL DEFAULT '',
  -- The business record that caused the entry (a sale, a subsidy batch, a withdrawal …).
  reference_type text,
  reference_id text,
  -- Where and how: merchant, counter, terminal, channel, split between purses.
  details jsonb NOT NULL DEFAULT '{}',
  reverses_entry_id bigint REFERENCES journal_entries(id),
  -- The arrears rule: only a sale made offline and synced late may take a purse below zero; the entry
  -- that did so carries this flag, and canteen verify accepts a negative purse only behind one.
  allows_arrears boolean NOT NULL DEFAULT false,
  idempotency_key text,
  created_at timestamptz NOT NULL,
  -- The person who acted (cashier, finance officer, the payer); null for the system. No foreign key:
  -- a key check would lock the cashier's row in every sale of the till.
  created_by bigint,
  CHECK ((kind = 'reversal') = (reverses_entry_id IS NOT NULL)),
  CHECK ((reference_type IS NULL) = (reference_id IS NULL))
);
-- An entry is reversed at most once.
CREATE UNIQUE INDEX journal_entries_reverses_idx ON journal_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
-- One entry per business record and kind: granting a subsidy batch or settling a withdrawal twice is refused.
CREATE UNIQUE INDEX journal_entries_reference_idx ON journal_entries (hospital_id, kind, reference_type, reference_id)
  WHERE reference_id IS NOT NULL AND kind <> 'reversal';
CREATE INDEX journal_entries_created_idx ON journal_entries (hospital_id, created_at);

CREATE TABLE postings (
  entry_id bigint NOT NULL,
  account_id bigint NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
  PRIMARY KEY (entry_id, account_id)
);
-- Statements and balances per account, newest first.
CREATE INDEX postings_account_idx ON postings (account_id, entry_id);

CREATE FUNCTION ledger_refuse(p_code text, p_details jsonb DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'LDG00', MESSAGE = p_code, DETAIL = p_details::text;
END $$;

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_refuse('LEDGER_APPEND_ONLY', jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP));
  RETURN NULL;
END $$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- The database's own check that every entry balances, whoever writes: after each INSERT statement, every
-- entry it touched must have at least two postings summing to zero (ledger_post writes an entry's postings
-- in one statement).
CREATE FUNCTION postings_check_balanced() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_bad record;
BEGIN
  SELECT t.entry_id, t.total, t.lines INTO v_bad
    FROM (SELECT n.entry_id, sum(p.amount_fen) AS total, count(*) AS lines
            FROM (SELECT DISTINCT entry_id FROM new_postings) n
            JOIN postings p ON p.entry_id = n.entry_id
           GROUP BY n.entry_id) t
   WHERE t.total <> 0 OR t.lines < 2
   LIMIT 1;
  IF FOUND THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object('entryId', v_bad.entry_id, 'sumFen', v_bad.total));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER postings_balanced AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings
  FOR EACH STATEMENT EXECUTE FUNCTION postings_check_balanced();

-- A hospital account by kind and code, made on first use.
CREATE FUNCTION ledger_hospital_account(p_hospital_id bigint, p_kind text, p_code text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT id INTO v_id FROM ledger_accounts
   WHERE hospital_id = p_hospital_id AND kind = p_kind AND code = p_code AND person_id IS NULL;
  IF FOUND THEN RETURN v_id; END IF;
  INSERT INTO ledger_accounts (hospital_id, kind, code, balance_shards) VALUES (p_hospital_id, p_kind, p_code, 16)
    ON CONFLICT (hospital_id, kind, code) WHERE person_id IS NULL DO NOTHING
    RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    SELECT id INTO v_id FROM ledger_accounts
     WHERE hospital_id = p_hospital_id AND kind = p_kind AND code = p_code AND person_id IS NULL;
  END IF;
  RETURN v_id;
END $$;

-- The single write path of the journal. Returns the new entry's id.
CREATE FUNCTION ledger_post(
  p_hospital_id bigint,
  p_kind text,
  p_memo text,
  p_reference_type text,
  p_reference_id text,
  p_details jsonb,
  p_reverses_entry_id bigint,
  p_allow_arrears boolean,
  p_idempotency_key text,
  p_created_at timestamptz,
  p_created_by bigint,
  p_account_ids bigint[],
  p_amounts bigint[]
) RETURNS bigint LANGUAGE plpgsql
-- The statements here have the same shape on every call: planning them once (not per call, as custom
-- plans for array parameters would be) halves the cost of a sale on the server.
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_entry_id bigint;
  v_lines integer;
  v_touched integer;
  v_negative bigint;
BEGIN
  IF p_account_ids IS NULL OR p_amounts IS NULL OR cardinality(p_account_ids) <> cardinality(p_amounts)
     OR cardinality(p_account_ids) < 2 THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object('reason', 'an entry needs two or more postings'));
  END IF;
  IF (SELECT sum(a) FROM unnest(p_amounts) a) <> 0 OR array_position(p_amounts, 0) IS NOT NULL
     OR array_position(p_amounts, NULL) IS NOT NULL THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object('amounts', to_jsonb(p_amounts)));
  END IF;

  -- Person accounts are locked in id order, so two entries that touch the same accounts never deadlock.
  PERFORM 1 FROM ledger_accounts WHERE id = ANY (p_account_ids) AND balance_shards = 1 ORDER BY id FOR NO KEY UPDATE;

  INSERT INTO journal_entries (hospital_id, kind, memo, reference_type, reference_id, details, reverses_entry_id,
                               allows_arrears, idempotency_key, created_at, created_by)
  VALUES (p_hospital_id, p_kind, COALESCE(p_memo, ''), p_reference_type, p_reference_id, COALESCE(p_details, '{}'),
          p_reverses_entry_id, COALESCE(p_allow_arrears, false), p_idempotency_key, p_created_at, p_created_by)
  RETURNING id INTO v_entry_id;

  WITH lines AS (
    SELECT l.account_id, sum(l.amount)::bigint AS amount
      FROM unnest(p_account_ids, p_amounts) AS l(account_id, amount)
     GROUP BY l.account_id
  ), single AS (
    UPDATE ledger_accounts a SET balance_fen = a.balance_fen + l.amount
      FROM lines l
     WHERE a.id = l.account_id AND a.balance_shards = 1 AND a.hospital_id = p_hospital_id
    RETURNING a.id, a.person_id, a.balance_fen
  ), sharded AS (
    INSERT INTO ledger_balance_shards AS s (account_id, shard, balance_fen)
    SELECT a.id, pg_backend_pid() % a.balance_shards, l.amount
      FROM lines l JOIN ledger_accounts a ON a.id = l.account_id
     WHERE a.balance_shards > 1 AND a.hospital_id = p_hospital_id
     ORDER BY a.id
    ON CONFLICT (account_id, shard) DO UPDATE SET balance_fen = s.balance_fen + EXCLUDED.balance_fen
    RETURNING s.account_id
  ), posted AS (
    INSERT INTO postings (entry_id, account_id, amount_fen)
    SELECT v_entry_id, l.account_id, l.amount FROM lines l WHERE l.amount <> 0
    RETURNING account_id
  )
  SELECT (SELECT count(*) FROM lines),
         (SELECT count(*) FROM single) + (SELECT count(*) FROM sharded),
         (SELECT min(id) FROM single WHERE person_id IS NOT NULL AND balance_fen < 0)
    INTO v_lines, v_touched, v_negative;

  IF v_touched <> v_lines THEN
    PERFORM ledger_refuse('LEDGER_UNKNOWN_ACCOUNT', jsonb_build_object('accountIds', to_jsonb(p_account_ids)));
  END IF;
  IF v_negative IS NOT NULL AND NOT COALESCE(p_allow_arrears, false) THEN
    PERFORM ledger_refuse('INSUFFICIENT_FUNDS', jsonb_build_object('accountId', v_negative));
  END IF;
  RETURN v_entry_id;
END $$;

-- A sale, in one round trip: idempotency, purse locks, the split between purses by the hospital's order,
-- the entry, the person's notification and the stored reply. Returns the reply as JSON.
CREATE FUNCTION ledger_spend(
  p_person_id bigint,
  p_amount_fen bigint,
  p_merchant text,
  p_counter text,
  p_terminal text,
  p_reference_type text,
  p_reference_id text,
  p_memo text,
  p_allow_arrears boolean,
  p_idempotency_scope text,
  p_idempotency_key text,
  p_request_hash text,
  p_created_at timestamptz,
  p_created_by bigint
) RETURNS jsonb LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_existing record;
  v_wallet record;
  v_account record;
  v_subsidy bigint;
  v_own bigint;
  v_from_subsidy bigint;
  v_from_own bigint;
  v_short bigint;
  v_revenue bigint;
  v_ids bigint[];
  v_amounts bigint[];
  v_entry_id bigint;
  v_result jsonb;
BEGIN
  IF p_amount_fen IS NULL OR p_amount_fen <= 0 THEN
    PERFORM ledger_refuse('INVALID_AMOUNT', jsonb_build_object('amountFen', p_amount_fen));
  END IF;

  -- Lock both purses (id order, like ledger_post) before reading them: concurrent sales of one person
  -- queue here, in the database, whichever app server they came through.
  FOR v_account IN
    SELECT id, kind, balance_fen FROM ledger_accounts
     WHERE person_id = p_person_id AND kind IN ('subsidy_purse', 'own_purse')
     ORDER BY id FOR NO KEY UPDATE
  LOOP
    IF v_account.kind = 'subsidy_purse' THEN v_subsidy := v_account.balance_fen; ELSE v_own := v_account.balance_fen; END IF;
  END LOOP;

  -- Same key, same request: the first reply, nothing charged. Same key, other request: refused. Looked up
  -- after the purse locks, so a duplicate that waited for the first finds its key committed.
  IF p_idempotency_key IS NOT NULL THEN
    SELECT request_hash, response INTO v_existing FROM idempotency_keys
     WHERE scope = p_idempotency_scope AND key = p_idempotency_key;
    IF FOUND THEN
      IF v_existing.request_hash <> p_request_hash OR v_existing.response IS NULL THEN
        PERFORM ledger_refuse('IDEMPOTENCY_KEY_REUSED', jsonb_build_object('key', p_idempotency_key));
      END IF;
      RETURN v_existing.response || '{"replayed": true}'::jsonb;
    END IF;
  END IF;

  -- Read after the locks: freezeWallets takes the same locks, so a sale never slips past a freeze.
  SELECT w.hospital_id, w.status, w.subsidy_account_id, w.own_account_id,
         COALESCE(pol.spend_order, 'subsidy_first') AS spend_order
    INTO v_wallet
    FROM wallets w LEFT JOIN ledger_policies pol ON pol.hospital_id = w.hospital_id
   WHERE w.person_id = p_person_id;
  IF NOT FOUND THEN
    PERFORM ledger_refuse('NO_WALLET', jsonb_build_object('personId', p_person_id));
  END IF;
  IF v_wallet.status <> 'open' THEN
    PERFORM ledger_refuse(CASE WHEN v_wallet.status = 'frozen' THEN 'WALLET_FROZEN' ELSE 'WALLET_CLOSED' END,
                          jsonb_build_object('personId', p_person_id));
  END IF;

  IF v_wallet.spend_order = 'own_first' THEN
    v_from_own := least(greatest(v_own, 0), p_amount_fen);
    v_from_subsidy := least(greatest(v_subsidy, 0), p_amount_fen - v_from_own);
  ELSE
    v_from_subsidy := least(greatest(v_subsidy, 0), p_amount_fen);
    v_from_own := least(greatest(v_own, 0), p_amount_fen - v_from_subsidy);
  END IF;
  v_short := p_amount_fen - v_from_subsidy - v_from_own;
  IF v_short > 0 THEN
    IF NOT COALESCE(p_allow_arrears, false) THEN
      PERFORM ledger_refuse('INSUFFICIENT_FUNDS', jsonb_build_object(
        'amountFen', p_amount_fen, 'availableFen', greatest(v_subsidy, 0) + greatest(v_own, 0)));
    END IF;
    -- Arrears (an offline sale synced late): the shortfall is owed in own funds, repaid by the next top-up.
    v_from_own := v_from_own + v_short;
  END IF;

  v_revenue := ledger_hospital_account(v_wallet.hospital_id, 'merchant_revenue', p_merchant);
  v_ids := ARRAY[v_revenue];
  v_amounts := ARRAY[p_amount_fen];
  IF v_from_subsidy > 0 THEN
    v_ids := v_ids || v_wallet.subsidy_account_id;
    v_amounts := v_amounts || (-v_from_subsidy);
  END IF;
  IF v_from_own > 0 THEN
    v_ids := v_ids || v_wallet.own_account_id;
    v_amounts := v_amounts || (-v_from_own);
  END IF;

  v_entry_id := ledger_post(
    v_wallet.hospital_id, 'spend', p_memo, p_reference_type, p_reference_id,
    jsonb_build_object('merchant', p_merchant, 'counter', p_counter, 'terminal', p_terminal,
                       'subsidyFen', v_from_subsidy, 'ownFen', v_from_own),
    NULL, v_short > 0,
    CASE WHEN p_idempotency_key IS NULL THEN NULL ELSE p_idempotency_scope || ':' || p_idempotency_key END,
    p_created_at, p_created_by, v_ids, v_amounts);

  v_result := jsonb_build_object(
    'entryId', v_entry_id, 'personId', p_person_id, 'amountFen', p_amount_fen,
    'subsidyFen', v_from_subsidy, 'ownFen', v_from_own, 'arrearsFen', v_short,
    'balance', jsonb_build_object('subsidyFen', v_subsidy - v_from_subsidy, 'ownFen', v_own - v_from_own),
    'createdAt', p_created_at, 'replayed', false);

  INSERT INTO outbox_messages (topic, person_id, payload, created_at, available_at)
  VALUES ('wallet.movement', p_person_id, jsonb_build_object(
            'entryId', v_entry_id, 'kind', 'spend', 'amountFen', -p_amount_fen,
            'subsidyFen', -v_from_subsidy, 'ownFen', -v_from_own,
            'merchant', p_merchant, 'counter', p_counter, 'memo', COALESCE(p_memo, ''),
            'balance', v_result -> 'balance', 'at', p_created_at),
          p_created_at, p_created_at);

  -- The key is written once, with the reply (one row, no update). A duplicate on another wallet that got
  -- this far waits here on the key's unique index; if the first committed, this sale is rolled back whole
  -- and the caller retries, to be answered from the stored reply.
  IF p_idempotency_key IS NOT NULL THEN
    INSERT INTO idempotency_keys (scope, key, request_hash, response, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_result, p_created_at)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      PERFORM ledger_refuse('IDEMPOTENCY_KEY_IN_USE', jsonb_build_object('key', p_idempotency_key));
    END IF;
  END IF;
  RETURN v_result;
END $$;

-- 提款: a person asks for own funds in cash or to the bank; finance pays (settle) or rejects (release).
-- The money sits in the person's hold account from the request until the decision.
CREATE TABLE withdrawals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  person_id bigint NOT NULL REFERENCES people(id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'rejected')),
  note text NOT NULL DEFAULT '',
  decision_note text NOT NULL DEFAULT '',
  requested_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by bigint REFERENCES people(id),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX withdrawals_status_idx ON withdrawals (hospital_id, status, id);
CREATE INDEX withdrawals_person_idx ON withdrawals (person_id, id);

-- Idempotency keys (platform/idempotency.ts): stored in the transaction of the effect, kept ≥ 48 h.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- The transactional outbox (platform/outbox.ts): written with the change it reports, drained by senders.
CREATE TABLE outbox_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  person_id bigint,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  available_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claimed_until timestamptz,
  last_error text,
  sent_at timestamptz
);
CREATE INDEX outbox_messages_pending_idx ON outbox_messages (topic, available_at, id) WHERE sent_at IS NULL;
CREATE INDEX outbox_messages_person_idx ON outbox_messages (person_id, id) WHERE person_id IS NOT NULL;

-- Scheduled jobs (platform/scheduler.ts): one row per job and slot; the instance that inserts it runs it.
CREATE TABLE job_runs (
  job text NOT NULL,
  slot text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text,
  PRIMARY KEY (job, slot)
);
