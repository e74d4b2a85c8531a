// Request and response schemas of the cards and payment PIN API. The web app imports their
// Static types through server/src/api.ts.
import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.Integer({ minimum: 1 });
const Timestamp = Type.String({ format: 'date-time' });
const CardStatus = Type.Union([Type.Literal('active'), Type.Literal('lost'), Type.Literal('revoked')]);
/** Readers print UIDs with or without separators; the server normalises to upper-case hex. */
const Uid = Type.String({ minLength: 8, maxLength: 64 });
const Pin = Type.String({ minLength: 1, maxLength: 16 });
const Reason = Type.String({ maxLength: 200 });

export const IdParams = Type.Object({ id: Id });
export const PersonParams = Type.Object({ personId: Id });

export const CardSchema = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  uid: Type.String(),
  status: CardStatus,
  revokedReason: Nullable(Type.Union([Type.Literal('replaced'), Type.Literal('returned')])),
  replacedById: Nullable(Type.Integer()),
  version: Type.Integer(),
  issuedAt: Timestamp,
  lostAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});

export const CardListSchema = Type.Object({ items: Type.Array(CardSchema) });
export const CardListQuery = Type.Object({ personId: Id }, { additionalProperties: false });

export const IssueCardSchema = Type.Object({ personId: Id, uid: Uid }, { additionalProperties: false });
export const ReplaceCardSchema = Type.Object(
  { uid: Uid, reason: Type.Optional(Reason) },
  { additionalProperties: false },
);
export const ReasonSchema = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
export const ReplacedCardSchema = Type.Object({ old: CardSchema, card: CardSchema });
export const CancelLossSchema = Type.Object({ pin: Pin }, { additionalProperties: false });

export const AccountReturnSchema = Type.Object(
  {
    counter: Type.String({
      minLength: 1,
      maxLength: 32,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'the paying counter',
    }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
const Fen = Type.Integer({ description: 'integer fen (分)' });
export const AccountReturnReceiptSchema = Type.Object(
  {
    receiptNo: Type.String(),
    personId: Id,
    ownPaidOutFen: Fen,
    subsidyReturnedFen: Fen,
    payoutEntryId: Nullable(Id),
    subsidyEntryId: Nullable(Id),
    counter: Type.String(),
    balance: Type.Object({ subsidyFen: Fen, ownFen: Fen, heldFen: Fen }),
    revokedCardIds: Type.Array(Id),
    reason: Nullable(Type.String()),
    cashierId: Nullable(Id),
    createdAt: Timestamp,
    replayed: Type.Boolean(),
  },
  { $id: 'AccountReturnReceipt' },
);

export const DenyListQuery = Type.Object(
  {
    since: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);
export const DenyListSchema = Type.Object({
  version: Type.Integer(),
  hasMore: Type.Boolean(),
  changes: Type.Array(
    Type.Object({ uid: Type.String(), status: CardStatus, version: Type.Integer(), changedAt: Timestamp }),
  ),
});

export const PinStatusSchema = Type.Object({
  set: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
  changedAt: Nullable(Timestamp),
});
export const SetPinSchema = Type.Object({ pin: Pin, oldPin: Type.Optional(Pin) }, { additionalProperties: false });

export type Card = Static<typeof CardSchema>;
export type CardList = Static<typeof CardListSchema>;
export type IssueCard = Static<typeof IssueCardSchema>;
export type ReplaceCard = Static<typeof ReplaceCardSchema>;
export type ReplacedCard = Static<typeof ReplacedCardSchema>;
export type CardDenyList = Static<typeof DenyListSchema>;
export type PinStatus = Static<typeof PinStatusSchema>;
export type SetPin = Static<typeof SetPinSchema>;
export type AccountReturn = Static<typeof AccountReturnSchema>;
export type AccountReturnReceipt = Static<typeof AccountReturnReceiptSchema>;
