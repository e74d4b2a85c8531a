import type { Kysely, Transaction } from 'kysely';

/**
 * A module's database handle, typed with that module's own tables only: a query in one module that
 * names another module's table does not compile. Each module's queries.ts takes `Db<ItsTables>`.
 * The whole map of tables (`DB`) is assembled in ../tables.ts, at the top, where the app is built.
 */
export type Db<T> = Kysely<T> | Transaction<T>;

/**
 * A transaction that crosses modules (the org module activates people and the wallets module opens
 * their wallets in the same one). It is a handle, not a query builder: each module passes it on to its
 * own queries.ts, whose `Db<ItsTables>` parameter decides what may be queried through it. Services never
 * write SQL (ESLint keeps query building in queries.ts files), so the loose type opens no back door.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: narrowed by each module's queries
export type Tx = Transaction<any>;
