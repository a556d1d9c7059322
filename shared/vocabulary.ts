/**
 * The words every floor shares, declared once: task kinds, dataset kinds,
 * encoder architectures, engine backends and splits, each as a tuple, its
 * zod enum and its type. Everything else (run config, API, engine, renderer)
 * imports them from here.
 */
import { z } from 'zod';

/** label types a task can have; main/engine/tasks has one module per kind */
export const taskKinds = ['classification', 'segmentation', 'detection'] as const;
export type TaskKind = (typeof taskKinds)[number];
export const taskKindSchema = z.enum(taskKinds);

/** what a dataset holds: the labels of one task kind, or none */
export const datasetKinds = [...taskKinds, 'unlabelled'] as const;
export type DatasetKind = (typeof datasetKinds)[number];

export const encoderNames = ['small-cnn', 'resnet18', 'resnet50', 'convnext-t'] as const;
export type EncoderName = (typeof encoderNames)[number];
export const encoderNameSchema = z.enum(encoderNames);

/** engine backends, best first: the order auto-selection tries them in */
/** best first: the engine tries them in this order (webgpu only on a hardware adapter unless forced) */
export const backendNames = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];
export const backendNameSchema = z.enum(backendNames);
/** a backend, or 'auto' for the best one that loads */
export const backendChoices = ['auto', ...backendNames] as const;
export type BackendChoice = (typeof backendChoices)[number];

export const splitNames = ['train', 'val', 'test'] as const;
export type SplitName = (typeof splitNames)[number];
export const splitNameSchema = z.enum(splitNames);
