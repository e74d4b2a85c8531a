// Request and response schemas of the online top-up routes; the API types in api.ts come from these.
import { Type, type Static } from 'typebox';

const Id = Type.Integer({ minimum: 1 });
const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** Limits of one online top-up, in fen: ¥1 to ¥5,000. */
export const TOP_UP_MIN_FEN = 100;
export const TOP_UP_MAX_FEN = 500_000;

export const ChannelSchema = Type.Union([Type.Literal('test'), Type.Literal('wechat')]);

export const TopUpOrderBody = Type.Object(
  {
    amountFen: Type.Integer({ description: `integer fen (分), ${TOP_UP_MIN_FEN}–${TOP_UP_MAX_FEN}` }),
    channel: ChannelSchema,
  },
  { additionalProperties: false },
);

export const TopUpOrderSchema = Type.Object(
  {
    id: Id,
    channel: ChannelSchema,
    amountFen: Type.Integer(),
    status: Type.Union([
      Type.Literal('created'),
      Type.Literal('paid'),
      Type.Literal('failed'),
      Type.Literal('expired'),
    ]),
    outTradeNo: Type.String(),
    createdAt: Instant,
    paidAt: Nullable(Instant),
    entryId: Nullable(Id),
  },
  { $id: 'TopUpOrder' },
);

export const PaymentParamsSchema = Type.Object({ kind: ChannelSchema, token: Type.String(), payUrl: Type.String() });

export const TopUpOrderCreatedSchema = Type.Object({
  order: TopUpOrderSchema,
  payment: PaymentParamsSchema,
  replayed: Type.Boolean(),
});

export const OrderParams = Type.Object({ id: Id });
export const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9]{8,64}$' }) });

export const NotifyReplySchema = Type.Object({ code: Type.Literal('SUCCESS'), alreadyPaid: Type.Boolean() });

export type TopUpOrderRequest = Static<typeof TopUpOrderBody>;
export type TopUpOrder = Static<typeof TopUpOrderSchema>;
export type TopUpOrderCreated = Static<typeof TopUpOrderCreatedSchema>;
export type PaymentParamsReply = Static<typeof PaymentParamsSchema>;
