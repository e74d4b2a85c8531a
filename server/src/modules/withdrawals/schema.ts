// Request and response schemas of the withdrawals' routes; the API types in api.ts come from these.
import { Type, type Static } from 'typebox';
import { Id, Instant, Limit, Nullable, PositiveFen } from '../../platform/schema.ts';

const Status = Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('rejected')]);

export const WithdrawalSchema = Type.Object(
  {
    id: Id,
    personId: Id,
    amountFen: PositiveFen,
    status: Status,
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
    status: Type.Optional(Status),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export type Withdrawal = Static<typeof WithdrawalSchema>;
export type WithdrawalPage = Static<typeof WithdrawalPageSchema>;
export type WithdrawalRequest = Static<typeof WithdrawalBody>;
export type WithdrawalDecision = Static<typeof DecisionBody>;
