import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteProfile, findProfile, profilesFile, readProfiles, saveProfile } from '../../../main/cluster/clusterProfiles';
import { clusterProfileSchema } from '../../../shared/api/cluster';

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(path.join(os.tmpdir(), 'umedpt-profiles-')));

describe('cluster profiles', () => {
  it('saves, replaces by name, finds and deletes', () => {
    fresh();
    expect(readProfiles(dir)).toEqual([]);
    saveProfile(dir, clusterProfileSchema.parse({ name: 'hpc', kind: 'slurm', sshHost: 'me@login', gpusPerNode: 4 }));
    saveProfile(dir, clusterProfileSchema.parse({ name: 'k8s', kind: 'kubernetes', container: 'torch:2', claim: 'data' }));
    const replaced = saveProfile(dir, clusterProfileSchema.parse({ name: 'hpc', kind: 'slurm', sshHost: 'me@login2', gpusPerNode: 8 }));
    expect(replaced.map((p) => [p.name, p.gpusPerNode])).toEqual([
      ['hpc', 8],
      ['k8s', 0],
    ]);
    expect(findProfile(dir, 'hpc').sshHost).toBe('me@login2');
    expect(() => findProfile(dir, 'nope')).toThrow(/no cluster profile named "nope"/);
    expect(deleteProfile(dir, 'k8s').map((p) => p.name)).toEqual(['hpc']);
    expect(() => deleteProfile(dir, 'k8s')).toThrow(/no cluster profile/);
  });

  it('names the file and the problem when the stored profiles are broken', () => {
    fresh();
    writeFileSync(profilesFile(dir), '{not json');
    expect(() => readProfiles(dir)).toThrow(new RegExp(`${profilesFile(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not JSON`));
    writeFileSync(profilesFile(dir), JSON.stringify([{ name: 'x', kind: 'lsf' }]));
    expect(() => readProfiles(dir)).toThrow(/0\.kind/);
  });
});
