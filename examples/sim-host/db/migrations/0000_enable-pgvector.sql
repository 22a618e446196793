-- Custom SQL migration file, put your code below! --
-- pgvector, for `embedding.embedding vector(1536)` and its HNSW index: before any table uses it.
CREATE EXTENSION IF NOT EXISTS vector;
