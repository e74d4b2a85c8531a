// `canteen import-subsidies FILE`: the subsidy import from a terminal, for finance offices that
// script their month end. The same service as the console: preview first, grant only with --confirm.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Actor } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { formatFen } from '../../platform/money.ts';
import type { OrgDirectory } from '../org/index.ts';
import type { SubsidiesService } from './service.ts';

export interface SubsidyImportOptions {
  file: string;
  month?: string | undefined;
  /** Hospital code; defaults to the only hospital of the installation. */
  hospital?: string | undefined;
  confirm: boolean;
  skipProblemRows: boolean;
}

export async function importSubsidiesFromFile(
  directory: Pick<OrgDirectory, 'hospitals'>,
  subsidies: SubsidiesService,
  options: SubsidyImportOptions,
  out: (line: string) => void,
): Promise<number> {
  const hospitals = (await directory.hospitals()).filter(
    (h) => options.hospital === undefined || h.code === options.hospital,
  );
  const hospital = hospitals[0];
  if (!hospital || hospitals.length > 1) {
    out(hospital ? 'several hospitals: name one with --hospital CODE' : 'no such hospital');
    return 2;
  }
  const actor: Actor = { personId: null, requestId: `cli-${randomUUID()}`, ip: '' };
  try {
    const bytes = new Uint8Array(await readFile(options.file));
    const batch = await subsidies.previewSubsidyBatch(
      { hospitalId: hospital.id, fileName: basename(options.file), bytes, month: options.month },
      actor,
    );
    out(`batch ${batch.id} (draft): ${batch.fileName}, month ${batch.month ?? '(none)'}`);
    out(`  ${batch.lineCount} lines, ${batch.goodLineCount} good totalling ${formatFen(batch.goodTotalFen)}`);
    for (const warning of batch.warnings) out(`  warning (${warning.code}): ${warning.message}`);
    for (const line of batch.lines.filter((l) => l.problems.length)) {
      out(
        `  row ${line.rowNumber}  ${line.employeeNo || '-'}  ${line.name || '-'}  ${line.amountText || '-'}: ${line.problems
          .map((p) => p.message)
          .join('; ')}`,
      );
    }
    if (!options.confirm) {
      out('nothing granted: run again with --confirm to grant (the same file is never granted twice)');
      return batch.problemLineCount ? 1 : 0;
    }
    const granted = await subsidies.grantSubsidyBatch(
      {
        hospitalId: hospital.id,
        batchId: batch.id,
        skipProblemRows: options.skipProblemRows,
        idempotencyKey: randomUUID(),
      },
      actor,
    );
    out(
      `granted batch ${granted.id}: ${granted.grantedLineCount} people, ${formatFen(granted.grantedTotalFen ?? 0)} (journal entry ${granted.journalEntryId})`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      out(`refused (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  }
}
