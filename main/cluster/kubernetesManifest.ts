/**
 * Kubernetes manifests for a bundle (no operator needed): a headless Service
 * that gives rank 0 a DNS name, and an Indexed Job with one pod per node;
 * each pod runs torchrun with --node-rank from JOB_COMPLETION_INDEX and one
 * process per GPU. Bundle and run folder live on a shared volume (PVC).
 */
import type { LaunchRequest } from './launcher';

export interface KubernetesProfile {
  namespace: string;
  /** an image with Python >= 3.10, PyTorch (torchrun) and numpy */
  image: string;
  /** PersistentVolumeClaim holding the bundle and the run folder */
  claim: string;
  /** where the claim is mounted in the pod; bundleDir and runFolder are paths under it */
  mountPath: string;
  nodes: number;
  /** 0: CPU pods */
  gpusPerNode: number;
  cpusPerNode?: number;
  memory?: string;
  serviceAccount?: string;
}

export type KubernetesObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string> } };

const masterPort = 29500;

export function kubernetesName(runFolder: string): string {
  const base = runFolder.split('/').filter(Boolean).pop() ?? 'run';
  return `umedpt-${base}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 52).replace(/-+$/, '');
}

export function kubernetesManifests(profile: KubernetesProfile, request: LaunchRequest): KubernetesObject[] {
  if (request.nproc % profile.nodes !== 0) throw new Error(`--nproc ${request.nproc} does not split evenly over ${profile.nodes} node(s)`);
  const perNode = request.nproc / profile.nodes;
  if (profile.gpusPerNode > 0 && perNode > profile.gpusPerNode) throw new Error(`${perNode} ranks per node but ${profile.gpusPerNode} GPUs per node`);
  for (const p of [request.bundleDir, request.runFolder]) {
    if (!p.startsWith(profile.mountPath)) throw new Error(`${p} is not under the volume mount ${profile.mountPath}: the pods see only the claim ${profile.claim}`);
  }
  const name = kubernetesName(request.runFolder);
  const labels = { app: 'umedpt-trainer', 'umedpt/run': name };
  const trainer = ['-m', 'umedpt_trainer', 'train', '--bundle', request.bundleDir, '--run-folder', request.runFolder];
  if (request.resume) trainer.push('--resume');
  if (request.threads) trainer.push('--threads', String(request.threads));
  if (request.steps) trainer.push('--steps', String(request.steps));
  const limits: Record<string, string> = {};
  if (profile.gpusPerNode > 0) limits['nvidia.com/gpu'] = String(profile.gpusPerNode);
  if (profile.cpusPerNode) limits.cpu = String(profile.cpusPerNode);
  if (profile.memory) limits.memory = profile.memory;
  const command = [
    'torchrun',
    `--nnodes=${profile.nodes}`,
    `--nproc-per-node=${perNode}`,
    '--node-rank=$(JOB_COMPLETION_INDEX)',
    `--master-addr=${name}-0.${name}`,
    `--master-port=${masterPort}`,
    ...trainer,
  ];
  const service: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: profile.namespace, labels },
    spec: { clusterIP: 'None', selector: { 'job-name': name }, ports: [{ name: 'rendezvous', port: masterPort, targetPort: masterPort }] },
  };
  const job: KubernetesObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: profile.namespace, labels },
    spec: {
      completionMode: 'Indexed',
      completions: profile.nodes,
      parallelism: profile.nodes,
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: {
          subdomain: name,
          restartPolicy: 'Never',
          // the trainer checkpoints on SIGTERM: give it time to write
          terminationGracePeriodSeconds: 120,
          ...(profile.serviceAccount ? { serviceAccountName: profile.serviceAccount } : {}),
          containers: [
            {
              name: 'trainer',
              image: profile.image,
              command: ['sh', '-c', `exec ${command.join(' ')}`],
              workingDir: request.bundleDir,
              env: [
                { name: 'PYTHONPATH', value: `${request.bundleDir}/trainer` },
                { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
              ],
              ports: [{ containerPort: masterPort, name: 'rendezvous' }],
              resources: Object.keys(limits).length ? { limits } : {},
              volumeMounts: [
                { name: 'workspace', mountPath: profile.mountPath },
                { name: 'shm', mountPath: '/dev/shm' },
              ],
            },
          ],
          volumes: [
            { name: 'workspace', persistentVolumeClaim: { claimName: profile.claim } },
            // NCCL and the data loader need more shared memory than the 64 MiB default
            { name: 'shm', emptyDir: { medium: 'Memory' } },
          ],
        },
      },
    },
  };
  return [service, job];
}
