/**
 * `@parley/core/universal-sentence-encoder`: an offline neural embedder, for matching on
 * meaning as well as words. Its weights are optional peers of `@parley/core`.
 */
export {
  createUniversalSentenceEncoderEmbedder,
  type UniversalSentenceEncoderEmbedder,
  type UniversalSentenceEncoderEmbedderOptions,
} from './create-universal-sentence-encoder-embedder';
