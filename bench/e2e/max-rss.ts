/**
 * Preloaded into every child process of the end-to-end benchmark (`node --import`): at exit it
 * appends the process's peak resident set size to the file named by SLUICE_BENCH_RSS_FILE, so the
 * benchmark can report the peak memory of `sluice serve`, `sluice curate` and `sluice export`.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.SLUICE_BENCH_RSS_FILE;
if (file) {
  process.once('exit', () => {
    appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
