/**
 * Cluster profiles, kept in <data>/cluster-profiles.json (written atomically;
 * a broken file is reported with its name, never silently replaced), and the
 * launcher a profile describes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterProfileSchema, type ClusterProfile } from '../../shared/api/cluster';
import { writeJsonAtomic } from '../files/atomicFile';
import { KubernetesLauncher } from './kubernetesLauncher';
import type { ClusterLauncher } from './launcher';
import { SlurmLauncher } from './slurmLauncher';

export function profilesFile(dataDir: string): string {
  return path.join(dataDir, 'cluster-profiles.json');
}

export function readProfiles(dataDir: string): ClusterProfile[] {
  const file = profilesFile(dataDir);
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}); fix or remove it`);
  }
  const parsed = clusterProfileSchema.array().safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function saveProfile(dataDir: string, profile: ClusterProfile): ClusterProfile[] {
  const next = [...readProfiles(dataDir).filter((p) => p.name !== profile.name), clusterProfileSchema.parse(profile)].sort((a, b) => a.name.localeCompare(b.name));
  writeJsonAtomic(profilesFile(dataDir), next);
  return next;
}

export function deleteProfile(dataDir: string, name: string): ClusterProfile[] {
  const all = readProfiles(dataDir);
  if (!all.some((p) => p.name === name)) throw new Error(`no cluster profile named "${name}"`);
  const next = all.filter((p) => p.name !== name);
  writeJsonAtomic(profilesFile(dataDir), next);
  return next;
}

export function findProfile(dataDir: string, name: string): ClusterProfile {
  const found = readProfiles(dataDir).find((p) => p.name === name);
  if (!found) throw new Error(`no cluster profile named "${name}" (Settings > Cluster profiles, or ${profilesFile(dataDir)})`);
  return found;
}

export function launcherForProfile(profile: ClusterProfile): ClusterLauncher {
  if (profile.kind === 'kubernetes') {
    if (!profile.container || !profile.claim) throw new Error(`cluster profile "${profile.name}": Kubernetes needs a container image and a volume claim`);
    return new KubernetesLauncher({ namespace: profile.namespace, image: profile.container, claim: profile.claim, mountPath: profile.mountPath, nodes: profile.nodes, gpusPerNode: profile.gpusPerNode });
  }
  return new SlurmLauncher({
    sshHost: profile.sshHost || undefined,
    partition: profile.partition || undefined,
    nodes: profile.nodes,
    gpusPerNode: profile.gpusPerNode,
    cpusPerTask: profile.cpusPerTask || undefined,
    python: profile.python,
    modules: profile.modules,
    container: profile.container || undefined,
    timeLimit: profile.timeLimit || undefined,
    env: profile.slurmConf ? { SLURM_CONF: profile.slurmConf } : undefined,
  });
}
