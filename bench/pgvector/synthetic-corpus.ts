import type { RandomSource } from '@parley/core/testing';

/** The shape of the synthetic knowledge base. */
export interface SyntheticCorpusSettings {
  /** Chunks in all. */
  chunks: number;
  /** Length of every vector (Sim's text-embedding-3-small: 1536). */
  dimensions: number;
  /** Chunks around one centre; each cluster is one document. */
  chunksPerCluster: number;
  /** Clusters are dealt to this many knowledge bases in turn. */
  knowledgeBases: number;
  /**
   * Length of the random offset added to a cluster's unit centre before normalizing: 0.8
   * puts a chunk at cosine ≈ 0.78 from its centre and ≈ 0.6 from its cluster's other chunks,
   * so a query's true neighbours are many near-equals and the index has to tell them apart.
   */
  chunkSpread: number;
  /** Length of the offset that turns a stored chunk into a query "about the same thing". */
  querySpread: number;
}

/** The chunks, in memory, as the bench loads them and as exact search reads them. */
export interface SyntheticCorpus {
  settings: SyntheticCorpusSettings;
  /** Every chunk's vector, one after another (`chunks × dimensions`), as the database holds it. */
  vectors: Float32Array;
  /** Each chunk's text: words of its cluster's topic and words of its own. */
  texts: string[];
  clusterOf(chunk: number): number;
  knowledgeBaseOf(chunk: number): string;
  /** pgvector's text form of a chunk's vector, exactly the values in {@link vectors}. */
  vectorLiteral(chunk: number): string;
}

/** One timed search: its text, its vector, where it looks and the chunk it was drawn from. */
export interface SyntheticQuery {
  text: string;
  vector: Float32Array;
  knowledgeBaseId: string;
  sourceChunk: number;
}

/** Coordinates are kept to this step, so each prints from a table of short strings. */
const quantumInverse = 10_000;
const quantizedText = Array.from({ length: 2 * quantumInverse + 1 }, (_, index) =>
  String((index - quantumInverse) / quantumInverse),
);

/** A standard normal draw (Box–Muller). */
function gaussian(random: RandomSource): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}

function normalize(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  const length = Math.sqrt(sumOfSquares) || 1;
  for (let index = 0; index < vector.length; index += 1) vector[index]! /= length;
  return vector;
}

/** A unit vector `base + spread · (random direction)`, normalized. */
function perturb(
  base: Float32Array,
  spread: number,
  random: RandomSource,
  into: Float32Array,
): Float32Array {
  const perCoordinate = spread / Math.sqrt(base.length);
  for (let index = 0; index < base.length; index += 1) {
    into[index] = base[index]! + perCoordinate * gaussian(random);
  }
  return normalize(into);
}

/** Pronounceable made-up words, so `to_tsvector('english', …)` keeps them all as lexemes. */
function createVocabulary(size: number, random: RandomSource): string[] {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  const words = new Set<string>();
  while (words.size < size) {
    let word = '';
    const syllables = 2 + Math.floor(random() * 2);
    for (let syllable = 0; syllable < syllables; syllable += 1) {
      word += consonants[Math.floor(random() * consonants.length)];
      word += vowels[Math.floor(random() * vowels.length)];
    }
    word += consonants[Math.floor(random() * consonants.length)];
    words.add(word);
  }
  return [...words];
}

const topicWordsPerCluster = 12;
const topicWordsPerChunk = 8;
const ownWordsPerChunk = 12;

/**
 * Clustered unit vectors and texts to match: cluster `c` is document `c`, of
 * `chunksPerCluster` chunks, in knowledge base `c mod knowledgeBases`. Vectors are rounded to
 * 1e-4 per coordinate (what is loaded is exactly what exact search compares).
 */
export function createSyntheticCorpus(
  settings: SyntheticCorpusSettings,
  random: RandomSource,
): SyntheticCorpus {
  const { chunks, dimensions, chunksPerCluster } = settings;
  const vocabulary = createVocabulary(8_000, random);
  const pick = () => vocabulary[Math.floor(random() * vocabulary.length)]!;
  const vectors = new Float32Array(chunks * dimensions);
  const texts: string[] = [];
  const centre = new Float32Array(dimensions);
  const scratch = new Float32Array(dimensions);
  let topicWords: string[] = [];
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    if (chunk % chunksPerCluster === 0) {
      for (let index = 0; index < dimensions; index += 1) centre[index] = gaussian(random);
      normalize(centre);
      topicWords = Array.from({ length: topicWordsPerCluster }, pick);
    }
    perturb(centre, settings.chunkSpread, random, scratch);
    const offset = chunk * dimensions;
    for (let index = 0; index < dimensions; index += 1) {
      vectors[offset + index] = Math.round(scratch[index]! * quantumInverse) / quantumInverse;
    }
    const words = [
      ...Array.from(
        { length: topicWordsPerChunk },
        () => topicWords[Math.floor(random() * topicWords.length)]!,
      ),
      ...Array.from({ length: ownWordsPerChunk }, pick),
    ];
    for (let index = words.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [words[index], words[other]] = [words[other]!, words[index]!];
    }
    texts.push(words.join(' '));
  }
  const clusterOf = (chunk: number) => Math.floor(chunk / chunksPerCluster);
  return {
    settings,
    vectors,
    texts,
    clusterOf,
    knowledgeBaseOf: (chunk) => `kb-${clusterOf(chunk) % settings.knowledgeBases}`,
    vectorLiteral(chunk) {
      const parts = new Array<string>(dimensions);
      const offset = chunk * dimensions;
      for (let index = 0; index < dimensions; index += 1) {
        parts[index] =
          quantizedText[Math.round(vectors[offset + index]! * quantumInverse) + quantumInverse]!;
      }
      return `[${parts.join(',')}]`;
    },
  };
}

/**
 * Queries near stored chunks: each is a random chunk's vector moved by `querySpread`, and its
 * text two of that chunk's words (mostly one of its topic's), so the keyword arm has
 * something to find as well. Texts are unique: the bench's embedder looks vectors up by text.
 */
export function createSyntheticQueries(
  corpus: SyntheticCorpus,
  count: number,
  random: RandomSource,
): SyntheticQuery[] {
  const { dimensions, querySpread } = corpus.settings;
  const queries: SyntheticQuery[] = [];
  const seen = new Set<string>();
  while (queries.length < count) {
    const sourceChunk = Math.floor(random() * corpus.settings.chunks);
    const words = corpus.texts[sourceChunk]!.split(' ');
    const text = `${words[Math.floor(random() * words.length)]} ${words[Math.floor(random() * words.length)]}`;
    if (seen.has(text)) continue;
    seen.add(text);
    const stored = corpus.vectors.subarray(
      sourceChunk * dimensions,
      (sourceChunk + 1) * dimensions,
    );
    queries.push({
      text,
      vector: perturb(stored, querySpread, random, new Float32Array(dimensions)),
      knowledgeBaseId: corpus.knowledgeBaseOf(sourceChunk),
      sourceChunk,
    });
  }
  return queries;
}
