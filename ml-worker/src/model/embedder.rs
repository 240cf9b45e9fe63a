//! Sentence embeddings with ONNX Runtime: tokenise, run the encoder on batches of similar
//! length (each padded only to its own longest string), mean-pool over the real tokens and
//! L2-normalise. The arithmetic around the model is pure and tested on its own.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ort::session::Session;
use ort::value::Tensor;
use tokenizers::Tokenizer;

use super::manifest::{self, Manifest, ManifestError, REBUILD_HINT};

/// Strings per encoder run. Larger batches pad more; 32 is where throughput levels off.
pub const BATCH: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("{path}: ONNX Runtime cannot be loaded: {reason}; {REBUILD_HINT}")]
    Runtime { path: PathBuf, reason: String },
    #[error("{path}: cannot be loaded: {reason}; {REBUILD_HINT}")]
    Model { path: PathBuf, reason: String },
}

#[derive(Debug, thiserror::Error)]
#[error("embedding failed: {0}")]
pub struct EmbedError(String);

/// One loaded model version.
pub struct Embedder {
    manifest: Manifest,
    tokenizer: Tokenizer,
    session: Mutex<Session>,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("version", &self.manifest.version)
            .finish_non_exhaustive()
    }
}

/// ONNX Runtime allows one environment per process: every model shares it.
static RUNTIME: Mutex<Option<ort::environment::Environment>> = Mutex::new(None);

fn runtime(models: &Path) -> Result<ort::environment::Environment, LoadError> {
    let mut runtime = RUNTIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(environment) = runtime.as_ref() {
        return Ok(environment.clone());
    }
    let library = manifest::load_runtime(models)?;
    let failed = |reason: String| LoadError::Runtime {
        path: library.clone(),
        reason,
    };
    let environment = ort::init_from(&library)
        .map_err(|e| failed(e.to_string()))?
        .with_name("financetracker-ml")
        .build()
        .map_err(|e| failed(e.to_string()))?;
    *runtime = Some(environment.clone());
    Ok(environment)
}

impl Embedder {
    /// Loads model `version` from `models` (the folder `make model` fills) after checking
    /// every file against its manifest. `threads` is ONNX Runtime's intra-op thread count.
    pub fn load(models: &Path, version: &str, threads: usize) -> Result<Self, LoadError> {
        let (folder, manifest) = manifest::load_version(models, version)?;
        let environment = runtime(models)?;
        let model = folder.join("model.onnx");
        let session =
            build_session(&environment, &model, threads).map_err(|reason| LoadError::Model {
                path: model.clone(),
                reason,
            })?;
        let tokenizer_path = folder.join("tokenizer.json");
        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|e| LoadError::Model {
                path: tokenizer_path.clone(),
                reason: e.to_string(),
            })?;
        // Batches are padded here, each to its own longest string.
        tokenizer.with_padding(None);
        Ok(Self {
            manifest,
            tokenizer,
            session: Mutex::new(session),
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Unit-length embeddings of `texts`, in their order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError(e.to_string()))?;
        let lengths: Vec<usize> = encodings.iter().map(tokenizers::Encoding::len).collect();
        let mut out = vec![Vec::new(); texts.len()];
        for batch in length_batches(&lengths, BATCH) {
            let rows: Vec<&[u32]> = batch.iter().map(|&i| encodings[i].get_ids()).collect();
            let padded = pad(&rows);
            let vectors = self.run(&padded)?;
            for (i, vector) in batch.into_iter().zip(vectors) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    fn run(&self, batch: &Padded) -> Result<Vec<Vec<f32>>, EmbedError> {
        let shape = [batch.rows, batch.tokens];
        let tensor = |data: &Vec<i64>| {
            Tensor::from_array((shape, data.clone())).map_err(|e| EmbedError(e.to_string()))
        };
        let inputs = ort::inputs![
            "input_ids" => tensor(&batch.ids)?,
            "attention_mask" => tensor(&batch.mask)?,
            "token_type_ids" => tensor(&vec![0; batch.ids.len()])?,
        ];
        let mut session = self
            .session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let outputs = session.run(inputs).map_err(|e| EmbedError(e.to_string()))?;
        let (_, hidden) = outputs[self.manifest.output.as_str()]
            .try_extract_tensor::<f32>()
            .map_err(|e| EmbedError(e.to_string()))?;
        Ok(mean_pool_normalise(
            hidden,
            &batch.mask,
            batch.tokens,
            self.manifest.embedding_size,
        ))
    }
}

fn build_session(
    environment: &ort::environment::Environment,
    model: &Path,
    threads: usize,
) -> Result<Session, String> {
    // Builder errors carry the builder and are not Send: flatten them to text here.
    Session::builder(environment)
        .map_err(|e| e.to_string())?
        .with_intra_threads(threads.max(1))
        .map_err(|e| e.to_string())?
        .commit_from_file(model)
        .map_err(|e| e.to_string())
}

/// A batch of token ids padded to its longest row, with the attention mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Padded {
    pub rows: usize,
    pub tokens: usize,
    pub ids: Vec<i64>,
    pub mask: Vec<i64>,
}

/// Pure: `rows` padded with id 0 to the longest, row-major.
pub fn pad(rows: &[&[u32]]) -> Padded {
    let tokens = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut ids = Vec::with_capacity(rows.len() * tokens);
    let mut mask = Vec::with_capacity(rows.len() * tokens);
    for row in rows {
        ids.extend(row.iter().map(|&id| i64::from(id)));
        mask.extend(std::iter::repeat_n(1, row.len()));
        ids.extend(std::iter::repeat_n(0, tokens - row.len()));
        mask.extend(std::iter::repeat_n(0, tokens - row.len()));
    }
    Padded {
        rows: rows.len(),
        tokens,
        ids,
        mask,
    }
}

/// Pure: indices of `lengths` in batches of at most `size`, shortest first, so each batch
/// pads little.
pub fn length_batches(lengths: &[usize], size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| lengths[i]);
    order.chunks(size.max(1)).map(<[usize]>::to_vec).collect()
}

/// Pure: the mean of each row's unmasked token vectors, scaled to unit length (summed, in
/// fact: dividing by the token count first changes nothing once scaled to unit length).
/// `hidden` is `[rows, tokens, dim]` row-major; `mask` is `[rows, tokens]`.
pub fn mean_pool_normalise(
    hidden: &[f32],
    mask: &[i64],
    tokens: usize,
    dim: usize,
) -> Vec<Vec<f32>> {
    let rows = mask.len().checked_div(tokens).unwrap_or(0);
    (0..rows)
        .map(|r| {
            let mut sum = vec![0.0_f32; dim];
            for t in 0..tokens {
                if mask[r * tokens + t] != 0 {
                    let start = (r * tokens + t) * dim;
                    for (s, v) in sum.iter_mut().zip(&hidden[start..start + dim]) {
                        *s += v;
                    }
                }
            }
            let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
            let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
            sum.into_iter().map(|v| v * scale).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_fills_to_the_longest_row_and_masks_the_fill() {
        let padded = pad(&[&[101, 7, 102], &[101, 102]]);
        assert_eq!((padded.rows, padded.tokens), (2, 3));
        assert_eq!(padded.ids, vec![101, 7, 102, 101, 102, 0]);
        assert_eq!(padded.mask, vec![1, 1, 1, 1, 1, 0]);
    }

    #[test]
    fn batches_group_similar_lengths_and_cover_every_index_once() {
        let batches = length_batches(&[9, 2, 5, 2, 7], 2);
        assert_eq!(batches, vec![vec![1, 3], vec![2, 4], vec![0]]);
        assert!(length_batches(&[], 32).is_empty());
    }

    #[test]
    fn pooling_ignores_padding_and_gives_unit_vectors() {
        // Two rows of two tokens, dim 2; the second row's second token is padding.
        let hidden = [1.0, 0.0, 3.0, 4.0, 0.0, 2.0, 100.0, 100.0];
        let pooled = mean_pool_normalise(&hidden, &[1, 1, 1, 0], 2, 2);
        // Row 0: mean (2, 2) -> (0.7071, 0.7071); row 1: (0, 2) -> (0, 1).
        let close = |a: f32, b: f32| (a - b).abs() < 1e-6;
        assert!(close(pooled[0][0], std::f32::consts::FRAC_1_SQRT_2));
        assert!(close(pooled[0][1], std::f32::consts::FRAC_1_SQRT_2));
        assert_eq!(pooled[1], vec![0.0, 1.0]);
    }
}
