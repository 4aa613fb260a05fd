// Prints the vitest run's totals as one plain line ("N passed, N failed, N skipped"), read from
// the JSON report that vitest.config.ts writes when CI is set.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(new URL('../.tmp/vitest-report.json', import.meta.url), 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
// Which files skipped tests, before the count line (which stays last); the reason (a service not
// found) is printed by the run itself (scripts/test-services.ts).
for (const file of report.testResults) {
  const count = file.assertionResults.filter(
    (test) => test.status !== 'passed' && test.status !== 'failed',
  ).length;
  if (count > 0) console.log(`  skipped in ${relative(process.cwd(), file.name)}: ${count}`);
}
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (report.numTotalTests === 0) {
  console.error('No test ran.');
  process.exit(1);
}
