#!/usr/bin/env node
/**
 * @module parley-evaluate — the command that runs evaluation suites against a real engine,
 * prints the failed turns and the totals, and writes JUnit XML; see `runEvaluateCommand` and
 * the "Evaluation kit" section of docs/engine.md.
 */
import { runEvaluateCommand } from './run-evaluate-command';

process.exitCode = await runEvaluateCommand(process.argv.slice(2));
