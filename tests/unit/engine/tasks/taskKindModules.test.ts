/**
 * Each task kind's module, reached through the registry: its head on the
 * shared network, its batch targets, loss, predictions, metrics and class
 * selection, on a tiny real model (small CNN, 32 px, cpu backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../../main/engine/backend/initEngine';
import { generateSyntheticTasks } from '../../../../main/engine/data/synthetic';
import type { TaskData, TaskSample } from '../../../../main/engine/data/taskSample';
import { createUmedptModel, type UmedptModel } from '../../../../main/engine/model/umedptModel';
import { matchBoxes } from '../../../../main/engine/tasks/detection';
import { taskKindModule, taskKindModules } from '../../../../main/engine/tasks/taskKindRegistry';
import { evaluateTask, predictTask } from '../../../../main/engine/train/prediction';
import { assembleBatch } from '../../../../main/engine/train/taskBatch';
import { taskLoss } from '../../../../main/engine/train/taskLoss';
import { taskKinds, type TaskKind } from '../../../../shared/vocabulary';

let tasks: TaskData[];
const models: UmedptModel[] = [];

beforeAll(async () => {
  await initEngine({ forced: 'cpu' });
  tasks = generateSyntheticTasks({ size: 32, counts: { train: 4, val: 4, test: 0 }, seed: 5 });
});

afterAll(() => {
  for (const m of models) m.dispose();
});

function taskOf(kind: TaskKind): TaskData {
  const task = tasks.find((t) => t.kind === kind);
  if (!task) throw new Error(`no synthetic ${kind} task`);
  return task;
}

function modelFor(task: TaskData): UmedptModel {
  const model = createUmedptModel({ encoder: 'small-cnn', inputSize: 32, squeezerWidth: 16, detectionWidth: 16, seed: 2, tasks: [{ name: task.name, kind: task.kind, numClasses: task.classNames.length }] });
  models.push(model);
  return model;
}

describe.each(taskKinds)('the %s module', (kind) => {
  it('builds only the shared branch its head needs, and trains the encoder and that branch', () => {
    const task = taskOf(kind);
    const model = modelFor(task);
    const module = taskKindModule(kind);
    expect(model.pixelDecoder !== null).toBe(module.sharedBranch === 'pixelDecoder');
    expect(model.detectionDecoder !== null).toBe(module.sharedBranch === 'detectionDecoder');
    const trained = new Set(model.sharedVariablesFor(kind).map((v) => v.name));
    const encoder = model.encoder.model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    const squeezer = model.squeezer.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    expect(encoder.every((n) => trained.has(n))).toBe(true);
    expect(squeezer.every((n) => trained.has(n))).toBe(module.sharedBranch === 'squeezer');
    expect(trained.size).toBe(model.sharedVariables().length - (module.sharedBranch === 'squeezer' ? 0 : squeezer.length));
  });

  it('assembles its targets into a batch and gives a finite positive loss with a gradient for every head weight', () => {
    const task = taskOf(kind);
    const model = modelFor(task);
    const batch = assembleBatch(task.name, kind, task.train.slice(0, 2));
    expect(batch.labels !== undefined).toBe(kind === 'classification');
    expect(batch.masks !== undefined).toBe(kind === 'segmentation');
    expect(batch.boxes !== undefined).toBe(kind === 'detection');
    const head = model.headVariables(task.name);
    const { value, grads } = tf.variableGrads(() => taskLoss(model, batch, { training: true, dropoutSeed: 3 }), head);
    const loss = value.dataSync()[0]!;
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(0);
    expect(Object.keys(grads).sort()).toEqual(head.map((v) => v.name).sort());
    tf.dispose([value, ...Object.values(grads)]);
  });

  it('names the task and the sample whose targets are missing', () => {
    const task = taskOf(kind);
    const bare: TaskSample = { size: 32, image: task.train[0]!.image };
    expect(() => assembleBatch(task.name, kind, [task.train[0]!, bare])).toThrow(new RegExp(`task '${task.name}': sample 1 has no`));
  });

  it('predicts one result per image, scores it with its primary metric and views it against the truth', () => {
    const task = taskOf(kind);
    const model = modelFor(task);
    const module = taskKindModule(kind);
    const before = tf.memory().numTensors;
    const prediction = predictTask(model, task.name, task.val.map((s) => s.image), { batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(prediction.kind).toBe(kind);
    const perImage = prediction.kind === 'classification' ? prediction.probabilities : prediction.kind === 'segmentation' ? prediction.masks : prediction.boxes;
    expect(perImage.length).toBe(task.val.length);
    const metrics = evaluateTask(model, task.name, task.val, { batchSize: 3 });
    expect(metrics.primaryName).toBe(module.primaryMetricName(false));
    expect(metrics.primary).toBeGreaterThanOrEqual(0);
    expect(metrics.primary).toBeLessThanOrEqual(1);
    const view = module.viewPrediction(prediction, 0, task.val[0]!, task.classNames.length, false, null);
    expect(view.score).toBeGreaterThanOrEqual(0);
    expect(view.score).toBeLessThanOrEqual(1);
    expect(view[kind]).toBeDefined();
    expect(Object.keys(view).filter((k) => (taskKinds as readonly string[]).includes(k))).toEqual([kind]);
  });
});

describe('classification module', () => {
  const module = taskKindModules.classification;
  const image = new Float32Array(32 * 32 * 3);

  it('scores perfect and wrong predictions by accuracy, and its confusion matrix is truth x predicted', () => {
    const samples: TaskSample[] = [0, 1, 2, 1].map((label) => ({ size: 32, image, label }));
    const perfect = { kind: 'classification' as const, probabilities: [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0, 0.2, 0.8], [0.2, 0.7, 0.1]] };
    const spec = { name: 'c', kind: 'classification' as const, numClasses: 3 };
    expect(module.metrics(perfect, samples, spec).primary).toBe(1);
    const wrong = { kind: 'classification' as const, probabilities: perfect.probabilities.map(([a, b, c]) => [c!, a!, b!]) };
    expect(module.metrics(wrong, samples, spec).primary).toBe(0);
    expect(module.confusionMatrix(wrong, samples, 3, false)).toEqual([[0, 1, 0], [0, 0, 2], [1, 0, 0]]);
    expect(module.confusionMatrix(wrong, samples, 3, true)).toBeNull();
  });

  it('drops a sample left without a selected class, and is judged by label accuracy when multi-label', () => {
    expect(module.dropsSamplesWithoutClass).toBe(true);
    expect(module.remapSample({ size: 32, image, label: 1 }, [0, null, 1], 2, false)).toBeNull();
    expect(module.remapSample({ size: 32, image, label: [0, 1, 2] }, [0, null, 1], 2, true)?.label).toEqual([1, 1]);
    expect(module.primaryMetricName(true)).toBe('labelAccuracy');
    expect(() => module.studyTargets({ labels: [0, 1], boxes: [] }, 'data.csv: image 4')).toThrow(/data.csv: image 4 has 2 class labels/);
  });
});

describe('segmentation module', () => {
  const module = taskKindModules.segmentation;

  it('needs a background and one class, keeps class 0 as background, and scores a perfect mask with Dice 1', () => {
    expect(() => module.checkSpec({ name: 'one', kind: 'segmentation', numClasses: 1 })).toThrow(/segmentation needs at least 2 classes/);
    const mask = Uint8Array.from([0, 1, 2, 2]);
    expect(Array.from(module.remapSample({ size: 2, image: new Float32Array(12), mask }, [0, null, 1], 2, false)!.mask!)).toEqual([0, 0, 1, 1]);
    const samples = [{ size: 2, image: new Float32Array(12), mask }];
    const spec = { name: 's', kind: 'segmentation' as const, numClasses: 3 };
    expect(module.metrics({ kind: 'segmentation', masks: [mask] }, samples, spec).primary).toBe(1);
    expect(module.metrics({ kind: 'segmentation', masks: [Uint8Array.from([1, 2, 0, 0])] }, samples, spec).primary).toBe(0);
    expect(() => module.studyTargets({ labels: [], boxes: [] }, 'masks/7.png')).toThrow(/masks\/7.png has no mask/);
  });
});

describe('detection module', () => {
  const module = taskKindModules.detection;
  const truth = [
    { x: 2, y: 2, w: 8, h: 8, classId: 0 },
    { x: 16, y: 16, w: 10, h: 6, classId: 1 },
  ];

  it('scores boxes on the truth with mAP@0.5 = 1 and misplaced ones with 0', () => {
    const samples = [{ size: 32, image: new Float32Array(32 * 32 * 3), boxes: truth }];
    const spec = { name: 'd', kind: 'detection' as const, numClasses: 2 };
    expect(module.metrics({ kind: 'detection', boxes: [truth.map((b) => ({ ...b, score: 0.9 }))] }, samples, spec).primary).toBeCloseTo(1, 12);
    expect(module.metrics({ kind: 'detection', boxes: [truth.map((b) => ({ ...b, x: b.x + 12, score: 0.9 }))] }, samples, spec).primary).toBe(0);
  });

  it('matches a predicted box to at most one truth box of its class, and drops boxes of a dropped class', () => {
    const m = matchBoxes([{ ...truth[0]!, score: 0.9 }, { ...truth[0]!, score: 0.8 }, { ...truth[1]!, classId: 0, score: 0.7 }], truth);
    expect(m.matches).toEqual([{ predicted: 0, truth: 0, iou: 1 }]);
    expect(m.precision).toBeCloseTo(1 / 3);
    expect(m.recall).toBe(0.5);
    expect(module.remapSample({ size: 32, image: new Float32Array(0), boxes: truth }, [null, 0], 1, false)?.boxes).toEqual([{ ...truth[1]!, classId: 0 }]);
  });
});
