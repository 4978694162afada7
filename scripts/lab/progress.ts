/** Progress on the terminal: a redrawn bar on a TTY, plain lines elsewhere (CI logs, pipes). */
const tty = process.stderr.isTTY;

export function bar(fraction: number, width = 24): string {
  const n = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

let lastLine = '';

/** Shows `text`: redrawn in place on a TTY; elsewhere only when `milestone` (so logs stay short). */
export function status(text: string, milestone = false) {
  if (tty) {
    process.stderr.write(`\r${text.slice(0, (process.stderr.columns || 100) - 1).padEnd(lastLine.length)}`);
    lastLine = text;
  } else if (milestone && text !== lastLine) {
    process.stderr.write(`${text}\n`);
    lastLine = text;
  }
}

export function done(text?: string) {
  if (tty && lastLine) process.stderr.write('\n');
  lastLine = '';
  if (text) process.stderr.write(`${text}\n`);
}
