-- The hospital's cash counters (收银窗口), a ledger setting until the POS issue brings a registry of
-- counters and terminals: a cash top-up names one of them, and the console offers them as a choice.
ALTER TABLE ledger_policies
  ADD COLUMN cash_counters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(cash_counters) = 'array');

-- An installation that took cash already keeps the counters its journal knows (its counter_cash
-- accounts), so no counter that worked yesterday is refused today.
INSERT INTO ledger_policies (hospital_id, cash_counters)
SELECT hospital_id, jsonb_agg(code ORDER BY code)
FROM ledger_accounts
WHERE kind = 'counter_cash' AND code <> ''
GROUP BY hospital_id
ON CONFLICT (hospital_id) DO UPDATE SET cash_counters = EXCLUDED.cash_counters;
