/** Prints phases of a long run, each line stamped with the seconds since the run began. */
export interface PhaseLog {
  /** Prints a line, stamped. */
  note(message: string): void;
  /** Prints `title`, runs `work`, then prints how long it took. */
  phase<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** Seconds since the log was created. */
  elapsedSeconds(): number;
}

/** A {@link PhaseLog} writing to standard output, its clock starting now. */
export function createPhaseLog(): PhaseLog {
  const started = performance.now();
  const elapsedSeconds = () => (performance.now() - started) / 1000;
  const note = (message: string) => {
    console.log(`[${elapsedSeconds().toFixed(1).padStart(6)} s] ${message}`);
  };
  return {
    note,
    elapsedSeconds,
    async phase(title, work) {
      note(`${title} …`);
      const phaseStarted = performance.now();
      const result = await work();
      note(`${title}: done in ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
      return result;
    },
  };
}
