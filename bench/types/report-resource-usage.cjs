// Preloaded into the tsc child by run-tsc.ts (`node --require`): as the process exits, it
// writes its own resource usage (peak resident set, CPU time) to the file the bench named,
// which the parent cannot read from outside once the child is gone.
const { writeFileSync } = require('node:fs');

const usageFile = process.env.PARLEY_BENCH_USAGE_FILE;
if (usageFile) {
  process.on('exit', () => {
    writeFileSync(usageFile, JSON.stringify(process.resourceUsage()));
  });
}
