/**
 * Squeezer vectors of a frozen encoder, computed once per image. The linear
 * probe then trains on these numbers alone, which is what makes the frozen
 * mode fast: the encoder runs once per study, not once per epoch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { UmedptModel } from '../engine/model/umedptModel';

export interface EmbeddingMatrix {
  /** rows x width, row-major */
  values: Float32Array;
  rows: number;
  width: number;
}

export function computeEmbeddings(model: UmedptModel, images: readonly Float32Array[], batchSize = 32): EmbeddingMatrix {
  const size = model.config.inputSize;
  const width = model.config.squeezerWidth;
  const per = size * size * 3;
  const values = new Float32Array(images.length * width);
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const data = new Float32Array(chunk.length * per);
    chunk.forEach((img, i) => {
      if (img.length !== per) throw new Error(`image ${start + i} has ${img.length} values, the encoder takes ${size}x${size}x3`);
      data.set(img, i * per);
    });
    const batch = tf.tensor4d(data, [chunk.length, size, size, 3]);
    const vectors = model.embed(batch);
    values.set(vectors.dataSync(), start * width);
    tf.dispose([batch, vectors]);
  }
  return { values, rows: images.length, width };
}

/** The rows at `indices`, as a new matrix. */
export function selectRows(matrix: EmbeddingMatrix, indices: readonly number[]): EmbeddingMatrix {
  const values = new Float32Array(indices.length * matrix.width);
  indices.forEach((row, i) => values.set(matrix.values.subarray(row * matrix.width, (row + 1) * matrix.width), i * matrix.width));
  return { values, rows: indices.length, width: matrix.width };
}
