import { describe, expect, it } from 'vitest';
import { classifyStatement, parleyRoutines } from './parley-routines';
import { readMigrations } from './read-migrations';
import { shippedMigrationsFolder } from './test-support/copy-migrations';

const shipped = readMigrations(shippedMigrationsFolder);

describe('the routines of the shipped migrations', () => {
  it("finds every shipped statement to be either tables (drizzle-kit's) or a routine (migrate's)", () => {
    // A statement that is neither (a data migration, an extension) would reach no host whose
    // drizzle-kit makes the tables: decide how it reaches them before shipping it.
    for (const migration of shipped) {
      for (const statement of migration.statements) {
        expect(
          classifyStatement(statement).role,
          `${migration.tag}: ${statement.slice(0, 80)}`,
        ).not.toBe('unknown');
      }
    }
    expect(classifyStatement("UPDATE parley_agent SET name = 'x'").role).toBe('unknown');
    expect(classifyStatement('CREATE EXTENSION vector').role).toBe('unknown');
  });

  it('keeps the latest version of each, re-runnable, functions before their triggers', () => {
    const { routines } = parleyRoutines(shipped);
    const functions = routines.filter((routine) => routine.kind === 'function');
    expect(functions.map((routine) => routine.name)).toEqual([
      'parley_append_events',
      'parley_bump_catalog_by_agent',
      'parley_bump_catalog_by_guideline',
      'parley_bump_catalog_by_journey',
      'parley_bump_catalog_by_workspace',
    ]);
    // 0005's append function, which writes the turn state, replaced 0001's.
    expect(functions[0]?.body).toContain('turn_state = COALESCE(pending.turn_state');
    const triggers = routines.filter((routine) => routine.kind === 'trigger');
    expect(triggers).toHaveLength(42);
    expect(triggers[0]).toMatchObject({
      name: 'parley_guideline_catalog_insert_trigger',
      table: 'parley_guideline',
      executes: 'parley_bump_catalog_by_agent',
    });
    expect(routines.findIndex((routine) => routine.kind === 'trigger')).toBe(functions.length);
    for (const routine of routines) {
      expect(routine.statement).toMatch(/^CREATE OR REPLACE (FUNCTION|TRIGGER) /);
      expect(routine.dropped).toBe(false);
    }
  });

  it('names them for another prefix, leaving no standalone name behind', () => {
    const standard = parleyRoutines(shipped);
    const renamed = parleyRoutines(shipped, 'sim_parley_');
    expect(renamed.routines.map((routine) => routine.name)).toEqual(
      standard.routines.map((routine) => `sim_${routine.name}`),
    );
    for (const routine of renamed.routines) {
      expect(routine.statement.replaceAll('sim_parley_', '')).not.toMatch(/\bparley_/);
      if (routine.table) expect(routine.table).toMatch(/^sim_parley_/);
    }
    expect(renamed.hash).not.toBe(standard.hash);
    expect(parleyRoutines(shipped).hash).toBe(standard.hash);
  });

  it('turns a later drop into DROP … IF EXISTS, and refuses prefixes SQL cannot name', () => {
    const later = [
      ...shipped,
      {
        tag: '0099_drop',
        hash: 'x',
        statements: ['DROP TRIGGER parley_term_catalog_insert_trigger ON parley_term;'],
      },
    ];
    const dropped = parleyRoutines(later).routines.find(
      (routine) => routine.name === 'parley_term_catalog_insert_trigger',
    );
    expect(dropped).toMatchObject({
      dropped: true,
      statement: 'DROP TRIGGER IF EXISTS parley_term_catalog_insert_trigger ON parley_term;',
    });
    expect(() => parleyRoutines(shipped, 'Sim-')).toThrow(/lowercase/);
    expect(() => parleyRoutines(shipped, 'a_very_long_host_prefix_')).toThrow(/too long/);
  });
});
