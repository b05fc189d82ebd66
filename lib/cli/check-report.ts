import { Acknowledgement, applyAcknowledgements, describeUnused } from './acknowledgements';
import { Finding } from '../core/findings';
import { CheckReport, RulesNotRunReport } from './report-formats';

/** What `check` knows of one file before acknowledgements: the checker's result. */
export interface CheckedFile {
  readonly file: string;
  readonly type?: string;
  readonly typeSource?: string;
  readonly typeEvidence?: string;
  readonly findings: readonly Finding[];
  readonly unreadable?: string;
  readonly notRun?: readonly RulesNotRunReport[];
}

/** The report of a run: each file's findings with the acknowledgements applied, and the unused acknowledgements. */
export function buildCheckReport(
  checked: readonly CheckedFile[],
  inventory: { readonly instanceArn: string; readonly numbers: readonly unknown[] },
  acknowledgements: readonly Acknowledgement[],
  cwd: string,
): CheckReport {
  const applied = applyAcknowledgements(checked, acknowledgements, cwd);
  return {
    instanceArn: inventory.instanceArn,
    claimedNumbers: inventory.numbers.length,
    files: checked.map((r, i) => ({
      file: r.file,
      ...(r.type ? { type: r.type } : {}),
      ...(r.typeSource ? { typeSource: r.typeSource } : {}),
      ...(r.typeEvidence ? { typeEvidence: r.typeEvidence } : {}),
      ...(r.unreadable !== undefined ? { unreadable: r.unreadable } : {}),
      ...(r.notRun?.length ? { notRun: r.notRun } : {}),
      ...applied.files[i],
    })),
    unusedAcknowledgements: applied.unused.map(describeUnused),
  };
}
