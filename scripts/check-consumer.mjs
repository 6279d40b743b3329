#!/usr/bin/env node
/**
 * Reins as a user installs it. Builds and packs every package, lints each tarball (publint,
 * @arethetypeswrong/cli), then creates a project in a temporary folder outside the repository,
 * installs the tarballs with npm (and LangChain, zod, tsx and TypeScript from the registry) and
 * runs there: every entry point under plain `node`, the coding tools with their sandbox, a
 * TypeScript quickstart with `tsx`, a LangChain `createAgent` agent with the Reins middleware,
 * a run traced with OpenTelemetry, `npx reins --help`, and `tsc --noEmit` with the tsconfig
 * `tsc --init` writes.
 *
 *   node scripts/check-consumer.mjs [--keep]    --keep leaves the temporary folder in place
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packPackages } from './pack-packages.mjs';
import { root } from './pnpm-command.mjs';

const keep = process.argv.includes('--keep');
const fixtures = join(root, 'scripts', 'consumer');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs a command, printing it first; exits with its status when it fails. */
function step(label, command, args, cwd, check = () => undefined) {
  console.log(`\n▶ ${label}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const problem = result.status === 0 ? check(output) : `exit code ${result.status}`;
  if (problem !== undefined) {
    process.stdout.write(output);
    console.error(`✗ ${label} failed: ${problem}${keep ? ` (project kept in ${cwd})` : ''}`);
    process.exit(1);
  }
  const lines = output.trimEnd().split('\n');
  console.log(lines.slice(-3).join('\n'));
}

const workspace = mkdtempSync(join(tmpdir(), 'reins-consumer-'));
const project = join(workspace, 'project');
mkdirSync(project, { recursive: true });

console.log('\n▶ build and pack every package');
const packed = packPackages(join(workspace, 'tarballs'));
console.log(packed.map((tarball) => basename(tarball)).join(' '));
for (const tarball of packed) {
  step('publint', bin('publint'), ['--strict', tarball], root, (output) =>
    output.includes('All good!') ? undefined : 'publint reported problems',
  );
  step('attw', bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table'], root);
}

const langchain = JSON.parse(
  readFileSync(join(root, 'packages', 'langchain', 'package.json'), 'utf8'),
);
const otel = JSON.parse(readFileSync(join(root, 'packages', 'otel', 'package.json'), 'utf8'));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pinned = (manifest, name) => `${name}@${manifest.devDependencies[name]}`;
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'reins-consumer', private: true, type: 'module' }, null, 2)}\n`,
);
for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(project, file));
step(
  'npm install',
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    ...packed,
    pinned(langchain, 'langchain'),
    pinned(langchain, '@langchain/core'),
    pinned(langchain, '@langchain/langgraph'),
    `zod@${langchain.dependencies.zod}`,
    pinned(rootManifest, 'tsx'),
    pinned(rootManifest, 'typescript'),
  ],
  project,
);
// @opentelemetry/api is an optional peer of @reins/otel: every entry point loads without it.
step('every entry point under node', 'node', ['every-package.mjs'], project);
step('coding tools from the tarball', 'node', ['coding-tools.mjs'], project);
step(
  'npm install the OpenTelemetry SDK',
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    pinned(otel, '@opentelemetry/api'),
    pinned(otel, '@opentelemetry/sdk-trace-base'),
  ],
  project,
);
step('OpenTelemetry traces of a run', 'npx', ['tsx', 'otel-trace.ts'], project);
step('TypeScript quickstart with tsx', 'npx', ['tsx', 'quickstart.ts'], project);
step('LangChain createAgent with reinsMiddleware', 'npx', ['tsx', 'langchain-agent.ts'], project);
step('the reins bin', 'npx', ['reins', '--help'], project, (output) =>
  output.includes('Usage: reins') ? undefined : 'no usage text',
);
step('tsc --init', 'npx', ['tsc', '--init'], project);
step('tsc --noEmit with the stock tsconfig', 'npx', ['tsc', '--noEmit'], project);
if (!keep) rmSync(workspace, { recursive: true, force: true });
console.log(`\n✓ Reins installs and runs from its packed tarballs${keep ? ` (${project})` : ''}`);
