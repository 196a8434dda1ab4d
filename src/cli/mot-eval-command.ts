/**
 * `maskwatch mot-eval --gt gt.txt --res res.txt [--json]`: CLEAR MOT and identity metrics of a
 * tracker result against MOTChallenge ground truth.
 */
import type { Command } from 'commander';
import { DEFAULT_MOT_MIN_IOU } from '../core/clear-mot';
import { evaluateMot, type MotEvaluation, roundEvaluation } from '../core/mot-evaluation';
import { numberInRange } from '../core/validate';
import { readMotFile } from '../runtime/mot-files';

interface MotEvalFlags {
  gt: string;
  res: string;
  json?: boolean;
  minIou: string;
}

export function registerMotEval(program: Command): void {
  program
    .command('mot-eval')
    .description('score MOT-format tracks against MOT ground truth (MOTA, IDF1, switches, ...)')
    .requiredOption('--gt <file>', 'ground truth, MOT format (frame,id,x,y,w,h,conf,...)')
    .requiredOption('--res <file>', 'tracker result, MOT format')
    .option('--min-iou <iou>', 'IoU a box pair needs to correspond', String(DEFAULT_MOT_MIN_IOU))
    .option('--json', 'print the figures as JSON')
    .action((flags: MotEvalFlags) => {
      const minIou = numberInRange('--min-iou', flags.minIou, Number.EPSILON, 1);
      const evaluation = roundEvaluation(
        evaluateMot(readMotFile(flags.gt), readMotFile(flags.res), minIou),
      );
      process.stdout.write(
        flags.json ? `${JSON.stringify(evaluation, null, 2)}\n` : describe(evaluation),
      );
    });
}

function describe(e: MotEvaluation): string {
  const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
  return [
    `IDF1 ${pct(e.idf1)} (IDP ${pct(e.idp)}, IDR ${pct(e.idr)})`,
    `MOTA ${pct(e.mota)}, MOTP ${pct(e.motp)} mean IoU`,
    `precision ${pct(e.precision)}, recall ${pct(e.recall)}`,
    `${e.idSwitches} id switches, ${e.fragments} fragments`,
    `${e.falsePositives} false positives, ${e.misses} misses of ${e.gtBoxes} boxes`,
    `ids: ${e.gtIds} in the ground truth, ${e.resIds} in the result; mostly tracked ` +
      `${e.mostlyTracked}, partly ${e.partiallyTracked}, mostly lost ${e.mostlyLost}`,
    '',
  ].join('\n');
}
