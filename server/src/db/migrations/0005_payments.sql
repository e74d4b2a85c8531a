-- Online top-up (充值): a payment order per attempt; the channel's notification marks it paid and the
-- ledger credits the wallet in the same transaction (journal reference = out_trade_no, once only).

CREATE TABLE payment_orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hospital_id bigint NOT NULL REFERENCES hospitals(id),
  person_id bigint NOT NULL REFERENCES people(id),
  channel text NOT NULL CHECK (channel IN ('test', 'wechat')),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'paid', 'failed', 'expired')),
  -- Our order number as the channel sees it (商户订单号).
  out_trade_no text NOT NULL UNIQUE,
  -- The channel's own number for the payment, known once it is paid.
  channel_transaction_id text,
  created_at timestamptz NOT NULL,
  paid_at timestamptz,
  -- The ledger's top-up entry (owned by the ledger module).
  entry_id bigint,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL AND entry_id IS NOT NULL))
);
CREATE INDEX payment_orders_person_idx ON payment_orders (person_id, created_at DESC);
