import { type ExtractedFeatures, featureFamilies } from './extract-features';
import { fnvOffsetBasis, hashFeature } from './feature-hash';

/**
 * What a fitted offline embedder knows about its corpus: for each hashed feature, how
 * concentrated it is in few groups of texts (a guideline's condition and examples form one
 * group). A word every guideline uses ("card", "my") is spread out and weighs little; a
 * word a single guideline uses ("pending", "stolen") is concentrated and weighs most.
 */
export interface CorpusStatistics {
  /** Texts counted. */
  readonly documentCount: number;
  /** Distinct groups counted (a text without a group is a group of its own). */
  readonly groupCount: number;
  /**
   * Bucket → concentration in [0, 1]: one minus the normalized entropy of the feature's
   * spread over groups (below). Features absent from the corpus have none.
   */
  readonly concentration: ReadonlyMap<number, number>;
  /** Short hash of all the above: equal fingerprints mean equal weights. */
  readonly fingerprint: string;
}

/** One text of a corpus, and the group it belongs to (e.g. its guideline's id). */
export interface CorpusDocument {
  readonly text: string;
  readonly group?: string;
}

/**
 * Counts the features of texts already drawn by the extractor; `groups[i]` names the group
 * of `features[i]`, `undefined` makes that text a group of its own.
 *
 * A feature's spread: in each group g, the share r_g of the group's texts holding it (so a
 * guideline with 100 examples does not outweigh one with 10). Its concentration is
 * `1 − H(r / Σr) / ln G`, G the number of groups: 1 when a single group holds it, 0 when
 * every group holds it equally often. When every text is its own group, this is an IDF
 * normalized to [0, 1] (a feature in n of N texts gets `1 − ln n / ln N`).
 */
export function computeCorpusStatistics(
  features: readonly ExtractedFeatures[],
  groups: readonly (string | undefined)[],
): CorpusStatistics {
  const membersOfGroup = new Map<string, number[]>();
  const ungrouped: number[] = [];
  features.forEach((_, index) => {
    const group = groups[index];
    if (group === undefined) {
      ungrouped.push(index);
      return;
    }
    const members = membersOfGroup.get(group);
    if (members === undefined) membersOfGroup.set(group, [index]);
    else members.push(index);
  });

  // Per feature, over groups: Σ r_g and Σ r_g·ln r_g, enough for the entropy of r / Σr.
  const rateSum = new Map<number, number>();
  const rateLogRateSum = new Map<number, number>();
  const addGroup = (members: readonly number[]) => {
    const holders = new Map<number, number>();
    for (const index of members) {
      for (const bucket of bucketsOf(features[index]!)) {
        holders.set(bucket, (holders.get(bucket) ?? 0) + 1);
      }
    }
    for (const [bucket, count] of holders) {
      const rate = count / members.length;
      rateSum.set(bucket, (rateSum.get(bucket) ?? 0) + rate);
      rateLogRateSum.set(bucket, (rateLogRateSum.get(bucket) ?? 0) + rate * Math.log(rate));
    }
  };
  // Groups in name order: the float sums, hence the weights, do not depend on the order
  // texts came in. (A text of its own adds whole numbers, exact in any order.)
  const groupNames = [...membersOfGroup.keys()].sort();
  for (const name of groupNames) addGroup(membersOfGroup.get(name)!);
  for (const index of ungrouped) addGroup([index]);

  const groupCount = membersOfGroup.size + ungrouped.length;
  const maximumEntropy = Math.log(groupCount);
  const concentration = new Map<number, number>();
  for (const [bucket, sum] of rateSum) {
    const entropy = Math.log(sum) - (rateLogRateSum.get(bucket) ?? 0) / sum;
    // Rounding can push the entropy a hair past its bounds: clamp.
    const value = groupCount > 1 ? 1 - entropy / maximumEntropy : 1;
    concentration.set(bucket, Math.min(1, Math.max(0, value)));
  }

  const documentCount = features.length;
  return {
    documentCount,
    groupCount,
    concentration,
    fingerprint: fingerprintOf(documentCount, groupCount, concentration),
  };
}

function bucketsOf(documentFeatures: ExtractedFeatures): Set<number> {
  const buckets = new Set<number>();
  for (const family of featureFamilies) {
    for (const bucket of documentFeatures[family].keys()) buckets.add(bucket);
  }
  return buckets;
}

function fingerprintOf(
  documentCount: number,
  groupCount: number,
  concentration: ReadonlyMap<number, number>,
): string {
  // Sorted, so the fingerprint depends on the counts, not on the order texts came in;
  // rounded, so summation order (which floating point feels) does not show either.
  const buckets = [...concentration.keys()].sort((left, right) => left - right);
  let hash = hashFeature(`${documentCount}/${groupCount}`, fnvOffsetBasis);
  for (const bucket of buckets) {
    hash = hashFeature(`,${bucket}:${(concentration.get(bucket) ?? 0).toFixed(6)}`, hash);
  }
  return hash.toString(16).padStart(8, '0');
}
