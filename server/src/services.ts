// The composition root: every module's service, built once, wired to the others through their public
// faces. The HTTP app (app.ts) and the command line (cli.ts) both build services here, so a command and a
// request see the same rules.
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import { CardsService } from './modules/cards/service.ts';
import { LedgerService, ledgerJobs } from './modules/ledger/index.ts';
import { OrgDirectory, OrgService, PeopleImportService } from './modules/org/index.ts';
import { paymentChannels } from './modules/payments/channels.ts';
import { PaymentsService } from './modules/payments/service.ts';
import { NotificationsService, StatementsService } from './modules/statements/index.ts';
import { SubsidiesService } from './modules/subsidies/service.ts';
import {
  ClosingService,
  FundingService,
  HoldsService,
  TransfersService,
  WalletsService,
  walletJobs,
} from './modules/wallets/index.ts';
import { WithdrawalsService } from './modules/withdrawals/index.ts';
import { ApiTokensService } from './platform/auth/api-tokens.ts';
import { authJobs } from './platform/auth/jobs.ts';
import { AuthService } from './platform/auth/service.ts';
import type { Clock } from './platform/clock.ts';
import { purgeIdempotencyKeys } from './platform/idempotency.ts';
import { hourly, type Job } from './platform/scheduler.ts';
import type { DB } from './tables.ts';

export interface Services {
  auth: AuthService;
  apiTokens: ApiTokensService;
  org: OrgService;
  directory: OrgDirectory;
  peopleImport: PeopleImportService;
  cards: CardsService;
  ledger: LedgerService;
  wallets: WalletsService;
  funding: FundingService;
  transfers: TransfersService;
  holds: HoldsService;
  closing: ClosingService;
  withdrawals: WithdrawalsService;
  statements: StatementsService;
  notifications: NotificationsService;
  subsidies: SubsidiesService;
  payments: PaymentsService;
}

export interface ServiceOptions {
  /** How often a live notification stream looks for new rows (every instance polls the database). */
  streamPollMs?: number;
}

export function buildServices(db: Kysely<DB>, config: Config, clock: Clock, options: ServiceOptions = {}): Services {
  const { timeZone } = config;
  // What other modules may read of people, roles and hospitals (never the org's tables themselves).
  const directory = new OrgDirectory(db);
  const ledger = new LedgerService(db, clock, {
    timeZone,
    alertRecipients: () => directory.activeHoldersOf(['finance', 'admin']),
  });
  const wallets = new WalletsService(db, clock, ledger);
  const holds = new HoldsService(clock, ledger, wallets);
  const withdrawals = new WithdrawalsService(db, clock, wallets, holds);
  const closing = new ClosingService(
    clock,
    ledger,
    wallets,
    (trx, personId) => withdrawals.pendingOf(trx, personId),
    timeZone,
  );
  const funding = new FundingService(db, clock, ledger, wallets);
  // 退卡 (account return) revokes the cards and has the wallets settle the money, in one transaction.
  const cards = new CardsService(db, clock, { closing, directory });
  const transfers = new TransfersService(db, clock, ledger, wallets, {
    timeZone,
    verifyPin: (personId, pin, actor) => cards.verifyPin(personId, pin, actor),
  });
  // Wallets hear, inside the org transaction, who joined (wallet opened) and who left (frozen); the cards
  // module revokes a leaver's cards there too, so every terminal refuses them.
  const apiTokens = new ApiTokensService(db, clock, directory);
  const org = new OrgService(db, clock, [wallets, cards], (ids) => apiTokens.names(ids));
  return {
    auth: new AuthService(db, config, clock, directory),
    apiTokens,
    org,
    directory,
    peopleImport: new PeopleImportService(db, org),
    cards,
    ledger,
    wallets,
    funding,
    transfers,
    holds,
    closing,
    withdrawals,
    statements: new StatementsService(ledger, { timeZone, maskedNames: (ids) => directory.maskedNames(ids) }),
    notifications: new NotificationsService(db, { pollMs: options.streamPollMs ?? 2000 }),
    subsidies: new SubsidiesService(db, clock, funding, directory, wallets),
    payments: new PaymentsService(db, clock, { wallets, funding }, { channels: paymentChannels(config) }),
  };
}

/** Every scheduled job of the platform (the scheduler runs each slot once across instances). */
export function scheduledJobs(db: Kysely<DB>, services: Services, config: Config): Job[] {
  return [
    ...ledgerJobs(services.ledger, config.timeZone),
    ...authJobs(services.auth),
    ...walletJobs(services.closing, () => services.directory.hospitalIds(), config.timeZone),
    {
      name: 'idempotency.purge',
      schedule: hourly,
      catchUp: 'latest',
      run: async (_slot, now) => `purged ${await purgeIdempotencyKeys(db, now)} keys`,
    },
  ];
}
