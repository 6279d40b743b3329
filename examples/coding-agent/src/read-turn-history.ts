import { readFile } from 'node:fs/promises';
import type { HistoryRun } from '@reins/controller';

/** Splits one CSV line into fields (double quotes, doubled quotes inside them). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(field);
      field = '';
    } else field += character;
  }
  fields.push(field);
  return fields;
}

/**
 * Reads past runs (model, turns, resolved) from a CSV file with the columns
 * `metadata.model_name`, `metadata.turns` and `metadata.resolved`, the shape of the recorded
 * SWE-Bench Pro runs in the shared data (`tool-times/swe-bench-pro-runs.csv`), for
 * `fromHistory()`.
 *
 * @param path - the CSV file.
 * @returns one {@link HistoryRun} per row with a positive turn count.
 * @throws when the file lacks one of the columns (the message lists the columns it has).
 * @example
 * ```ts
 * const budget = fromHistory(await readTurnHistory('runs.csv'), { percentile: 0.75 });
 * ```
 */
export async function readTurnHistory(path: string): Promise<HistoryRun[]> {
  const [header = '', ...rows] = (await readFile(path, 'utf8')).split(/\r?\n/);
  const columns = splitCsvLine(header);
  const find = (name: string) => {
    const index = columns.indexOf(name);
    if (index === -1) {
      throw new Error(
        `${path} has no column '${name}'. Its columns are: ${columns.join(', ')}. Pass a CSV with metadata.model_name, metadata.turns and metadata.resolved.`,
      );
    }
    return index;
  };
  const model = find('metadata.model_name');
  const turns = find('metadata.turns');
  const resolved = find('metadata.resolved');
  const runs: HistoryRun[] = [];
  for (const row of rows) {
    if (row.trim() === '') continue;
    const fields = splitCsvLine(row);
    const count = Number(fields[turns]);
    if (!(count > 0)) continue;
    runs.push({
      model: fields[model] ?? '',
      turns: count,
      resolved: fields[resolved] === 'true',
    });
  }
  return runs;
}
