/** The Python that runs cluster/run_job.py here: $LAB_PYTHON, else python3 or Debian's /usr/bin/python3 if it has torch. */
import { spawnSync } from 'node:child_process';

const REQUIRED = 'import torch, distributed, numpy';

export function torchPython(): { python: string | null; reason: string } {
  const candidates = process.env['LAB_PYTHON']
    ? [process.env['LAB_PYTHON']]
    : ['python3', '/usr/bin/python3'];
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', REQUIRED], { encoding: 'utf8' });
    if (r.status === 0) return { python, reason: '' };
    tried.push(`${python}: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`);
  }
  return {
    python: null,
    reason: `no Python here can ${REQUIRED} (apt-get install python3-torch python3-distributed python3-numpy; tried ${tried.join('; ')})`,
  };
}
