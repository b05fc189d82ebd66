// Preloaded with `node -r` into a measured process: writes its peak resident memory (KiB) to BENCH_RSS_FILE on exit.
// Linux's VmHWM is used rather than getrusage, whose maxrss a child inherits from the parent it was forked from.
import * as fs from 'fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    let kib = process.resourceUsage().maxRSS;
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (hwm) kib = Number(hwm[1]);
    } catch {
      // Not Linux: getrusage's figure is the best there is.
    }
    fs.writeFileSync(file, String(kib));
  });
}
