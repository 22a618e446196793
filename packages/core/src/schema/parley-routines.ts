import { createHash } from 'node:crypto';
import { ParleyError } from '../errors/parley-error';
import { locateShippedMigrations, type Migration, readMigrations } from './read-migrations';
import { defaultPrefix } from './schema-prefix';

/** What a statement of a shipped migration does, as {@link classifyStatement} reads it. */
export type StatementRole =
  /** Tables, columns, indexes, constraints: what a host's drizzle-kit generates from its schema. */
  | { role: 'tables' }
  /** A function or trigger: what Parley's `migrate()` applies for a host's tables. */
  | {
      role: 'routine';
      kind: 'function' | 'trigger';
      action: 'create' | 'drop';
      name: string;
      /** The trigger's table. */
      table?: string;
    }
  /** Anything else (a data migration, an extension): neither side would apply it. */
  | { role: 'unknown' };

/** One SQL routine of Parley, in its latest version across the migrations. */
export interface ParleyRoutine {
  kind: 'function' | 'trigger';
  name: string;
  /** The trigger's table. */
  table?: string;
  /** True when a later migration dropped it: it must then be absent. */
  dropped: boolean;
  /** The function's body (between its dollar quotes), as PostgreSQL keeps it in `prosrc`. */
  body?: string;
  /** The function a trigger executes. */
  executes?: string;
  /** A statement that brings the routine to this version and can run any number of times. */
  statement: string;
}

/** Parley's routines for one prefix, with a hash of their statements for the ledger. */
export interface ParleyRoutines {
  prefix: string;
  routines: ParleyRoutine[];
  hash: string;
}

const identifier = '"?([A-Za-z_][A-Za-z0-9_]*)"?';
const createFunction = new RegExp(
  `^CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+${identifier}`,
  'i',
);
const dropFunction = new RegExp(`^DROP\\s+FUNCTION\\s+(?:IF\\s+EXISTS\\s+)?${identifier}`, 'i');
const createTrigger = new RegExp(
  `^CREATE\\s+(?:OR\\s+REPLACE\\s+)?TRIGGER\\s+${identifier}\\s[\\s\\S]*?\\sON\\s+${identifier}`,
  'i',
);
const dropTrigger = new RegExp(
  `^DROP\\s+TRIGGER\\s+(?:IF\\s+EXISTS\\s+)?${identifier}\\s+ON\\s+${identifier}`,
  'i',
);
const tableStatement =
  /^(?:CREATE|ALTER|DROP)\s+(?:TABLE|(?:UNIQUE\s+)?INDEX|SEQUENCE|TYPE|SCHEMA|VIEW|MATERIALIZED\s+VIEW|POLICY|ROLE)\b/i;
const leadingComments = /^(?:[ \t]*--[^\n]*(?:\n|$)|\s+)+/;
const dollarQuotedBody = /\sAS\s+(\$[A-Za-z_]*\$)([\s\S]*?)\1/i;
const executedFunction = new RegExp(
  `EXECUTE\\s+(?:FUNCTION|PROCEDURE)\\s+${identifier}\\s*\\(`,
  'i',
);
const prefixPattern = /^[a-z_][a-z0-9_]*$/;
const maximumIdentifierLength = 63;

/** A statement without the comment lines before it. */
function stripLeadingComments(statement: string): string {
  return statement.replace(leadingComments, '').trim();
}

/**
 * Says whether a statement of a shipped migration belongs to the tables (which a host's
 * drizzle-kit generates from its schema file) or is one of Parley's routines (which `migrate()`
 * applies for a host schema). A test runs it over every shipped statement, so a migration
 * that is neither (a data migration, say) cannot ship unnoticed.
 */
export function classifyStatement(statement: string): StatementRole {
  const text = stripLeadingComments(statement);
  let match = createFunction.exec(text);
  if (match)
    return { role: 'routine', kind: 'function', action: 'create', name: match[1] as string };
  match = dropFunction.exec(text);
  if (match) return { role: 'routine', kind: 'function', action: 'drop', name: match[1] as string };
  match = createTrigger.exec(text);
  if (match) {
    return {
      role: 'routine',
      kind: 'trigger',
      action: 'create',
      name: match[1] as string,
      table: match[2] as string,
    };
  }
  match = dropTrigger.exec(text);
  if (match) {
    return {
      role: 'routine',
      kind: 'trigger',
      action: 'drop',
      name: match[1] as string,
      table: match[2] as string,
    };
  }
  if (tableStatement.test(text)) return { role: 'tables' };
  return { role: 'unknown' };
}

/** The statement made re-runnable: CREATE OR REPLACE, DROP … IF EXISTS. */
function rerunnable(text: string, role: Extract<StatementRole, { role: 'routine' }>): string {
  const kind = role.kind === 'function' ? 'FUNCTION' : 'TRIGGER';
  if (role.action === 'create') {
    return text.replace(
      new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?${kind}`, 'i'),
      `CREATE OR REPLACE ${kind}`,
    );
  }
  return text.replace(
    new RegExp(`^DROP\\s+${kind}\\s+(?:IF\\s+EXISTS\\s+)?`, 'i'),
    `DROP ${kind} IF EXISTS `,
  );
}

/**
 * Parley's routines as the migrations leave them (each function and trigger in its latest
 * version, or dropped), named for `prefix`: derived from the shipped migrations' own
 * statements, so there is no second copy of their SQL to fall out of step. The names of
 * tables and routines (`parley_…`) become `prefix…`, as `createParleySchema({ prefix })` names
 * the tables.
 */
export function parleyRoutines(migrations: Migration[], prefix = defaultPrefix): ParleyRoutines {
  if (!prefixPattern.test(prefix)) {
    throw new ParleyError(
      'validation_failed',
      `The prefix "${prefix}" cannot name Parley's SQL routines: use lowercase letters, digits and underscores`,
    );
  }
  const rename = (text: string) =>
    prefix === defaultPrefix ? text : text.replace(/\bparley_/g, prefix);
  const latest = new Map<string, ParleyRoutine>();
  for (const migration of migrations) {
    for (const statement of migration.statements) {
      const role = classifyStatement(statement);
      if (role.role !== 'routine') continue;
      const text = rename(rerunnable(stripLeadingComments(statement), role));
      const name = rename(role.name);
      const table = role.table === undefined ? undefined : rename(role.table);
      if (name.length > maximumIdentifierLength) {
        throw new ParleyError(
          'validation_failed',
          `The prefix "${prefix}" is too long: the routine ${name} exceeds PostgreSQL's ${maximumIdentifierLength} characters`,
        );
      }
      const key = `${role.kind}:${name}:${table ?? ''}`;
      const routine: ParleyRoutine = {
        kind: role.kind,
        name,
        table,
        dropped: role.action === 'drop',
        statement: text,
      };
      if (role.action === 'create' && role.kind === 'function') {
        routine.body = dollarQuotedBody.exec(text)?.[2];
      }
      if (role.action === 'create' && role.kind === 'trigger') {
        routine.executes = executedFunction.exec(text)?.[1];
      }
      // A later version replaces the earlier one where it first appeared, so functions stay
      // ahead of the triggers that execute them.
      latest.set(key, routine);
    }
  }
  const routines = [...latest.values()];
  const hash = createHash('sha256')
    .update(routines.map((routine) => routine.statement).join('\n;\n'))
    .digest('hex');
  return { prefix, routines, hash };
}

const shipped = new Map<string, ParleyRoutines>();

/** {@link parleyRoutines} of the migrations shipped in this package, read once per prefix. */
export function shippedParleyRoutines(prefix = defaultPrefix): ParleyRoutines {
  let routines = shipped.get(prefix);
  if (routines === undefined) {
    routines = parleyRoutines(readMigrations(locateShippedMigrations()), prefix);
    shipped.set(prefix, routines);
  }
  return routines;
}
