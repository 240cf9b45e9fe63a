//! The data volumes of the managed stores. A StatefulSet's claim template cannot change,
//! so a bigger `storage.size` is applied to the claim itself (the storage class must allow
//! expansion), a smaller one or another storage class is refused, and a volume whose
//! password Secret is gone is not given a new password that could not open it.

use super::names::{Component, Names};
use super::validate::{Problem, quantity_value};
use crate::crd::FinanceTrackerSpec;
use crate::crd::finance_tracker::{StorageSpec, StoreMode};

/// A PersistentVolumeClaim of this instance, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    /// Its `app.kubernetes.io/component` label.
    pub component: String,
    /// The storage it requests.
    pub size: Option<String>,
    pub storage_class: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VolumePlan {
    /// Claims to grow: (claim name, new size).
    pub grow: Vec<(String, String)>,
    pub problems: Vec<Problem>,
}

/// The claim a StatefulSet's `data` template makes for its pod 0.
pub fn claim_name(names: &Names, component: Component) -> String {
    format!("data-{}-0", names.of(component))
}

/// Pure: what the spec's storage means for the volumes that exist.
pub fn plan(spec: &FinanceTrackerSpec, names: &Names, claims: &[Claim]) -> VolumePlan {
    let mut plan = VolumePlan::default();
    for (store, component, mode, storage) in [
        (
            "postgres",
            Component::Postgres,
            spec.postgres.mode,
            &spec.postgres.storage,
        ),
        (
            "redis",
            Component::Redis,
            spec.redis.mode,
            &spec.redis.storage,
        ),
    ] {
        let name = claim_name(names, component);
        let Some(claim) = claims.iter().find(|c| c.name == name) else {
            continue;
        };
        if mode != StoreMode::Managed {
            continue;
        }
        check(store, storage, claim, &mut plan);
    }
    plan
}

fn check(store: &str, storage: &StorageSpec, claim: &Claim, plan: &mut VolumePlan) {
    if let (Some(wanted), Some(class)) = (&storage.storage_class_name, &claim.storage_class)
        && wanted != class
    {
        plan.problems.push(Problem {
            field: format!("spec.{store}.storage.storageClassName"),
            message: format!(
                "cannot change once the volume exists: {} has storage class {class:?}",
                claim.name
            ),
        });
    }
    let wanted = quantity_value(&storage.size.0);
    let has = claim.size.as_deref().and_then(quantity_value);
    match (wanted, has) {
        (Some(wanted), Some(has)) if wanted < has => plan.problems.push(Problem {
            field: format!("spec.{store}.storage.size"),
            message: format!(
                "a volume cannot shrink: {} has {}; ask for that much or more",
                claim.name,
                claim.size.as_deref().unwrap_or_default()
            ),
        }),
        (Some(wanted), Some(has)) if wanted > has => {
            plan.grow.push((claim.name.clone(), storage.size.0.clone()));
        }
        _ => {}
    }
}

/// Pure: the problem of a managed database whose password Secret is gone while its volume
/// stays. A new password could not open the data, so nothing is generated.
pub fn lost_password(
    spec: &FinanceTrackerSpec,
    names: &Names,
    claims: &[Claim],
    password_exists: bool,
) -> Option<Problem> {
    let claim = claim_name(names, Component::Postgres);
    let has_volume = claims.iter().any(|c| c.name == claim);
    (spec.postgres.mode == StoreMode::Managed && has_volume && !password_exists).then(|| Problem {
        field: format!("Secret {}", names.postgres_secret()),
        message: format!(
            "the database password is gone but its volume {claim} still holds the data: restore \
             the Secret (keys password and url) from a backup, or delete the volume claim to \
             start over with an empty database"
        ),
    })
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    use super::*;
    use crate::crd::FinanceTracker;

    fn names() -> Names {
        Names::new(&FinanceTracker::stored(
            "home",
            FinanceTrackerSpec::default(),
        ))
    }

    fn claim(size: &str, class: Option<&str>) -> Claim {
        Claim {
            name: "data-home-postgres-0".to_owned(),
            component: "postgres".to_owned(),
            size: Some(size.to_owned()),
            storage_class: class.map(str::to_owned),
        }
    }

    fn spec(size: &str, class: Option<&str>) -> FinanceTrackerSpec {
        let mut spec = FinanceTrackerSpec::default();
        spec.postgres.storage.size = Quantity(size.to_owned());
        spec.postgres.storage.storage_class_name = class.map(str::to_owned);
        spec
    }

    #[test]
    fn a_bigger_size_grows_the_claim_and_an_equal_one_does_nothing() {
        let grown = plan(
            &spec("20Gi", None),
            &names(),
            &[claim("10Gi", Some("fast"))],
        );
        assert_eq!(
            grown.grow,
            [("data-home-postgres-0".to_owned(), "20Gi".to_owned())]
        );
        assert!(grown.problems.is_empty());
        let same = plan(&spec("10240Mi", None), &names(), &[claim("10Gi", None)]);
        assert_eq!(same, VolumePlan::default());
    }

    #[test]
    fn a_smaller_size_or_another_class_is_refused() {
        let shrunk = plan(&spec("5Gi", None), &names(), &[claim("10Gi", None)]);
        assert!(shrunk.grow.is_empty());
        assert_eq!(shrunk.problems[0].field, "spec.postgres.storage.size");
        assert!(
            shrunk.problems[0].message.contains("has 10Gi"),
            "{}",
            shrunk.problems[0]
        );
        let moved = plan(
            &spec("10Gi", Some("slow")),
            &names(),
            &[claim("10Gi", Some("fast"))],
        );
        assert_eq!(
            moved.problems[0].field,
            "spec.postgres.storage.storageClassName"
        );
    }

    #[test]
    fn a_volume_without_its_password_is_never_given_a_new_one() {
        let spec = FinanceTrackerSpec::default();
        let claims = [claim("10Gi", None)];
        assert!(lost_password(&spec, &names(), &claims, false).is_some());
        assert!(lost_password(&spec, &names(), &claims, true).is_none());
        assert!(
            lost_password(&spec, &names(), &[], false).is_none(),
            "a first install"
        );
    }
}
