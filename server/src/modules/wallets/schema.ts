// Request and response schemas of the wallets' routes; the API types in api.ts come from these.
import { Type, type Static } from 'typebox';
import { BalanceAfter, Fen, Id, Instant, Nullable, PositiveFen } from '../../platform/schema.ts';

export const WalletSchema = Type.Object(
  {
    personId: Id,
    subsidyFen: Fen,
    ownFen: Fen,
    heldFen: Fen,
    availableFen: Fen,
    status: Type.Union([Type.Literal('open'), Type.Literal('frozen'), Type.Literal('closed')]),
  },
  { $id: 'Wallet' },
);

/** A cash counter's code (收银窗口), as the hospital set them up in the ledger settings. */
const CounterCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

export const CashTopUpBody = Type.Object(
  {
    personId: Id,
    amountFen: PositiveFen,
    counter: CounterCode,
    memo: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const CashTopUpReceiptSchema = Type.Object(
  {
    receiptNo: Type.String(),
    entryId: Id,
    personId: Id,
    amountFen: PositiveFen,
    counter: Type.String(),
    cashierId: Nullable(Id),
    balance: BalanceAfter,
    createdAt: Instant,
    replayed: Type.Boolean(),
  },
  { $id: 'CashTopUpReceipt' },
);

export const TransferBody = Type.Object(
  {
    toPersonId: Id,
    amountFen: PositiveFen,
    pin: Type.String({ pattern: '^\\d{6}$', description: 'the payer’s six-digit payment PIN' }),
    memo: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const TransferReceiptSchema = Type.Object(
  {
    entryId: Id,
    toPersonId: Id,
    amountFen: PositiveFen,
    balance: BalanceAfter,
    createdAt: Instant,
    replayed: Type.Boolean(),
  },
  { $id: 'TransferReceipt' },
);

const SpendOrderSchema = Type.Union([Type.Literal('subsidy_first'), Type.Literal('own_first')], {
  description: 'which purse a sale takes from first',
});
const SubsidyExpirySchema = Type.Union([Type.Literal('month_end'), Type.Literal('roll_over')], {
  description: 'month_end: unspent subsidy expires (清零) on the 1st; roll_over: it stays',
});
const LimitFen = Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'integer fen (分) per local day' });

export const LedgerSettingsSchema = Type.Object(
  {
    spendOrder: SpendOrderSchema,
    subsidyExpiry: SubsidyExpirySchema,
    transferDailyLimitFen: LimitFen,
    cashCounters: Type.Array(Type.String()),
    updatedAt: Nullable(Instant),
  },
  { $id: 'LedgerSettings' },
);

export const LedgerSettingsBody = Type.Object(
  {
    spendOrder: Type.Optional(SpendOrderSchema),
    subsidyExpiry: Type.Optional(SubsidyExpirySchema),
    transferDailyLimitFen: Type.Optional(LimitFen),
    cashCounters: Type.Optional(Type.Array(CounterCode, { maxItems: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type Wallet = Static<typeof WalletSchema>;
export type LedgerSettings = Static<typeof LedgerSettingsSchema>;
export type LedgerSettingsChange = Static<typeof LedgerSettingsBody>;
export type CashTopUp = Static<typeof CashTopUpBody>;
export type CashTopUpReceipt = Static<typeof CashTopUpReceiptSchema>;
export type Transfer = Static<typeof TransferBody>;
export type TransferReceipt = Static<typeof TransferReceiptSchema>;
