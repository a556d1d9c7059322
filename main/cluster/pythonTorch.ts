/**
 * Finds a Python that can run the trainer (Python >= 3.10 with torch and
 * numpy): UMEDPT_PYTHON, then the usual names. Says which one and why others
 * were passed over, since a machine often has several Pythons and only one
 * of them has PyTorch (here /usr/bin/python3 has Debian's, the one first on
 * PATH has none).
 */
import { spawnSync } from 'node:child_process';

export interface PythonTorch {
  python: string;
  pythonVersion: string;
  torchVersion: string;
  cuda: boolean;
  /** why the earlier candidates were not taken */
  skipped: string[];
}

const probe = 'import sys, torch, numpy; print(sys.version.split()[0], torch.__version__, int(torch.cuda.is_available()))';

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = [env.UMEDPT_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter((p): p is string => !!p);
  return [...new Set(list)];
}

export function findPythonTorch(env: NodeJS.ProcessEnv = process.env): PythonTorch {
  const skipped: string[] = [];
  for (const python of pythonCandidates(env)) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8', timeout: 60000 });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
      skipped.push(`${python}: ${why}`);
      continue;
    }
    const [pythonVersion = '', torchVersion = '', cuda = '0'] = r.stdout.trim().split(/\s+/);
    const [major = 0, minor = 0] = pythonVersion.split('.').map(Number);
    if (major < 3 || (major === 3 && minor < 10)) {
      skipped.push(`${python}: Python ${pythonVersion} is older than 3.10`);
      continue;
    }
    return { python, pythonVersion, torchVersion, cuda: cuda === '1', skipped };
  }
  throw new Error(`no Python with PyTorch found (set UMEDPT_PYTHON to one; on Debian: apt-get install python3-torch). Tried: ${skipped.join('; ')}`);
}
