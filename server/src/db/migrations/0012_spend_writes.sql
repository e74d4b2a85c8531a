-- A sale writes less and runs fewer statements (issue 6, "Speed"; figures in docs/performance.md).
--
-- 1. A sale's idempotency key lives on its journal entry, not in a row of its own. The entry always carried
--    the key ('ledger.spend:<key>'); it now also carries the request's hash, and a unique index on the key
--    makes the entry itself the record that the request was served. A retry rebuilds the first reply from
--    the entry and the purse postings up to it (the balances after the sale). One row and two index
--    entries fewer per sale, and no reply stored twice. Keys a sale stored in idempotency_keys before this
--    migration are still answered from there (until the hourly purge lets them go, as before).
-- 2. The postings trigger checks only the rows the statement inserted: if every statement's rows balance
--    per entry, every entry balances, and it no longer reads each entry back through the index.
-- 3. ledger_spend reads the wallet, the hospital's purse order, the merchant's revenue account and an
--    earlier sale with the same key in one statement after the purse locks (four before), and ledger_post
--    checks its lines in one pass.

ALTER TABLE journal_entries ADD COLUMN request_hash text;
-- Only entries written with a request hash (sales from now on): older entries may repeat a key whose
-- idempotency row had been purged, and are not made unique after the fact.
CREATE UNIQUE INDEX journal_entries_idempotency_idx ON journal_entries (idempotency_key)
  WHERE idempotency_key IS NOT NULL AND request_hash IS NOT NULL;

-- Room on each page for the next version of a purse's row, so that a sale's balance update stays a HOT
-- update (no new index entries) even while a long transaction elsewhere keeps old versions from being
-- pruned. New pages only: existing rows are not moved.
ALTER TABLE ledger_accounts SET (fillfactor = 70);

-- The statement's own rows, per entry, must balance: by induction every entry does, however many
-- statements add to it (ledger_post writes an entry's postings in one).
CREATE OR REPLACE FUNCTION postings_check_balanced() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_bad record;
BEGIN
  SELECT n.entry_id, sum(n.amount_fen) AS total INTO v_bad
    FROM new_postings n
   GROUP BY n.entry_id
  HAVING sum(n.amount_fen) <> 0 OR count(*) < 2
   LIMIT 1;
  IF FOUND THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object('entryId', v_bad.entry_id, 'sumFen', v_bad.total));
  END IF;
  RETURN NULL;
END $$;

-- The request hash is a new last parameter with a default: every existing call keeps working.
DROP FUNCTION ledger_post(bigint, text, text, text, text, jsonb, bigint, boolean, text, timestamptz, bigint,
                          bigint[], bigint[]);
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
  p_amounts bigint[],
  -- With a key: the entry is the request's idempotency record, and a second entry with the key is refused.
  p_request_hash text DEFAULT NULL
) RETURNS bigint LANGUAGE plpgsql
-- The statements here have the same shape on every call: planning them once (not per call, as custom
-- plans for array parameters would be) halves the cost of a sale on the server.
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_entry_id bigint;
  v_accounts integer;
  v_netted integer;
  v_total numeric;
  v_touched integer;
  v_overdrawn bigint;
BEGIN
  IF p_account_ids IS NULL OR p_amounts IS NULL OR cardinality(p_account_ids) <> cardinality(p_amounts)
     OR cardinality(p_account_ids) < 2 THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object('reason', 'an entry needs two or more postings'));
  END IF;
  SELECT count(*), count(*) FILTER (WHERE t.amount = 0), sum(t.amount) INTO v_accounts, v_netted, v_total
    FROM (SELECT sum(l.amount) AS amount FROM unnest(p_account_ids, p_amounts) AS l(account_id, amount)
           GROUP BY l.account_id) t;
  IF v_total <> 0 OR array_position(p_amounts, 0) IS NOT NULL OR array_position(p_amounts, NULL) IS NOT NULL THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object('amounts', to_jsonb(p_amounts)));
  END IF;
  IF v_accounts < 2 OR v_netted > 0 THEN
    PERFORM ledger_refuse('LEDGER_UNBALANCED', jsonb_build_object(
      'reason', 'the lines of an account net to nothing, or fewer than two accounts move',
      'accountIds', to_jsonb(p_account_ids), 'amounts', to_jsonb(p_amounts)));
  END IF;

  -- Person accounts are locked in id order, so two entries that touch the same accounts never deadlock.
  PERFORM 1 FROM ledger_accounts WHERE id = ANY (p_account_ids) AND balance_shards = 1 ORDER BY id FOR NO KEY UPDATE;

  -- A concurrent entry with the same key waits here on the unique index, and fails with a unique violation
  -- if that one commits (refusals.ts: IDEMPOTENCY_KEY_IN_USE; the sale is asked again, and replays). A
  -- plain INSERT: ON CONFLICT would cost every entry a speculative insertion and its confirmation.
  INSERT INTO journal_entries (hospital_id, kind, memo, reference_type, reference_id, details, reverses_entry_id,
                               allows_arrears, idempotency_key, request_hash, created_at, created_by)
  VALUES (p_hospital_id, p_kind, COALESCE(p_memo, ''), p_reference_type, p_reference_id, COALESCE(p_details, '{}'),
          p_reverses_entry_id, COALESCE(p_allow_arrears, false), p_idempotency_key,
          CASE WHEN p_idempotency_key IS NOT NULL THEN p_request_hash END, p_created_at, p_created_by)
  RETURNING id INTO v_entry_id;

  WITH lines AS (
    SELECT l.account_id, sum(l.amount)::bigint AS amount
      FROM unnest(p_account_ids, p_amounts) AS l(account_id, amount)
     GROUP BY l.account_id
  ), single AS (
    UPDATE ledger_accounts a SET balance_fen = a.balance_fen + l.amount
      FROM lines l
     WHERE a.id = l.account_id AND a.balance_shards = 1 AND a.hospital_id = p_hospital_id
    RETURNING a.id, a.person_id, a.balance_fen, l.amount
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
    SELECT v_entry_id, l.account_id, l.amount FROM lines l
    RETURNING account_id
  )
  SELECT (SELECT count(*) FROM single) + (SELECT count(*) FROM sharded),
         -- Only a debit can overdraw: a credit to an account in arrears is always welcome.
         (SELECT min(id) FROM single WHERE person_id IS NOT NULL AND amount < 0 AND balance_fen < 0)
    INTO v_touched, v_overdrawn;

  IF v_touched <> v_accounts THEN
    PERFORM ledger_refuse('LEDGER_UNKNOWN_ACCOUNT', jsonb_build_object('accountIds', to_jsonb(p_account_ids)));
  END IF;
  IF v_overdrawn IS NOT NULL AND NOT COALESCE(p_allow_arrears, false) THEN
    PERFORM ledger_refuse('INSUFFICIENT_FUNDS', jsonb_build_object('accountId', v_overdrawn));
  END IF;
  RETURN v_entry_id;
END $$;

-- A sale, in one round trip: idempotency, purse locks, the split between purses by the hospital's order,
-- the entry, the person's notification. Returns the reply as JSON.
CREATE OR REPLACE FUNCTION ledger_spend(
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
  v_key text := p_idempotency_scope || ':' || p_idempotency_key;
  v_hash text := COALESCE(p_request_hash, '');
  v_sale record;
  v_account record;
  v_subsidy bigint;
  v_own bigint;
  v_from_subsidy bigint;
  v_from_own bigint;
  v_short bigint;
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

  -- Everything else the sale needs, in one read after the locks: an earlier sale with this key (so a
  -- duplicate that waited for the first finds it committed), the wallet's status (freezeWallets takes the
  -- same locks, so a sale never slips past a freeze), the purse order and the merchant's revenue account.
  SELECT w.hospital_id, w.status, w.subsidy_account_id, w.own_account_id,
         COALESCE(pol.spend_order, 'subsidy_first') AS spend_order, rev.id AS revenue_id,
         e.id AS entry_id, e.request_hash, e.details, e.created_at,
         k.request_hash AS stored_hash, k.response AS stored_response, k.key IS NOT NULL AS stored
    INTO v_sale
    FROM (VALUES (1)) one (x)
    LEFT JOIN wallets w ON w.person_id = p_person_id
    LEFT JOIN ledger_policies pol ON pol.hospital_id = w.hospital_id
    LEFT JOIN ledger_accounts rev ON rev.hospital_id = w.hospital_id AND rev.kind = 'merchant_revenue'
                                 AND rev.code = p_merchant AND rev.person_id IS NULL
    LEFT JOIN journal_entries e ON e.idempotency_key = v_key AND e.request_hash IS NOT NULL
    -- A sale served before 0012 kept its key and reply here.
    LEFT JOIN idempotency_keys k ON k.scope = p_idempotency_scope AND k.key = p_idempotency_key;

  -- Same key, same request: the first reply, nothing charged. Same key, other request: refused.
  IF v_sale.entry_id IS NOT NULL THEN
    IF v_sale.request_hash <> v_hash THEN
      PERFORM ledger_refuse('IDEMPOTENCY_KEY_REUSED', jsonb_build_object('key', p_idempotency_key));
    END IF;
    -- The balances after the sale: its purses' postings up to its entry. Entries that touch a purse are
    -- numbered while its lock is held, so no earlier number can commit after this sale did.
    SELECT COALESCE(sum(p.amount_fen) FILTER (WHERE p.account_id = v_sale.subsidy_account_id), 0),
           COALESCE(sum(p.amount_fen) FILTER (WHERE p.account_id = v_sale.own_account_id), 0)
      INTO v_subsidy, v_own
      FROM postings p
     WHERE p.account_id IN (v_sale.subsidy_account_id, v_sale.own_account_id) AND p.entry_id <= v_sale.entry_id;
    RETURN jsonb_build_object(
      'entryId', v_sale.entry_id, 'personId', p_person_id, 'amountFen', p_amount_fen,
      'subsidyFen', v_sale.details -> 'subsidyFen', 'ownFen', v_sale.details -> 'ownFen',
      'arrearsFen', COALESCE(v_sale.details -> 'arrearsFen', '0'::jsonb),
      'balance', jsonb_build_object('subsidyFen', v_subsidy, 'ownFen', v_own),
      'createdAt', v_sale.created_at, 'replayed', true);
  END IF;
  IF v_sale.stored THEN
    IF v_sale.stored_hash <> v_hash OR v_sale.stored_response IS NULL THEN
      PERFORM ledger_refuse('IDEMPOTENCY_KEY_REUSED', jsonb_build_object('key', p_idempotency_key));
    END IF;
    RETURN v_sale.stored_response || '{"replayed": true}'::jsonb;
  END IF;

  IF v_sale.hospital_id IS NULL THEN
    PERFORM ledger_refuse('NO_WALLET', jsonb_build_object('personId', p_person_id));
  END IF;
  IF v_sale.status <> 'open' THEN
    PERFORM ledger_refuse(CASE WHEN v_sale.status = 'frozen' THEN 'WALLET_FROZEN' ELSE 'WALLET_CLOSED' END,
                          jsonb_build_object('personId', p_person_id));
  END IF;

  IF v_sale.spend_order = 'own_first' THEN
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

  v_ids := ARRAY[COALESCE(v_sale.revenue_id,
                          ledger_hospital_account(v_sale.hospital_id, 'merchant_revenue', p_merchant))];
  v_amounts := ARRAY[p_amount_fen];
  IF v_from_subsidy > 0 THEN
    v_ids := v_ids || v_sale.subsidy_account_id;
    v_amounts := v_amounts || (-v_from_subsidy);
  END IF;
  IF v_from_own > 0 THEN
    v_ids := v_ids || v_sale.own_account_id;
    v_amounts := v_amounts || (-v_from_own);
  END IF;

  v_entry_id := ledger_post(
    v_sale.hospital_id, 'spend', p_memo, p_reference_type, p_reference_id,
    jsonb_build_object('merchant', p_merchant, 'counter', p_counter, 'terminal', p_terminal,
                       'subsidyFen', v_from_subsidy, 'ownFen', v_from_own)
      -- Kept for the reply of a retry; only an arrears sale has any.
      || CASE WHEN v_short > 0 THEN jsonb_build_object('arrearsFen', v_short) ELSE '{}'::jsonb END,
    NULL, v_short > 0, v_key, p_created_at, p_created_by, v_ids, v_amounts, v_hash);

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
  RETURN v_result;
END $$;
