/**
 * Hand-made trajectories in the mini-swe-agent file format, written to a temporary folder, for
 * the stuck patterns the recorded runs never show. Each states, by construction, at which turns
 * the stuck monitor must fire and with which pattern, or that it must never fire.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** One hand-made run: its commands and outputs, and the firings it must produce. */
export interface HandMadeRun {
  readonly id: string;
  /**
   * One `[command, output]` pair per turn. A submission turn follows them in the file: the
   * controller judges a turn when the next one begins, so the last turn of a run is never judged.
   */
  readonly turns: readonly (readonly [string, string])[];
  /** `turn pattern` for every firing, in turn order; empty: the monitor must never fire. */
  readonly firings: readonly string[];
}

const status = (text: string) => `<returncode>0</returncode>\n<output>\n${text}\n</output>`;
const pages = [
  'import os\nimport sys\n\ndef main():\n    return parse(sys.argv)',
  'class Parser:\n    def __init__(self, rules):\n        self.rules = rules',
  '    def parse(self, text):\n        tokens = text.split()\n        return [self.rule(t) for t in tokens]',
  'if __name__ == "__main__":\n    raise SystemExit(main())',
];

/** The last turn of every hand-made run, as mini-swe-agent runs end. */
const submission = ['echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff', ''] as const;

/** The hand-made runs, each with its expected firings worked out from its turns. */
export const handMadeRuns: readonly HandMadeRun[] = [
  {
    // Turns 2–5: the same command and the same output four times → turn 5 (a window of 4).
    id: 'handmade__exact-loop',
    turns: [
      ['ls', status('setup.py\nsrc')],
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['python -m pytest -x', status('1 passed')],
    ],
    firings: ['5 repeating-action-observation'],
  },
  {
    // Three repeats only, one fewer than the threshold of four: never fires.
    id: 'handmade__three-repeats',
    turns: [
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['cat setup.py', status('from setuptools import setup\nsetup()')],
      ['python -m pytest -x', status('1 passed')],
    ],
    firings: [],
  },
  {
    // The same command four times with a different output each time: the agent learns
    // something new each turn, never stuck.
    id: 'handmade__same-command-new-output',
    turns: pages.map((page) => ['cat "$(ls src/*.py | head -1)"', status(page)] as const),
    firings: [],
  },
  {
    // A-B-A-B-A-B with the same outputs → alternation at turn 6 (a window of 6).
    id: 'handmade__alternating',
    turns: [
      ['git stash', status('Saved working directory')],
      ['git stash pop', status('Dropped refs/stash')],
      ['git stash', status('Saved working directory')],
      ['git stash pop', status('Dropped refs/stash')],
      ['git stash', status('Saved working directory')],
      ['git stash pop', status('Dropped refs/stash')],
    ],
    firings: ['6 alternating-pattern'],
  },
  {
    // Polling with a new attempt number and a new timestamp each time, otherwise the same text:
    // a near-duplicate loop at turn 4, and again at turn 5 (the last four turns still match).
    id: 'handmade__polling-loop',
    turns: [1, 2, 3, 4, 5].map(
      (attempt) =>
        [
          `curl -s "localhost:8000/status?attempt=${attempt}"`,
          status(`{"state": "waiting", "checked_at": "2026-12-04T10:0${attempt}:17Z"}`),
        ] as const,
    ),
    firings: ['4 near-duplicate-loop', '5 near-duplicate-loop'],
  },
  {
    // Paging through a file: the command differs only in its line numbers, but each page shows
    // new text. Never a loop.
    id: 'handmade__paging',
    turns: pages.map(
      (page, index) =>
        [`sed -n ${index * 40 + 1},${index * 40 + 40}p src/main.py`, status(page)] as const,
    ),
    firings: [],
  },
];

/**
 * Writes the hand-made runs as `.traj.json` files and their reports (all unresolved) into a new
 * temporary folder.
 * @returns the trajectory files and the reports folder.
 */
export function writeHandMadeRuns(): { files: string[]; reports: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'reins-hand-made-runs-'));
  const reports = path.join(root, 'reports');
  mkdirSync(reports);
  const files = handMadeRuns.map((run) => {
    const messages = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Fix the bug.' },
      ...[...run.turns, submission].flatMap(([command, output]) => [
        { role: 'assistant', content: `THOUGHT: next step.\n\n\`\`\`bash\n${command}\n\`\`\`` },
        { role: 'user', content: output },
      ]),
    ];
    const file = path.join(root, `${run.id}.traj.json`);
    writeFileSync(
      file,
      JSON.stringify({
        instance_id: run.id,
        info: { model_stats: { api_calls: run.turns.length + 1 } },
        messages,
      }),
    );
    writeFileSync(path.join(reports, `${run.id}.report.json`), JSON.stringify({ resolved: false }));
    return file;
  });
  return { files, reports };
}
