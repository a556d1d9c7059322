/**
 * Kubernetes through the official client: the manifests of
 * kubernetesManifest.ts created in the namespace of the current kubeconfig
 * context (or the profile's), status from the Job, logs of the rank-0 pod,
 * cancel = delete (pods get SIGTERM and checkpoint within their grace period).
 * The run folder is on the claim; mount it where the app reads it, or fetch.
 */
import * as k8s from '@kubernetes/client-node';
import { cpSync } from 'node:fs';
import path from 'node:path';
import type { ClusterJob, ClusterJobState, ClusterLauncher, LaunchRequest } from './launcher';
import { kubernetesManifests, kubernetesName, type KubernetesProfile } from './kubernetesManifest';
import { validateKubernetesObject } from './kubernetesSchema';

export class KubernetesLauncher implements ClusterLauncher {
  private readonly config = new k8s.KubeConfig();

  constructor(private readonly profile: KubernetesProfile) {
    this.config.loadFromDefault();
  }

  async launch(request: LaunchRequest): Promise<ClusterJob> {
    const objects = kubernetesManifests(this.profile, request);
    const problems = objects.flatMap((o) => validateKubernetesObject(o));
    if (problems.length) throw new Error(`generated manifests do not fit the Kubernetes API:\n  ${problems.join('\n  ')}`);
    const client = k8s.KubernetesObjectApi.makeApiClient(this.config);
    for (const object of objects) await client.create(object);
    return { on: 'kubernetes', id: kubernetesName(request.runFolder), runFolder: request.runFolder };
  }

  async status(job: ClusterJob): Promise<ClusterJobState> {
    const batch = this.config.makeApiClient(k8s.BatchV1Api);
    const found = await batch.readNamespacedJobStatus({ name: job.id, namespace: this.profile.namespace });
    const s = found.status;
    if (s?.succeeded && s.succeeded >= this.profile.nodes) return 'completed';
    if (s?.failed) return 'failed';
    if (s?.active) return 'running';
    return 'pending';
  }

  async logs(job: ClusterJob): Promise<string> {
    const core = this.config.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: this.profile.namespace, labelSelector: `job-name=${job.id},batch.kubernetes.io/job-completion-index=0` });
    const pod = pods.items[0]?.metadata?.name;
    return pod ? core.readNamespacedPodLog({ name: pod, namespace: this.profile.namespace }) : '';
  }

  async cancel(job: ClusterJob): Promise<void> {
    const batch = this.config.makeApiClient(k8s.BatchV1Api);
    await batch.deleteNamespacedJob({ name: job.id, namespace: this.profile.namespace, propagationPolicy: 'Foreground' });
    const core = this.config.makeApiClient(k8s.CoreV1Api);
    await core.deleteNamespacedService({ name: job.id, namespace: this.profile.namespace });
  }

  fetchResults(job: ClusterJob, into: string): Promise<void> {
    // the claim mounted on this machine at the same path is the shared filesystem
    if (path.resolve(into) !== path.resolve(job.runFolder)) cpSync(job.runFolder, into, { recursive: true });
    return Promise.resolve();
  }
}
