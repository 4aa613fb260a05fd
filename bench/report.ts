/**
 * `pnpm --filter @mlh/bench report`: renders bench/README.md's results section again from the
 * existing bench/results.json, without measuring anything (after a change to the renderer, or to
 * check that the README holds what the last run wrote).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { type BenchResults, renderResultsMarkdown, replaceResults } from './lib/results';

const resultsUrl = new URL('./results.json', import.meta.url);
const readmeUrl = new URL('./README.md', import.meta.url);
const results = JSON.parse(await readFile(resultsUrl, 'utf8')) as BenchResults;
const readme = await readFile(readmeUrl, 'utf8');
const updated = replaceResults(readme, renderResultsMarkdown(results));
if (updated === readme) {
  console.log('bench/README.md already holds the results of bench/results.json');
} else {
  await writeFile(readmeUrl, updated);
  console.log(
    `bench/README.md: results section rendered from bench/results.json (${results.mode} run of ${results.startedAt})`,
  );
}
