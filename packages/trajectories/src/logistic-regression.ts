import { InvalidOptionsError } from '@reins/core';

/** A trained logistic regression over standardized features. */
export interface LogisticModel {
  /** One weight per feature, on standardized values. */
  readonly weights: readonly number[];
  readonly bias: number;
  /** Feature means used to standardize. */
  readonly means: readonly number[];
  /** Feature standard deviations used to standardize (1 for constant features). */
  readonly scales: readonly number[];
}

/** Options of {@link trainLogisticRegression}. */
export interface TrainLogisticRegressionOptions {
  /**
   * L2 penalty on the weights (not the bias), on standardized features.
   * @defaultValue 1
   */
  readonly l2?: number;
  /**
   * Newton steps at most.
   * @defaultValue 30
   */
  readonly iterations?: number;
  /** A weight per example. @defaultValue 1 each */
  readonly sampleWeights?: readonly number[];
}

/**
 * Fits a logistic regression by Newton's method (iteratively reweighted least squares) with an
 * L2 penalty, after standardizing each feature. Small and exact: the features of a few hundred
 * recorded runs fit in milliseconds.
 *
 * @param features - one row per example.
 * @param labels - 1 or 0 per example.
 * @param options - penalty, iterations, example weights.
 * @returns the model.
 * @throws {InvalidOptionsError} when rows and labels disagree or rows differ in length.
 * @example
 * ```ts
 * const model = trainLogisticRegression([[0], [1], [2], [3]], [0, 0, 1, 1]);
 * predictProbability(model, [3]); // > 0.5
 * ```
 */
export function trainLogisticRegression(
  features: readonly (readonly number[])[],
  labels: readonly number[],
  options: TrainLogisticRegressionOptions = {},
): LogisticModel {
  if (features.length !== labels.length || features.length === 0) {
    throw new InvalidOptionsError(
      'labels',
      `trainLogisticRegression needs one label per row: got ${features.length} rows and ${labels.length} labels. Pass equal, non-empty arrays.`,
    );
  }
  const dimension = (features[0] as readonly number[]).length;
  const l2 = options.l2 ?? 1;
  const iterations = options.iterations ?? 30;
  const sampleWeights = options.sampleWeights;
  const count = features.length;
  const means = new Array<number>(dimension).fill(0);
  const scales = new Array<number>(dimension).fill(0);
  for (const row of features) {
    if (row.length !== dimension) {
      throw new InvalidOptionsError(
        'features',
        `Every row needs ${dimension} features; one has ${row.length}. Build rows with the same extractor.`,
      );
    }
    for (let j = 0; j < dimension; j += 1)
      means[j] = (means[j] as number) + (row[j] as number) / count;
  }
  for (const row of features)
    for (let j = 0; j < dimension; j += 1)
      scales[j] = (scales[j] as number) + ((row[j] as number) - (means[j] as number)) ** 2 / count;
  for (let j = 0; j < dimension; j += 1) {
    const deviation = Math.sqrt(scales[j] as number);
    scales[j] = deviation > 1e-12 ? deviation : 1;
  }
  const size = dimension + 1;
  // Standardized rows in one flat array (the bias column last): the Newton steps below read it
  // many times, and a flat typed array is several times faster to scan than arrays of arrays.
  const x = new Float64Array(count * size);
  features.forEach((row, i) => {
    const offset = i * size;
    for (let j = 0; j < dimension; j += 1)
      x[offset + j] = ((row[j] as number) - (means[j] as number)) / (scales[j] as number);
    x[offset + dimension] = 1;
  });
  const weightOf = new Float64Array(count).fill(1);
  if (sampleWeights !== undefined)
    for (let i = 0; i < count; i += 1) weightOf[i] = sampleWeights[i] ?? 1;
  const beta = new Float64Array(size);
  const gradient = new Float64Array(size);
  const packed = new Float64Array(size * size);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    gradient.fill(0);
    packed.fill(0);
    for (let i = 0; i < count; i += 1) {
      const offset = i * size;
      let z = 0;
      for (let j = 0; j < size; j += 1) z += (x[offset + j] as number) * (beta[j] as number);
      const p = 1 / (1 + Math.exp(-z));
      const weight = weightOf[i] as number;
      const residual = (p - (labels[i] as number)) * weight;
      const curvature = Math.max(p * (1 - p), 1e-9) * weight;
      for (let j = 0; j < size; j += 1) {
        const value = x[offset + j] as number;
        gradient[j] = (gradient[j] as number) + residual * value;
        const scaled = curvature * value;
        const rowStart = j * size;
        for (let k = 0; k <= j; k += 1)
          packed[rowStart + k] =
            (packed[rowStart + k] as number) + scaled * (x[offset + k] as number);
      }
    }
    const hessian = Array.from({ length: size }, (_, j) => packed.slice(j * size, (j + 1) * size));
    for (let j = 0; j < size; j += 1) {
      const hessianRow = hessian[j] as Float64Array;
      for (let k = 0; k < j; k += 1) (hessian[k] as Float64Array)[j] = hessianRow[k] as number;
      if (j < dimension) {
        gradient[j] = (gradient[j] as number) + l2 * (beta[j] as number);
        hessianRow[j] = (hessianRow[j] as number) + l2;
      } else {
        hessianRow[j] = (hessianRow[j] as number) + 1e-9;
      }
    }
    const step = solve(hessian, gradient);
    let change = 0;
    for (let j = 0; j < size; j += 1) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      change = Math.max(change, Math.abs(step[j] as number));
    }
    if (change < 1e-8) break;
  }
  return {
    weights: Array.from(beta.subarray(0, dimension)),
    bias: beta[dimension] as number,
    means,
    scales,
  };
}

/**
 * The model's probability for one feature vector.
 * @example
 * ```ts
 * const pFail = predictProbability(model, features);
 * ```
 */
export function predictProbability(model: LogisticModel, features: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j += 1) {
    z +=
      (model.weights[j] as number) *
      (((features[j] as number) - (model.means[j] as number)) / (model.scales[j] as number));
  }
  return 1 / (1 + Math.exp(-z));
}

/** Solves `a · x = b` by Gaussian elimination with partial pivoting (a small dense system). */
function solve(a: readonly Float64Array[], b: Float64Array): Float64Array {
  const size = b.length;
  const m: Float64Array<ArrayBufferLike>[] = a.map((row) => Float64Array.from(row));
  const v = Float64Array.from(b);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1)
      if (
        Math.abs((m[row] as Float64Array)[column] as number) >
        Math.abs((m[pivot] as Float64Array)[column] as number)
      )
        pivot = row;
    if (pivot !== column) {
      [m[column], m[pivot]] = [m[pivot] as Float64Array, m[column] as Float64Array];
      [v[column], v[pivot]] = [v[pivot] as number, v[column] as number];
    }
    const pivotRow = m[column] as Float64Array;
    const diagonal = pivotRow[column] as number;
    if (Math.abs(diagonal) < 1e-15) continue;
    for (let row = column + 1; row < size; row += 1) {
      const current = m[row] as Float64Array;
      const factor = (current[column] as number) / diagonal;
      if (factor === 0) continue;
      for (let k = column; k < size; k += 1)
        current[k] = (current[k] as number) - factor * (pivotRow[k] as number);
      v[row] = (v[row] as number) - factor * (v[column] as number);
    }
  }
  const x = new Float64Array(size);
  for (let row = size - 1; row >= 0; row -= 1) {
    const current = m[row] as Float64Array;
    let sum = v[row] as number;
    for (let k = row + 1; k < size; k += 1) sum -= (current[k] as number) * (x[k] as number);
    const diagonal = current[row] as number;
    x[row] = Math.abs(diagonal) < 1e-15 ? 0 : sum / diagonal;
  }
  return x;
}
