//! Which model version categorises a ledger's transactions: the routing the operator writes
//! (ConfigMap `<name>-ml-routing`, key `routing.json`) and the API reads. During a
//! ModelExperiment each ledger is assigned to one variant by a hash of the experiment's
//! name and the ledger's id, so a household sees one model consistently, and raising the
//! candidate's weight only adds households to it (the candidate's range comes first).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ModelRouting {
    /// The version a ledger gets when no route applies.
    pub default_version: String,
    /// The experiment the weights belong to; part of the hash, so each experiment draws
    /// its own households rather than always the same ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    /// The variants in order, their weights (percent) summing to 100.
    pub routes: Vec<Route>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub version: String,
    pub weight: u8,
    /// The worker serving this version; unset: the API's configured worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Buckets a ledger can fall in: a weight of 1% is 100 of them.
pub const BUCKETS: u32 = 10_000;

impl ModelRouting {
    /// The routes' weights summed: 100 in a usable routing.
    pub fn total_weight(&self) -> u32 {
        self.routes.iter().map(|r| u32::from(r.weight)).sum()
    }

    /// The route of `ledger`, or `None` when the weights do not sum to 100 (a routing
    /// being written or a broken one: the caller uses the default version).
    pub fn route_for(&self, ledger: Uuid) -> Option<&Route> {
        if self.total_weight() != 100 {
            return None;
        }
        let bucket = bucket(self.experiment.as_deref().unwrap_or(""), ledger);
        let mut end = 0;
        self.routes.iter().find(|route| {
            end += u32::from(route.weight) * (BUCKETS / 100);
            bucket < end
        })
    }
}

/// Pure and stable across releases and platforms (a household must not change model on an
/// upgrade): FNV-1a over the experiment's name, a separator and the ledger's bytes, mixed by
/// the finaliser of `SplitMix64`, into `0..BUCKETS`.
pub fn bucket(experiment: &str, ledger: Uuid) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in experiment
        .as_bytes()
        .iter()
        .chain(&[0xff])
        .chain(ledger.as_bytes())
    {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^= hash >> 30;
    hash = hash.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash ^= hash >> 27;
    hash = hash.wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^= hash >> 31;
    u32::try_from(hash % u64::from(BUCKETS)).expect("below BUCKETS")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routing(candidate: u8) -> ModelRouting {
        ModelRouting {
            default_version: "fp32".to_owned(),
            experiment: Some("int8-trial".to_owned()),
            routes: vec![
                Route {
                    version: "int8".to_owned(),
                    weight: candidate,
                    url: Some("http://candidate:8090".to_owned()),
                },
                Route {
                    version: "fp32".to_owned(),
                    weight: 100 - candidate,
                    url: None,
                },
            ],
        }
    }

    /// Ledger ids from a fixed-seed generator (a 128-bit LCG): the same ones every run.
    fn ledgers(n: usize) -> Vec<Uuid> {
        let mut state: u128 = 0x2545_f491_4f6c_dd1d;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645)
                    .wrapping_add(0x5851_f42d_4c95_7f2d_1405_7b7e_f767_814f);
                Uuid::from_u128(state)
            })
            .collect()
    }

    fn share(routing: &ModelRouting, ids: &[Uuid], version: &str) -> f64 {
        let hits = ids
            .iter()
            .filter(|&&id| routing.route_for(id).is_some_and(|r| r.version == version))
            .count();
        f64::from(u32::try_from(hits).expect("small"))
            / f64::from(u32::try_from(ids.len()).expect("small"))
    }

    #[test]
    fn ledgers_split_close_to_the_weights() {
        let ids = ledgers(20_000);
        // 1 percentage point is over 3 standard deviations at these sizes.
        for weight in [1, 10, 25, 50, 90] {
            let got = share(&routing(weight), &ids, "int8");
            let want = f64::from(weight) / 100.0;
            assert!((got - want).abs() < 0.01, "{weight}%: got {got:.4}");
        }
        assert!((share(&routing(100), &ids, "int8") - 1.0).abs() < f64::EPSILON);
        assert!(share(&routing(0), &ids, "int8").abs() < f64::EPSILON);
    }

    #[test]
    fn a_ledger_keeps_its_variant_and_a_higher_weight_only_adds_ledgers() {
        let ids = ledgers(5_000);
        let (at10, at25) = (routing(10), routing(25));
        for &id in &ids {
            assert_eq!(at10.route_for(id), at10.route_for(id), "deterministic");
            if at10.route_for(id).is_some_and(|r| r.version == "int8") {
                assert_eq!(
                    at25.route_for(id).map(|r| r.version.as_str()),
                    Some("int8"),
                    "{id} left the candidate when its weight rose"
                );
            }
        }
    }

    #[test]
    fn each_experiment_draws_its_own_households() {
        let ids = ledgers(5_000);
        let (a, mut b) = (routing(10), routing(10));
        b.experiment = Some("another-trial".to_owned());
        let both = ids
            .iter()
            .filter(|&&id| {
                a.route_for(id).is_some_and(|r| r.version == "int8")
                    && b.route_for(id).is_some_and(|r| r.version == "int8")
            })
            .count();
        // Independent draws overlap on about 1% (10% of 10%), not on 10%.
        assert!(both < ids.len() / 50, "{both} ledgers in both");
    }

    #[test]
    fn the_assignment_never_changes_between_releases() {
        // Pinned: changing the hash would move households between models on an upgrade.
        let ledger = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(bucket("int8-trial", ledger), PINNED);
        assert_eq!(bucket("", Uuid::nil()), PINNED_NIL);
    }
    const PINNED: u32 = 5377;
    const PINNED_NIL: u32 = 942;

    #[test]
    fn weights_that_do_not_sum_to_100_route_nothing() {
        let mut broken = routing(10);
        broken.routes[1].weight = 80;
        assert_eq!(broken.route_for(Uuid::nil()), None);
    }

    #[test]
    fn the_operators_routing_without_an_experiment_still_reads() {
        let json = r#"{"defaultVersion": "fp32", "routes": [{"version": "fp32", "weight": 100}]}"#;
        let routing: ModelRouting = serde_json::from_str(json).expect("parse");
        assert_eq!(routing.experiment, None);
        assert_eq!(
            routing.route_for(Uuid::nil()).map(|r| r.version.as_str()),
            Some("fp32")
        );
    }
}
