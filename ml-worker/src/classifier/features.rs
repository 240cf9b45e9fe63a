//! What the classifier reads of a transaction: the sentence embedding of its normalised
//! description, and the description's character n-grams (3 to 5 characters, hashed into a
//! fixed number of buckets, TF-IDF weighted and L2-normalised). Both are pure functions of
//! their inputs, so training and prediction see the same features.

use std::collections::HashMap;

/// Hashed n-gram buckets. 2^14 keeps collisions rare for a household's few thousand
/// distinct merchants while the weight matrix stays small.
pub const BUCKETS: usize = 1 << 14;
const SMALLEST: usize = 3;
const LARGEST: usize = 5;

/// A sparse vector: (index, value) with distinct indices.
pub type Sparse = Vec<(usize, f32)>;

fn fnv1a(chars: &[char]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        for byte in u32::from(*c).to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Pure: bucket → count of the character n-grams of ` text ` (spaces mark word edges).
pub fn ngram_counts(text: &str) -> HashMap<usize, f32> {
    let padded: Vec<char> = std::iter::once(' ')
        .chain(text.chars())
        .chain(std::iter::once(' '))
        .collect();
    let mut counts = HashMap::new();
    for n in SMALLEST..=LARGEST {
        for gram in padded.windows(n) {
            #[allow(clippy::cast_possible_truncation)] // reduced modulo BUCKETS first
            let bucket = (fnv1a(gram) % BUCKETS as u64) as usize;
            *counts.entry(bucket).or_insert(0.0) += 1.0;
        }
    }
    counts
}

/// Inverse document frequencies of the buckets, fitted on the training descriptions.
#[derive(Debug, Clone)]
pub struct Idf {
    weights: Vec<f32>,
}

impl Idf {
    /// Pure: smoothed IDF, `ln((1 + n) / (1 + df)) + 1`, as scikit-learn computes it.
    pub fn fit<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut df = vec![0_u32; BUCKETS];
        let mut n = 0_u32;
        for text in texts {
            n += 1;
            for bucket in ngram_counts(text).into_keys() {
                df[bucket] += 1;
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let weights = df
            .into_iter()
            .map(|d| ((1.0 + n as f32) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        Self { weights }
    }

    /// Pure: the TF-IDF vector of `text`, sublinear term frequency, unit length.
    pub fn vector(&self, text: &str) -> Sparse {
        let mut v: Sparse = ngram_counts(text)
            .into_iter()
            .map(|(bucket, count)| (bucket, (1.0 + count.ln()) * self.weights[bucket]))
            .collect();
        let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, x) in &mut v {
                *x /= norm;
            }
        }
        v.sort_unstable_by_key(|(i, _)| *i);
        v
    }
}

/// Pure: the classifier's input for one description: the n-gram vector in
/// `0..BUCKETS`, then the embedding (scaled by `embedding_weight`) after it.
pub fn combine(ngrams: &Sparse, embedding: &[f32], embedding_weight: f32) -> Sparse {
    let mut out = Vec::with_capacity(ngrams.len() + embedding.len());
    out.extend_from_slice(ngrams);
    out.extend(
        embedding
            .iter()
            .enumerate()
            .map(|(i, v)| (BUCKETS + i, v * embedding_weight)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_strings_share_ngrams_and_vectors_have_unit_length() {
        let idf = Idf::fit(["woolworths food", "engen fuel", "netflix"]);
        let a = idf.vector("woolworths food");
        let b = idf.vector("woolworths");
        let c = idf.vector("engen fuel");
        let dot = |x: &Sparse, y: &Sparse| {
            let y: HashMap<usize, f32> = y.iter().copied().collect();
            x.iter()
                .map(|(i, v)| v * y.get(i).unwrap_or(&0.0))
                .sum::<f32>()
        };
        assert!((dot(&a, &a) - 1.0).abs() < 1e-5);
        assert!(dot(&a, &b) > 0.5, "share most n-grams");
        assert!(dot(&a, &c) < 0.2, "share almost none");
    }

    #[test]
    fn combined_features_put_the_embedding_after_the_buckets() {
        let v = combine(&vec![(3, 0.5)], &[0.1, 0.2], 2.0);
        assert_eq!(v, vec![(3, 0.5), (BUCKETS, 0.2), (BUCKETS + 1, 0.4)]);
    }
}
