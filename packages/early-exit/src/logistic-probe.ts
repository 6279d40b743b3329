import { InvalidOptionsError } from '@reins/core';

/** A trained logistic probe: p = σ(w · (x − mean) / scale + b). */
export interface LogisticProbe {
  /** One weight per (standardised) feature. */
  readonly weights: readonly number[];
  /** The intercept. */
  readonly bias: number;
  /** Per-feature mean subtracted before weighting. */
  readonly mean: readonly number[];
  /** Per-feature scale divided by before weighting. */
  readonly scale: readonly number[];
  /**
   * The probability that the positive label holds for these features.
   * @param features - one value per weight, in the training order.
   */
  predict(features: ArrayLike<number>): number;
}

/** The fields of a probe, as saved to JSON: {@link createLogisticProbe} reads them back. */
export interface LogisticProbeFields {
  readonly weights: readonly number[];
  readonly bias: number;
  /** @defaultValue all zeros */
  readonly mean?: readonly number[];
  /** @defaultValue all ones */
  readonly scale?: readonly number[];
}

/** One labelled training sample. */
export interface ProbeSample {
  readonly features: readonly number[];
  readonly label: boolean;
}

/** Options of {@link trainLogisticProbe}. */
export interface TrainLogisticProbeOptions {
  /** Full-batch gradient steps. @defaultValue 400 */
  readonly epochs?: number;
  /** Step size. @defaultValue 0.5 */
  readonly learningRate?: number;
  /** L2 penalty on the weights (not the bias). @defaultValue 0.001 */
  readonly l2?: number;
}

/** Defaults of {@link TrainLogisticProbeOptions}. */
export const defaultTrainLogisticProbeOptions = Object.freeze({
  epochs: 400,
  learningRate: 0.5,
  l2: 0.001,
}) satisfies Required<TrainLogisticProbeOptions>;

/**
 * The logistic function, computed without overflow for large |z|.
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Creates a probe from saved fields (e.g. a JSON file written after training).
 *
 * @param fields - weights, bias and optional standardisation.
 * @returns the probe.
 * @example
 * ```ts
 * const probe = createLogisticProbe({ weights: [2], bias: -1 });
 * probe.predict([0.5]); // 0.5
 * ```
 */
export function createLogisticProbe(fields: LogisticProbeFields): LogisticProbe {
  const size = fields.weights.length;
  const mean = fields.mean ?? new Array<number>(size).fill(0);
  const scale = fields.scale ?? new Array<number>(size).fill(1);
  if (mean.length !== size || scale.length !== size)
    throw new InvalidOptionsError(
      'mean',
      `A probe with ${size} weights needs ${size} means and scales; received ${mean.length} and ${scale.length}. Save and load all three arrays together.`,
    );
  const weights = Float64Array.from(fields.weights);
  const means = Float64Array.from(mean);
  const inverseScales = Float64Array.from(scale, (value) => (value > 0 ? 1 / value : 1));
  const bias = fields.bias;
  return Object.freeze({
    weights: [...fields.weights],
    bias,
    mean: [...mean],
    scale: [...scale],
    predict(features: ArrayLike<number>): number {
      let z = bias;
      for (let index = 0; index < size; index++) {
        const value = features[index] ?? 0;
        z +=
          (weights[index] as number) *
          ((value - (means[index] as number)) * (inverseScales[index] as number));
      }
      return sigmoid(z);
    },
  });
}

/**
 * Trains a logistic probe by full-batch gradient descent on standardised features
 * (deterministic: same samples, same probe). Used for the confidence exit: features at a cue,
 * label = "answering now would be correct".
 *
 * @param samples - labelled feature vectors, all the same length.
 * @param options - epochs, learning rate, L2 penalty.
 * @returns the trained probe.
 * @example
 * ```ts
 * const probe = trainLogisticProbe([
 *   { features: [0.1], label: false }, { features: [0.9], label: true },
 * ]);
 * probe.predict([0.9]) > probe.predict([0.1]); // true
 * ```
 */
export function trainLogisticProbe(
  samples: readonly ProbeSample[],
  options: TrainLogisticProbeOptions = {},
): LogisticProbe {
  const { epochs, learningRate, l2 } = { ...defaultTrainLogisticProbeOptions, ...options };
  const first = samples[0];
  if (first === undefined)
    throw new InvalidOptionsError(
      'samples',
      'trainLogisticProbe received no samples. Pass labelled feature vectors collected at reasoning cues.',
    );
  const size = first.features.length;
  const count = samples.length;
  for (let index = 0; index < count; index++) {
    const length = (samples[index] as ProbeSample).features.length;
    if (length !== size)
      throw new InvalidOptionsError(
        `samples[${index}].features`,
        `Sample ${index} has ${length} features but sample 0 has ${size}. Extract every sample with the same feature tracker.`,
      );
  }
  const mean = new Array<number>(size).fill(0);
  const scale = new Array<number>(size).fill(0);
  for (const sample of samples)
    for (let feature = 0; feature < size; feature++)
      mean[feature] = (mean[feature] as number) + (sample.features[feature] as number) / count;
  for (const sample of samples)
    for (let feature = 0; feature < size; feature++)
      scale[feature] =
        (scale[feature] as number) +
        ((sample.features[feature] as number) - (mean[feature] as number)) ** 2 / count;
  for (let feature = 0; feature < size; feature++) {
    const deviation = Math.sqrt(scale[feature] as number);
    scale[feature] = deviation > 1e-12 ? deviation : 1;
  }
  const rows = samples.map((sample) =>
    Float64Array.from(
      sample.features,
      (value, feature) => (value - (mean[feature] as number)) / (scale[feature] as number),
    ),
  );
  const labels = Float64Array.from(samples, (sample) => (sample.label ? 1 : 0));
  const weights = new Float64Array(size);
  const gradient = new Float64Array(size);
  let bias = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let row = 0; row < count; row++) {
      const x = rows[row] as Float64Array;
      let z = bias;
      for (let feature = 0; feature < size; feature++)
        z += (weights[feature] as number) * (x[feature] as number);
      const error = sigmoid(z) - (labels[row] as number);
      biasGradient += error;
      for (let feature = 0; feature < size; feature++)
        gradient[feature] = (gradient[feature] as number) + error * (x[feature] as number);
    }
    for (let feature = 0; feature < size; feature++)
      weights[feature] =
        (weights[feature] as number) -
        learningRate * ((gradient[feature] as number) / count + l2 * (weights[feature] as number));
    bias -= (learningRate * biasGradient) / count;
  }
  return createLogisticProbe({ weights: [...weights], bias, mean, scale });
}
