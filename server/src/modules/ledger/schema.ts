// Request and response schemas of the ledger core's routes (the journal browser and reversals).
import { Type, type Static } from 'typebox';
import { Day, Fen, Id, Instant, Limit, Nullable } from '../../platform/schema.ts';

const Kind = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'an entry kind, e.g. spend, top_up' });
export const Reference = Nullable(Type.Object({ type: Type.String(), id: Type.String() }));

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
    kind: Type.Optional(Type.Array(Kind, { maxItems: 20 })),
    personId: Type.Optional(Id),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const JournalEntrySchema = Type.Object({
  id: Id,
  kind: Kind,
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

export type JournalFilters = Static<typeof EntriesQuery>;
export type ReversalRequest = Static<typeof ReversalBody>;
export type Reversal = Static<typeof ReversalSchema>;
export type JournalEntry = Static<typeof JournalEntrySchema>;
export type JournalPage = Static<typeof JournalPageSchema>;
