#!/usr/bin/env node
/**
 * @module parley-schema — the command that writes a host's Parley schema file (every table a
 * top-level export, for drizzle-kit); see `runParleySchemaCommand` and docs/store.md.
 */
import { runParleySchemaCommand } from './run-parley-schema-command';

process.exitCode = await runParleySchemaCommand(process.argv.slice(2));
