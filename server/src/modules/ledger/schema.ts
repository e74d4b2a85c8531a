// Request and response schemas of the ledger's routes; the API types in api.ts come from these.
import { Type, type Static } from 'typebox';
import { ENTRY_KINDS, type EntryKind } from './tables.ts';

const Id = Type.Integer({ minimum: 1 });
const Fen = Type.Integer({ description: 'integer fen (分)' });
const PositiveFen = Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'integer fen (分), > 0' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a local day, YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const EntryKindSchema = Type.Unsafe<EntryKind>({ type: 'string', enum: [...ENTRY_KINDS] });
const Reference = Nullable(Type.Object({ type: Type.String(), id: Type.String() }));

export const IdParams = Type.Object({ id: Id });

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

export const StatementQuery = Type.Object(
  {
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    kind: Type.Optional(Type.Array(EntryKindSchema, { maxItems: 9 })),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const StatementItemSchema = Type.Object({
  entryId: Id,
  kind: EntryKindSchema,
  memo: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  reference: Reference,
  reversesEntryId: Nullable(Id),
  amountFen: Fen,
  subsidyFen: Fen,
  ownFen: Fen,
  heldFen: Fen,
  createdAt: Instant,
});

export const StatementPageSchema = Type.Object(
  { items: Type.Array(StatementItemSchema), nextCursor: Nullable(Type.String()) },
  { $id: 'StatementPage' },
);

const BalanceAfter = Type.Object({ subsidyFen: Fen, ownFen: Fen, heldFen: Fen });

export const CashTopUpBody = Type.Object(
  {
    personId: Id,
    amountFen: PositiveFen,
    counter: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
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

export const WithdrawalSchema = Type.Object(
  {
    id: Id,
    personId: Id,
    amountFen: PositiveFen,
    status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('rejected')]),
    note: Type.String(),
    decisionNote: Type.String(),
    requestedAt: Instant,
    decidedAt: Nullable(Instant),
    decidedBy: Nullable(Id),
  },
  { $id: 'Withdrawal' },
);

export const WithdrawalPageSchema = Type.Object(
  { items: Type.Array(WithdrawalSchema), nextCursor: Nullable(Type.String()) },
  { $id: 'WithdrawalPage' },
);

export const WithdrawalBody = Type.Object(
  { amountFen: PositiveFen, note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const WithdrawalQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('rejected')])),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const ReversalBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);

export const ReversalSchema = Type.Object(
  { entryId: Id, reversesEntryId: Id, createdAt: Instant, replayed: Type.Boolean() },
  { $id: 'Reversal' },
);

export const EntriesQuery = Type.Object(
  {
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    kind: Type.Optional(Type.Array(EntryKindSchema, { maxItems: 9 })),
    personId: Type.Optional(Id),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const JournalEntrySchema = Type.Object({
  id: Id,
  kind: EntryKindSchema,
  memo: Type.String(),
  reference: Reference,
  details: Type.Record(Type.String(), Type.Unknown()),
  reversesEntryId: Nullable(Id),
  reversedByEntryId: Nullable(Id),
  allowsArrears: Type.Boolean(),
  createdAt: Instant,
  createdBy: Nullable(Id),
  postings: Type.Array(
    Type.Object({
      accountId: Id,
      accountKind: Type.String(),
      code: Type.String(),
      personId: Nullable(Id),
      amountFen: Fen,
    }),
  ),
});

export const JournalPageSchema = Type.Object(
  { items: Type.Array(JournalEntrySchema), nextCursor: Nullable(Type.String()) },
  { $id: 'JournalPage' },
);

export const NotificationsQuery = Type.Object(
  {
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const NotificationSchema = Type.Object({
  id: Id,
  topic: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Instant,
});

export const NotificationListSchema = Type.Object(
  { items: Type.Array(NotificationSchema) },
  { $id: 'NotificationList' },
);

export const StreamQuery = Type.Object(
  { after: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: false },
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
    updatedAt: Nullable(Instant),
  },
  { $id: 'LedgerSettings' },
);

export const LedgerSettingsBody = Type.Object(
  {
    spendOrder: Type.Optional(SpendOrderSchema),
    subsidyExpiry: Type.Optional(SubsidyExpirySchema),
    transferDailyLimitFen: Type.Optional(LimitFen),
  },
  { additionalProperties: false, minProperties: 1 },
);

export type Wallet = Static<typeof WalletSchema>;
export type LedgerSettings = Static<typeof LedgerSettingsSchema>;
export type LedgerSettingsChange = Static<typeof LedgerSettingsBody>;
export type StatementFilters = Static<typeof StatementQuery>;
export type StatementItem = Static<typeof StatementItemSchema>;
export type StatementPage = Static<typeof StatementPageSchema>;
export type CashTopUp = Static<typeof CashTopUpBody>;
export type CashTopUpReceipt = Static<typeof CashTopUpReceiptSchema>;
export type JournalFilters = Static<typeof EntriesQuery>;
export type Transfer = Static<typeof TransferBody>;
export type ReversalRequest = Static<typeof ReversalBody>;
export type Reversal = Static<typeof ReversalSchema>;
export type Withdrawal = Static<typeof WithdrawalSchema>;
export type WithdrawalPage = Static<typeof WithdrawalPageSchema>;
export type WithdrawalRequest = Static<typeof WithdrawalBody>;
export type WithdrawalDecision = Static<typeof DecisionBody>;
export type TransferReceipt = Static<typeof TransferReceiptSchema>;
export type JournalEntry = Static<typeof JournalEntrySchema>;
export type JournalPage = Static<typeof JournalPageSchema>;
export type WalletNotification = Static<typeof NotificationSchema>;
export type NotificationList = Static<typeof NotificationListSchema>;
