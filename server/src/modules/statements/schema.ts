// Request and response schemas of statements and notifications; the API types in api.ts come from these.
import { Type, type Static } from 'typebox';
import { Day, Fen, Id, Instant, Limit, Nullable } from '../../platform/schema.ts';
import { REVERSAL } from '../ledger/index.ts';
import { WALLET_ENTRY_KINDS } from '../wallets/index.ts';

/** Every kind of entry a person's statement can show. */
export const STATEMENT_KINDS = [...WALLET_ENTRY_KINDS, REVERSAL] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
const KindSchema = Type.Unsafe<StatementKind>({ type: 'string', enum: [...STATEMENT_KINDS] });

export const StatementQuery = Type.Object(
  {
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    kind: Type.Optional(Type.Array(KindSchema, { maxItems: STATEMENT_KINDS.length })),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}\\.\\d{1,15}$' })),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const StatementItemSchema = Type.Object({
  entryId: Id,
  kind: KindSchema,
  memo: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  reference: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
  reversesEntryId: Nullable(Id),
  /** The colleague of a transfer, name partly masked (王*燕) as in every colleague lookup. */
  counterpart: Nullable(Type.Object({ personId: Id, maskedName: Type.String() })),
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

export const NotificationsQuery = Type.Object(
  { before: Type.Optional(Id), limit: Type.Optional(Limit) },
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
  { after: Type.Optional(Type.String({ pattern: '^\\d{1,20}-\\d{1,15}$', description: 'a cursor (event id)' })) },
  { additionalProperties: false },
);

export type StatementFilters = Static<typeof StatementQuery>;
export type StatementItem = Static<typeof StatementItemSchema>;
export type StatementPage = Static<typeof StatementPageSchema>;
export type WalletNotification = Static<typeof NotificationSchema>;
export type NotificationList = Static<typeof NotificationListSchema>;
