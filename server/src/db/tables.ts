// Column types every module's table types use, as Kysely sees them through CamelCasePlugin. Each module
// declares its own tables beside its code (modules/<domain>/tables.ts); ../tables.ts assembles them.
import type { ColumnType, Generated } from 'kysely';

/** A bigint identity: written by the database, read as a number (see the int8 parser in index.ts). */
export type Id = Generated<number>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column travels as 'YYYY-MM-DD' text: a calendar day has no time zone to get wrong. */
export type CalendarDay = string;
