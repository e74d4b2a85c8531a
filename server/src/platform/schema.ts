// Schema pieces every module's request and response schemas use (TypeBox → JSON Schema → OpenAPI).
import { Type } from 'typebox';

export const Id = Type.Integer({ minimum: 1 });
export const IdParams = Type.Object({ id: Id });
/** Money: integer fen (分), never a float. */
export const Fen = Type.Integer({ description: 'integer fen (分)' });
export const PositiveFen = Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'integer fen (分), > 0' });
export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a local day, YYYY-MM-DD' });
export const Instant = Type.String({ format: 'date-time' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
export const Limit = Type.Integer({ minimum: 1, maximum: 100 });
export const BalanceAfter = Type.Object({ subsidyFen: Fen, ownFen: Fen, heldFen: Fen });
