/**
 * The generated Kubernetes manifests against the API schema the official
 * client carries (no cluster needed), and the checks that catch what a
 * cluster would reject.
 */
import { describe, expect, it } from 'vitest';
import { kubernetesManifests, kubernetesName, type KubernetesProfile } from '../../../main/cluster/kubernetesManifest';
import { validateKubernetesObject } from '../../../main/cluster/kubernetesSchema';

const profile: KubernetesProfile = { namespace: 'lab', image: 'pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime', claim: 'umedpt-data', mountPath: '/workspace', nodes: 2, gpusPerNode: 8, memory: '200Gi' };
const request = { bundleDir: '/workspace/bundles/b1', runFolder: '/workspace/runs/run-20261201-140408-18mj', nproc: 16, resume: true };

describe('Kubernetes manifests', () => {
  it('a headless Service and an Indexed Job that validate against the API schema', () => {
    const objects = kubernetesManifests(profile, request);
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'Job']);
    for (const o of objects) expect(validateKubernetesObject(o)).toEqual([]);
    const job = objects[1] as unknown as { spec: { completions: number; completionMode: string; template: { spec: { subdomain: string; containers: Array<{ command: string[]; resources: { limits: Record<string, string> } }> } } } };
    expect(job.spec).toMatchObject({ completions: 2, completionMode: 'Indexed' });
    const container = job.spec.template.spec.containers[0]!;
    expect(container.resources.limits['nvidia.com/gpu']).toBe('8');
    expect(container.command.join(' ')).toContain('--nproc-per-node=8 --node-rank=$(JOB_COMPLETION_INDEX)');
    expect(container.command.join(' ')).toContain(`--master-addr=${kubernetesName(request.runFolder)}-0.${job.spec.template.spec.subdomain}`);
    expect(container.command.join(' ')).toContain('--resume');
  });

  it('the validator reports unknown fields, wrong types and bad names with their path', () => {
    const [service, job] = kubernetesManifests(profile, request);
    const broken = JSON.parse(JSON.stringify(job)) as { metadata: { name: string }; spec: { parallelism: unknown; template: { spec: { containers: Array<Record<string, unknown>> } } } };
    broken.spec.parallelism = '2';
    broken.spec.template.spec.containers[0]!.imagePullPolicyy = 'Always';
    broken.metadata.name = 'Not_A_Name';
    const problems = validateKubernetesObject(broken);
    expect(problems).toContain('Job.spec.parallelism: expected a number, got "2"');
    expect(problems).toContain('Job.spec.template.spec.containers[0].imagePullPolicyy: not a field of V1Container');
    expect(problems.some((p) => p.startsWith('Job.metadata.name'))).toBe(true);
    expect(validateKubernetesObject({ ...service!, apiVersion: 'v2' })[0]).toContain('not a kind');
  });

  it('refuses layouts a cluster could not run', () => {
    expect(() => kubernetesManifests(profile, { ...request, nproc: 15 })).toThrow(/split evenly/);
    expect(() => kubernetesManifests({ ...profile, gpusPerNode: 4 }, request)).toThrow(/8 ranks per node but 4 GPUs/);
    expect(() => kubernetesManifests(profile, { ...request, bundleDir: '/home/me/b1' })).toThrow(/not under the volume mount/);
  });
});
