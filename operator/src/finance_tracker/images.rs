//! Image references of every component: the spec's overrides over `spec.images` (our own
//! images) or over the pinned defaults (PostgreSQL, Redis).

use crate::crd::finance_tracker::{FinanceTrackerSpec, ImageOverride, OPERATOR_VERSION};

const POSTGRES: (&str, &str, &str) = ("docker.io/library", "postgres", "17.6-alpine");
const REDIS: (&str, &str, &str) = ("docker.io/library", "redis", "7.4.2-alpine");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Images {
    pub api: String,
    pub ml_worker: String,
    pub web: String,
    pub postgres: String,
    pub redis: String,
    pub pull_policy: &'static str,
}

/// Pure: every component's image; our own default to the running operator's version.
pub fn resolve(spec: &FinanceTrackerSpec) -> Images {
    let tag = spec.images.tag.as_deref().unwrap_or(OPERATOR_VERSION);
    let ours = |over: Option<&ImageOverride>, repository: &str| {
        reference(over, &spec.images.registry, repository, tag)
    };
    let theirs = |over: Option<&ImageOverride>, (registry, repository, tag): (&str, &str, &str)| {
        reference(over, registry, repository, tag)
    };
    Images {
        api: ours(spec.api.image.as_ref(), "financetracker-api"),
        ml_worker: ours(spec.ml_worker.image.as_ref(), "financetracker-ml-worker"),
        web: ours(spec.web.image.as_ref(), "financetracker-web"),
        postgres: theirs(spec.postgres.image.as_ref(), POSTGRES),
        redis: theirs(spec.redis.image.as_ref(), REDIS),
        pull_policy: spec.images.pull_policy.as_str(),
    }
}

fn reference(over: Option<&ImageOverride>, registry: &str, repository: &str, tag: &str) -> String {
    let over = over.cloned().unwrap_or_default();
    let registry = over.registry.as_deref().unwrap_or(registry);
    let repository = over.repository.as_deref().unwrap_or(repository);
    let tag = over.tag.as_deref().unwrap_or(tag);
    format!("{}/{repository}:{tag}", registry.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_images_follow_the_shared_registry_and_tag_and_overrides_win_per_part() {
        let mut spec = FinanceTrackerSpec::default();
        spec.images.registry = "registry.example.com/ft/".to_owned();
        spec.images.tag = Some("1.2.3".to_owned());
        spec.ml_worker.image = Some(ImageOverride {
            tag: Some("1.2.4-rc1".to_owned()),
            ..ImageOverride::default()
        });
        spec.postgres.image = Some(ImageOverride {
            registry: Some("mirror.example.com".to_owned()),
            ..ImageOverride::default()
        });
        let images = resolve(&spec);
        assert_eq!(
            images.api,
            "registry.example.com/ft/financetracker-api:1.2.3"
        );
        assert_eq!(
            images.ml_worker,
            "registry.example.com/ft/financetracker-ml-worker:1.2.4-rc1"
        );
        assert_eq!(images.postgres, "mirror.example.com/postgres:17.6-alpine");
        assert_eq!(images.redis, "docker.io/library/redis:7.4.2-alpine");
        assert_eq!(images.pull_policy, "IfNotPresent");
    }

    #[test]
    fn an_unset_tag_follows_the_operator_so_upgrading_it_moves_the_images() {
        let images = resolve(&FinanceTrackerSpec::default());
        assert_eq!(
            images.web,
            format!("ghcr.io/financetracker/financetracker-web:{OPERATOR_VERSION}")
        );
        // What the API server stores for a FinanceTracker applied without a tag: no tag,
        // so a newer operator reading the same object resolves its own version.
        let stored = serde_json::to_value(FinanceTrackerSpec::default()).expect("serialise");
        assert_eq!(stored["images"].get("tag"), None, "{stored}");
        let crd = crate::crd::to_yaml();
        assert!(
            !crd.contains(&format!("default: {OPERATOR_VERSION}"))
                && !crd.contains(&format!("tag: {OPERATOR_VERSION}")),
            "the CRD pins no version as a default: {crd}"
        );
    }
}
