//! A ledger's categoriser, learned from its labelled transactions:
//! 1. an exact memory of normalised descriptions it has labelled (a correction always wins;
//!    built-in seed examples teach the model but are not remembered exactly);
//! 2. logistic regression over the sentence embedding plus character n-grams of the
//!    normalised description, trained on one example per distinct description.
//!
//! Predictions respect the direction of the money: a category only ever seen on money
//! going out is not offered for money coming in. The embedding function is passed in, so
//! this module holds decisions only.

pub mod features;
pub mod logistic;

use std::collections::HashMap;

use features::{BUCKETS, Idf, Sparse, combine};
use logistic::{Model, Settings};

use crate::normalise::normalise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    /// Pure: money in for a positive amount, out otherwise.
    pub fn of(amount: f64) -> Self {
        if amount > 0.0 { Self::In } else { Self::Out }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub description: String,
    pub direction: Direction,
    pub category: String,
    /// Said about a suggestion (accepted or corrected): overrides every other label of the
    /// same description.
    pub correction: bool,
    /// A built-in example (`crate::seeds`), not the ledger's own: it teaches the model but
    /// is kept out of the exact memory.
    pub seed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub category: String,
    /// 0 to 1; 1.0 for a description the ledger labelled itself.
    pub confidence: f32,
}

/// Sentence embeddings of a batch of texts, unit length, in order.
pub type Embed<'a> = dyn Fn(&[&str]) -> Vec<Vec<f32>> + 'a;

/// What ranks categories after the exact memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Logistic regression over the features (the default: it measured better).
    #[default]
    LogisticRegression,
    /// The alternative `ml-worker eval --method knn` measures: a similarity-weighted vote
    /// of the `k` most similar distinct training descriptions.
    NearestNeighbours { k: usize },
}

/// How much the embedding counts beside the n-grams (both vectors have unit length).
/// Measured with `ml-worker eval` over six splits of the labelled fixture: 0 (n-grams
/// only) 0.502 accuracy, 0.5 0.526, 1 0.522, 2 0.515; differences near the noise, so 1.
pub const EMBEDDING_WEIGHT: f32 = 1.0;
const TOP: usize = 3;

#[derive(Debug, Clone)]
pub struct LedgerClassifier {
    categories: Vec<String>,
    /// Per category: seen on money coming in, going out.
    directions: Vec<(bool, bool)>,
    memory: HashMap<(Direction, String), usize>,
    idf: Idf,
    model: Option<Model>,
    /// Training vectors and their category, for nearest neighbours.
    neighbours: Vec<(Sparse, usize)>,
    k: usize,
    embedding_size: usize,
}

/// Pure: one example per (direction, normalised description), labelled with the latest
/// correction if there is one, else its most frequent category (the latest among equals:
/// the user's newest word counts).
pub fn deduplicate(examples: &[Example]) -> Vec<(Direction, String, String)> {
    // Per key: label -> (corrected, how often, last position).
    type Labels<'a> = HashMap<&'a str, (bool, usize, usize)>;
    let mut counts: HashMap<(Direction, String), Labels<'_>> = HashMap::new();
    let mut order: Vec<(Direction, String)> = Vec::new();
    for (position, e) in examples.iter().enumerate() {
        let key = (e.direction, normalise(&e.description));
        let labels = counts.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            HashMap::new()
        });
        let entry = labels.entry(e.category.as_str()).or_insert((false, 0, 0));
        entry.0 |= e.correction;
        entry.1 += 1;
        entry.2 = position;
    }
    order
        .into_iter()
        .map(|key| {
            let labels = &counts[&key];
            let corrected = labels
                .iter()
                .filter(|(_, (c, _, _))| *c)
                .max_by_key(|(_, (_, _, last))| *last);
            let (label, _) = corrected
                .or_else(|| {
                    labels
                        .iter()
                        .max_by_key(|(_, (_, count, last))| (*count, *last))
                })
                .expect("every key has a label");
            (key.0, key.1, (*label).to_owned())
        })
        .collect()
}

impl LedgerClassifier {
    pub fn train(examples: &[Example], embed: &Embed<'_>, settings: Settings) -> Self {
        Self::train_with(examples, embed, settings, Method::default())
    }

    pub fn train_with(
        examples: &[Example],
        embed: &Embed<'_>,
        settings: Settings,
        method: Method,
    ) -> Self {
        let distinct = deduplicate(examples);
        let mut categories: Vec<String> = distinct.iter().map(|(_, _, c)| c.clone()).collect();
        categories.sort();
        categories.dedup();
        let index: HashMap<&str, usize> = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        let mut directions = vec![(false, false); categories.len()];
        let own: std::collections::HashSet<(Direction, String)> = examples
            .iter()
            .filter(|e| !e.seed)
            .map(|e| (e.direction, normalise(&e.description)))
            .collect();
        let mut memory = HashMap::new();
        for (direction, text, category) in &distinct {
            let k = index[category.as_str()];
            match direction {
                Direction::In => directions[k].0 = true,
                Direction::Out => directions[k].1 = true,
            }
            let key = (*direction, text.clone());
            if own.contains(&key) {
                memory.insert(key, k);
            }
        }
        let texts: Vec<&str> = distinct.iter().map(|(_, t, _)| t.as_str()).collect();
        let idf = Idf::fit(texts.iter().copied());
        let embeddings = if texts.is_empty() {
            Vec::new()
        } else {
            embed(&texts)
        };
        let embedding_size = embeddings.first().map_or(0, Vec::len);
        let training: Vec<(Sparse, usize)> = distinct
            .iter()
            .zip(&embeddings)
            .map(|((_, text, category), e)| {
                (
                    combine(&idf.vector(text), e, EMBEDDING_WEIGHT),
                    index[category.as_str()],
                )
            })
            .collect();
        let (model, neighbours, k) = match method {
            Method::LogisticRegression => (
                (categories.len() > 1).then(|| {
                    Model::train(
                        &training,
                        categories.len(),
                        BUCKETS + embedding_size,
                        settings,
                    )
                }),
                Vec::new(),
                0,
            ),
            Method::NearestNeighbours { k } => (None, training, k.max(1)),
        };
        Self {
            categories,
            directions,
            memory,
            idf,
            model,
            neighbours,
            k,
            embedding_size,
        }
    }

    /// Learns one labelled description at once, without retraining: it goes into the exact
    /// memory (the model itself catches up at the next training). `false` if the category
    /// is one this classifier has never seen, so it must be retrained to know it.
    pub fn remember(&mut self, description: &str, direction: Direction, category: &str) -> bool {
        let Some(k) = self.categories.iter().position(|c| c == category) else {
            return false;
        };
        match direction {
            Direction::In => self.directions[k].0 = true,
            Direction::Out => self.directions[k].1 = true,
        }
        self.memory.insert((direction, normalise(description)), k);
        true
    }

    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The top categories for each (description, direction), best first.
    pub fn predict(&self, items: &[(&str, Direction)], embed: &Embed<'_>) -> Vec<Vec<Prediction>> {
        if self.categories.is_empty() {
            return vec![Vec::new(); items.len()];
        }
        let texts: Vec<String> = items.iter().map(|(d, _)| normalise(d)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let embeddings = if self.model.is_some() || !self.neighbours.is_empty() {
            embed(&refs)
        } else {
            Vec::new()
        };
        items
            .iter()
            .zip(&texts)
            .enumerate()
            .map(|(i, ((_, direction), text))| {
                let empty = vec![0.0; self.embedding_size];
                let features = || {
                    let e = embeddings.get(i).unwrap_or(&empty);
                    combine(&self.idf.vector(text), e, EMBEDDING_WEIGHT)
                };
                let mut probabilities = match &self.model {
                    Some(model) => model.probabilities(&features()),
                    None if !self.neighbours.is_empty() => self.vote(&features()),
                    None => vec![1.0; self.categories.len()],
                };
                self.mask_direction(&mut probabilities, *direction);
                if let Some(&k) = self.memory.get(&(*direction, text.clone())) {
                    // The ledger's own label for this exact description.
                    probabilities.fill(0.0);
                    probabilities[k] = 1.0;
                }
                self.top(&probabilities)
            })
            .collect()
    }

    /// Nearest neighbours: each of the `k` most similar training vectors votes for its
    /// category with its cosine similarity.
    fn vote(&self, x: &Sparse) -> Vec<f32> {
        let norm = |v: &Sparse| v.iter().map(|(_, a)| a * a).sum::<f32>().sqrt().max(1e-12);
        let dot = |a: &Sparse, b: &Sparse| {
            // Both sorted by index: merge.
            let (mut i, mut j, mut sum) = (0, 0, 0.0);
            while i < a.len() && j < b.len() {
                match a[i].0.cmp(&b[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        sum += a[i].1 * b[j].1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            sum
        };
        let nx = norm(x);
        let mut similar: Vec<(f32, usize)> = self
            .neighbours
            .iter()
            .map(|(v, k)| (dot(x, v) / (nx * norm(v)), *k))
            .collect();
        similar.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut votes = vec![0.0; self.categories.len()];
        for (similarity, k) in similar.into_iter().take(self.k) {
            votes[k] += similarity.max(0.0);
        }
        let total: f32 = votes.iter().sum();
        if total > 0.0 {
            for v in &mut votes {
                *v /= total;
            }
        }
        votes
    }

    fn mask_direction(&self, probabilities: &mut [f32], direction: Direction) {
        let allowed = |(seen_in, seen_out): (bool, bool)| match direction {
            Direction::In => seen_in,
            Direction::Out => seen_out,
        };
        if !self.directions.iter().any(|d| allowed(*d)) {
            return; // never seen this direction: offer everything
        }
        for (p, d) in probabilities.iter_mut().zip(&self.directions) {
            if !allowed(*d) {
                *p = 0.0;
            }
        }
        let sum: f32 = probabilities.iter().sum();
        if sum > 0.0 {
            for p in probabilities.iter_mut() {
                *p /= sum;
            }
        }
    }

    fn top(&self, probabilities: &[f32]) -> Vec<Prediction> {
        let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .filter(|(_, p)| *p > 0.0)
            .take(TOP)
            .map(|(k, p)| Prediction {
                category: self.categories[k].clone(),
                confidence: p,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No embedding: these tests are about the decisions around the model.
    fn no_embedding(texts: &[&str]) -> Vec<Vec<f32>> {
        vec![vec![0.0; 4]; texts.len()]
    }

    fn example(description: &str, amount: f64, category: &str) -> Example {
        Example {
            description: description.to_owned(),
            direction: Direction::of(amount),
            category: category.to_owned(),
            correction: false,
            seed: false,
        }
    }

    #[test]
    fn duplicates_collapse_to_their_most_frequent_then_latest_label() {
        let distinct = deduplicate(&[
            example("POS Purchase Woolworths * 01 Oct", -10.0, "Groceries"),
            example("POS Purchase WOOLWORTHS * 02 Nov", -12.0, "Groceries"),
            example("POS Purchase Woolworths * 03 Dec", -9.0, "Household"),
            example("Engen 1", -50.0, "Fuel"),
            example("Engen 2", -50.0, "Car"),
        ]);
        assert_eq!(
            distinct,
            vec![
                (
                    Direction::Out,
                    "woolworths".to_owned(),
                    "Groceries".to_owned()
                ),
                (Direction::Out, "engen".to_owned(), "Car".to_owned()),
            ]
        );
    }

    #[test]
    fn a_correction_outweighs_any_number_of_older_labels() {
        let mut examples = vec![example("Engen 1", -50.0, "Fuel"); 5];
        examples.push(Example {
            correction: true,
            ..example("ENGEN 2", -50.0, "Car")
        });
        examples.push(example("Engen 3", -50.0, "Fuel"));
        assert_eq!(
            deduplicate(&examples),
            vec![(Direction::Out, "engen".to_owned(), "Car".to_owned())]
        );
    }

    #[test]
    fn a_labelled_description_wins_and_direction_is_respected() {
        let examples = vec![
            example("POS Purchase Engen Mitchell Park * 07 Oct", -300.0, "Fuel"),
            example("POS Purchase Engen Nkandla * 05 Oct", -250.0, "Fuel"),
            example("POS Purchase Woolworths * 19 Nov", -120.0, "Groceries"),
            example("POS Purchase Checkers Ballito * 15 Oct", -90.0, "Groceries"),
            example("Fusion Interest Rebate", 22.0, "Interest"),
            example("Salary ACME", 20000.0, "Salary"),
        ];
        let classifier = LedgerClassifier::train(&examples, &no_embedding, Settings::default());
        let predictions = classifier.predict(
            &[
                ("POS Purchase Engen Sandton * 01 Dec", Direction::Out),
                ("POS Purchase Woolworths * 02 Dec", Direction::Out),
                ("Interest Rebate", Direction::In),
            ],
            &no_embedding,
        );
        assert_eq!(predictions[0][0].category, "Fuel", "{predictions:?}");
        assert_eq!(
            predictions[1][0],
            Prediction {
                category: "Groceries".to_owned(),
                confidence: 1.0
            },
            "exact memory"
        );
        assert!(
            predictions[2]
                .iter()
                .all(|p| p.category == "Interest" || p.category == "Salary"),
            "only income categories for money in: {:?}",
            predictions[2]
        );
        assert!(predictions.iter().all(|p| p.len() <= 3));
    }

    #[test]
    fn a_remembered_label_answers_at_once_and_an_unknown_category_asks_for_training() {
        let examples = vec![
            example("Engen Park", -1.0, "Fuel"),
            example("Woolworths", -1.0, "Groceries"),
        ];
        let mut classifier = LedgerClassifier::train(&examples, &no_embedding, Settings::default());
        assert!(classifier.remember("ENGEN PARK * 12 Nov", Direction::Out, "Groceries"));
        let top = &classifier.predict(&[("Engen Park", Direction::Out)], &no_embedding)[0][0];
        assert_eq!((top.category.as_str(), top.confidence), ("Groceries", 1.0));
        assert!(!classifier.remember("Netflix", Direction::Out, "Streaming"));
    }

    #[test]
    fn nearest_neighbours_vote_for_the_most_similar_descriptions() {
        let examples = vec![
            example("Engen Mitchell Park", -1.0, "Fuel"),
            example("Engen Nkandla", -1.0, "Fuel"),
            example("Woolworths Food", -1.0, "Groceries"),
        ];
        let classifier = LedgerClassifier::train_with(
            &examples,
            &no_embedding,
            Settings::default(),
            Method::NearestNeighbours { k: 2 },
        );
        let top = &classifier.predict(&[("Engen Sandton", Direction::Out)], &no_embedding)[0];
        assert_eq!(top[0].category, "Fuel", "{top:?}");
        assert!(top[0].confidence > 0.5 && top[0].confidence <= 1.0);
    }

    #[test]
    fn an_untrained_ledger_predicts_nothing() {
        let classifier = LedgerClassifier::train(&[], &no_embedding, Settings::default());
        assert_eq!(
            classifier.predict(&[("anything", Direction::Out)], &no_embedding),
            vec![Vec::<Prediction>::new()]
        );
    }
}
