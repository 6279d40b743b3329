#!/usr/bin/env node
/**
 * @module @reins/cli/bin
 *
 * The `reins` executable: `reins import | calibrate | evaluate | report | simulate`. See `reins --help`.
 */
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2));
