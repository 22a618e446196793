import { ParleyError } from '../errors/parley-error';
import type { Embedder, SparseVector } from '../ports/embedder';
import {
  type CorpusDocument,
  type CorpusStatistics,
  computeCorpusStatistics,
} from './corpus-statistics';
import {
  type ExtractedFeatures,
  extractFeatures,
  type FeatureFamily,
  type FeatureSettings,
  featureFamilies,
} from './extract-features';
import { hashFeature } from './feature-hash';

/** Everything that shapes the offline vector space besides the fitted corpus. */
export interface OfflineEmbedderSettings extends FeatureSettings {
  /**
   * Share of each family in a vector (relative; they need not sum to 1). Each family is
   * normalized on its own first, so a long word's many n-grams cannot drown its words.
   */
  familyWeights: Readonly<Record<FeatureFamily, number>>;
  /**
   * How much a fitted feature's concentration adds to its weight:
   * `weight = 1 + concentrationWeight · concentration` (concentration in [0, 1]).
   */
  concentrationWeight: number;
}

/** The settings `offline:v1` stands for, chosen on Banking77's development slice. */
export const defaultOfflineEmbedderSettings: Readonly<OfflineEmbedderSettings> = {
  characterNgramMinimum: 3,
  characterNgramMaximum: 5,
  familyWeights: { word: 0.4, bigram: 0.2, characters: 0.4 },
  concentrationWeight: 1,
};

/** Options of {@link createOfflineEmbedder}. */
export interface OfflineEmbedderOptions {
  /** log2 of the hashed space's size: 20 (1,048,576 coordinates) by default, 8 to 30. */
  dimensionBits?: number;
  /** Departures from {@link defaultOfflineEmbedderSettings}; any departure shows in `id`. */
  settings?: Partial<Omit<OfflineEmbedderSettings, 'familyWeights'>> & {
    familyWeights?: Partial<Record<FeatureFamily, number>>;
  };
}

/**
 * The offline {@link Embedder}: hashed lexical features, no network, no model weights.
 * Unfitted, it weighs every feature alike; {@link OfflineEmbedder.fit} returns an embedder
 * whose weights come from the corpus it will search. Fitting never changes the embedder
 * it is called on.
 */
export interface OfflineEmbedder extends Embedder {
  /** What the weights were drawn from, or `null` when unfitted. */
  readonly statistics: CorpusStatistics | null;
  /**
   * A new embedder, same settings, weighing features by how concentrated they are in
   * `documents`' groups: pass every text that will be searched, each with its guideline's
   * id as `group` (a plain string is a group of its own). Its `id` carries the corpus
   * fingerprint, so vectors of two different fits never share a cache entry.
   */
  fit(documents: readonly (CorpusDocument | string)[]): OfflineEmbedder;
  /** {@link Embedder.embed} for one text, synchronously. */
  embedText(text: string): SparseVector;
}

/** Bumped whenever the same settings and corpus would give different vectors. */
const version = 'v1';

/**
 * Creates the offline embedder. Vectors are sparse, unit length (a text with no feature,
 * such as `''` or `'?!'`, gives the empty vector, which matches nothing), with indices
 * strictly increasing below `2 ** dimensionBits`. For a given `id`, the same text gives the
 * same vector in every process: features are hashed with FNV-1a, written here.
 *
 * Features (see `extractFeatures`): word stems, adjacent stem pairs, and character 3- to
 * 5-grams of content words. A feature's value is `(1 + ln tf) · weight`, each family is
 * normalized and scaled to its share, and the whole is normalized. `weight` is 1 unfitted;
 * fitted, `1 + concentration` (see `computeCorpusStatistics`), an IDF computed over
 * guidelines rather than texts: it favours words that single one guideline out.
 *
 * `purpose` is ignored: queries and documents share one representation.
 *
 * Contract with the engine: fit on the texts the vectors will be searched among (all
 * guidelines' conditions and examples, grouped by guideline), embed those texts and the
 * queries with the fitted embedder, and key cached vectors on `id`. A stale fit (a few
 * guidelines added since) still works, slightly less well: refit when the corpus has
 * changed much, then re-embed everything, since `id` changes.
 */
export function createOfflineEmbedder(options: OfflineEmbedderOptions = {}): OfflineEmbedder {
  const dimensionBits = options.dimensionBits ?? 20;
  if (!Number.isInteger(dimensionBits) || dimensionBits < 8 || dimensionBits > 30) {
    throw new ParleyError(
      'validation_failed',
      `dimensionBits must be a whole number from 8 to 30, got ${dimensionBits}`,
      { details: { dimensionBits } },
    );
  }
  const settings: OfflineEmbedderSettings = {
    ...defaultOfflineEmbedderSettings,
    ...options.settings,
    familyWeights: {
      ...defaultOfflineEmbedderSettings.familyWeights,
      ...options.settings?.familyWeights,
    },
  };
  validateSettings(settings);
  return buildEmbedder(dimensionBits, settings, null);
}

function buildEmbedder(
  dimensionBits: number,
  settings: OfflineEmbedderSettings,
  statistics: CorpusStatistics | null,
): OfflineEmbedder {
  const settingsTag = describeSettings(settings);
  const id = [
    `offline:${version}`,
    `d${dimensionBits}`,
    ...(settingsTag === null ? [] : [settingsTag]),
    ...(statistics === null ? [] : [`fit-${statistics.fingerprint}`]),
  ].join(':');
  const weightOf = createFeatureWeigher(settings, statistics);
  const familyScales = familyScalesOf(settings);
  const embedText = (text: string): SparseVector =>
    toVector(extractFeatures(text, settings, dimensionBits), weightOf, familyScales);

  return {
    id,
    dimensions: 2 ** dimensionBits,
    statistics,
    embedText,
    async embed(texts, embedOptions) {
      const vectors: SparseVector[] = [];
      for (const text of texts) {
        embedOptions?.signal?.throwIfAborted();
        vectors.push(embedText(text));
      }
      return vectors;
    },
    fit(documents) {
      const texts = documents.map((document) =>
        typeof document === 'string' ? document : document.text,
      );
      const groups = documents.map((document) =>
        typeof document === 'string' ? undefined : document.group,
      );
      const features = texts.map((text) => extractFeatures(text, settings, dimensionBits));
      return buildEmbedder(dimensionBits, settings, computeCorpusStatistics(features, groups));
    },
  };
}

type FeatureWeigher = (bucket: number) => number;

function createFeatureWeigher(
  settings: OfflineEmbedderSettings,
  statistics: CorpusStatistics | null,
): FeatureWeigher {
  if (statistics === null) return () => 1;
  const { concentration } = statistics;
  const { concentrationWeight } = settings;
  // A feature the corpus never saw cannot match any of its texts; counting it as fully
  // concentrated keeps the weighting the same whichever texts the corpus happened to hold.
  return (bucket) => 1 + concentrationWeight * (concentration.get(bucket) ?? 1);
}

function familyScalesOf(settings: OfflineEmbedderSettings): Record<FeatureFamily, number> {
  const total = featureFamilies.reduce((sum, family) => sum + settings.familyWeights[family], 0);
  const scales: Record<FeatureFamily, number> = { word: 0, bigram: 0, characters: 0 };
  for (const family of featureFamilies) {
    scales[family] = Math.sqrt(settings.familyWeights[family] / total);
  }
  return scales;
}

function toVector(
  features: ExtractedFeatures,
  weightOf: FeatureWeigher,
  familyScales: Record<FeatureFamily, number>,
): SparseVector {
  const combined = new Map<number, number>();
  for (const family of featureFamilies) {
    const scale = familyScales[family];
    const counts = features[family];
    if (scale === 0 || counts.size === 0) continue;
    // Sublinear: a word said three times is not three times the topic.
    let squaredLength = 0;
    for (const [bucket, count] of counts) {
      const value = (1 + Math.log(count)) * weightOf(bucket);
      counts.set(bucket, value);
      squaredLength += value * value;
    }
    if (squaredLength === 0) continue;
    const factor = scale / Math.sqrt(squaredLength);
    for (const [bucket, value] of counts) {
      combined.set(bucket, (combined.get(bucket) ?? 0) + value * factor);
    }
  }
  const indices = Uint32Array.from(combined.keys()).sort();
  const values = new Float32Array(indices.length);
  let squaredLength = 0;
  for (const value of combined.values()) squaredLength += value * value;
  // Normalized again: a family may be empty (digits only have no n-grams) or collide.
  const factor = squaredLength === 0 ? 0 : 1 / Math.sqrt(squaredLength);
  for (let position = 0; position < indices.length; position++) {
    values[position] = combined.get(indices[position]!)! * factor;
  }
  return { indices, values };
}

function validateSettings(settings: OfflineEmbedderSettings): void {
  const problems: string[] = [];
  const { characterNgramMinimum: minimum, characterNgramMaximum: maximum } = settings;
  if (
    !Number.isInteger(minimum) ||
    !Number.isInteger(maximum) ||
    minimum < 1 ||
    maximum < minimum
  ) {
    problems.push('character n-gram sizes must be whole numbers, 1 <= minimum <= maximum');
  }
  const weights = featureFamilies.map((family) => settings.familyWeights[family]);
  if (weights.some((weight) => !(weight >= 0 && Number.isFinite(weight)))) {
    problems.push('family weights must be finite and non-negative');
  } else if (weights.every((weight) => weight === 0)) {
    problems.push('at least one family weight must be positive');
  }
  if (!(settings.concentrationWeight >= 0 && Number.isFinite(settings.concentrationWeight))) {
    problems.push('concentrationWeight must be finite and non-negative');
  }
  if (problems.length > 0) {
    throw new ParleyError(
      'validation_failed',
      `Invalid offline embedder settings: ${problems.join('; ')}`,
      { details: { problems } },
    );
  }
}

/** `null` for the default settings, else a short hash naming the departure. */
function describeSettings(settings: OfflineEmbedderSettings): string | null {
  const canonical = canonicalSettings(settings);
  return canonical === canonicalSettings(defaultOfflineEmbedderSettings)
    ? null
    : `s-${hashFeature(canonical).toString(16).padStart(8, '0')}`;
}

function canonicalSettings(settings: OfflineEmbedderSettings): string {
  // Family weights are relative: {2, 1, 2} is the same space as {0.4, 0.2, 0.4}.
  const total = featureFamilies.reduce((sum, family) => sum + settings.familyWeights[family], 0);
  return JSON.stringify([
    settings.characterNgramMinimum,
    settings.characterNgramMaximum,
    featureFamilies.map((family) => Number((settings.familyWeights[family] / total).toFixed(9))),
    settings.concentrationWeight,
  ]);
}
