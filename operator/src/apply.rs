//! Apply: the write step. Each desired child goes to the API server by server-side apply
//! with one field manager, forcing ownership of the fields we set, and only when the live
//! object does not already hold every field we want: an idle platform costs no writes.

use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PropagationPolicy};
use kube::core::{DynamicObject, TypeMeta};
use kube::{Client, ResourceExt};
use serde_json::Value;

use crate::child::{Child, Kind};
use crate::error::ReconcileError;
use crate::finance_tracker::validate::quantity_value;

/// Pure: whether `live` already holds every field of `desired` with the same value. Maps may
/// hold more keys (defaults the API server filled in); lists must match item by item. An
/// empty list or map is held by an absent field: the API server does not store empty ones.
/// Quantities (resource requests and limits, size limits) compare by value: the API server
/// stores `0.5` as `500m`, and a string comparison would re-apply on every reconcile.
pub fn holds(live: &Value, desired: &Value) -> bool {
    holds_at(live, desired, false)
}

/// The fields whose values (or whose map's values) are quantities.
const QUANTITY_FIELDS: [&str; 3] = ["requests", "limits", "sizeLimit"];

fn holds_at(live: &Value, desired: &Value, quantities: bool) -> bool {
    let empty = |v: &Value| match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    match (live, desired) {
        (Value::Object(live), Value::Object(desired)) => {
            desired.iter().all(|(key, want)| match live.get(key) {
                Some(have) => holds_at(
                    have,
                    want,
                    quantities || QUANTITY_FIELDS.contains(&key.as_str()),
                ),
                None => empty(want),
            })
        }
        (Value::Array(live), Value::Array(desired)) => {
            live.len() == desired.len()
                && live
                    .iter()
                    .zip(desired)
                    .all(|(h, w)| holds_at(h, w, quantities))
        }
        (Value::Number(live), Value::Number(desired)) => live.as_f64() == desired.as_f64(),
        (Value::String(live), Value::String(desired)) if quantities && live != desired => {
            same_quantity(live, desired)
        }
        (live, desired) => live == desired,
    }
}

/// Pure: whether two quantity strings have one value (`1Gi` and `1024Mi`, `0.5` and `500m`).
fn same_quantity(a: &str, b: &str) -> bool {
    match (quantity_value(a), quantity_value(b)) {
        (Some(a), Some(b)) => (a - b).abs() <= f64::EPSILON * a.abs().max(b.abs()) * 4.0,
        _ => false,
    }
}

/// Pure: `desired` with the fields Kubernetes does not let change taken from `live`: a
/// StatefulSet's volume claim templates (a bigger volume is asked for on the claim itself,
/// see `finance_tracker::volumes`).
pub fn keep_immutable(desired: &Child, live: &DynamicObject) -> Child {
    let mut child = desired.clone();
    if child.kind == Kind::StatefulSet
        && let Some(templates) = live.data.pointer("/spec/volumeClaimTemplates")
    {
        child.object["spec"]["volumeClaimTemplates"] = templates.clone();
    }
    child
}

/// The API of `kind` in `namespace`.
pub fn api(client: &Client, kind: Kind, namespace: &str) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), namespace, &kind.api_resource())
}

/// Server-side applies `child` as `manager`, forcing ownership of its fields.
pub async fn apply(
    client: &Client,
    namespace: &str,
    manager: &str,
    child: &Child,
) -> Result<DynamicObject, ReconcileError> {
    api(client, child.kind, namespace)
        .patch(
            &child.name,
            &PatchParams::apply(manager).force(),
            &Patch::Apply(&child.object),
        )
        .await
        .map_err(|source| {
            ReconcileError::kube(
                format!("apply {} {}", child.kind.name(), child.name),
                source,
            )
        })
}

/// Every object of `kind` in `namespace` matching `selector`, each with its type set: an
/// API server leaves `apiVersion` and `kind` off list items, and a built child has them.
pub async fn list(
    client: &Client,
    kind: Kind,
    namespace: &str,
    selector: &str,
) -> Result<Vec<DynamicObject>, ReconcileError> {
    let resource = kind.api_resource();
    let types = TypeMeta {
        api_version: resource.api_version.clone(),
        kind: resource.kind.clone(),
    };
    api(client, kind, namespace)
        .list(&ListParams::default().labels(selector))
        .await
        .map(|list| {
            list.items
                .into_iter()
                .map(|object| DynamicObject {
                    types: Some(types.clone()),
                    ..object
                })
                .collect()
        })
        .map_err(|source| ReconcileError::kube(format!("list {}s", kind.name()), source))
}

/// Deletes `name` and, in the background, what it owns (a Job's pods, a Deployment's
/// ReplicaSets). An object already gone counts as deleted.
pub async fn delete(
    client: &Client,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<(), ReconcileError> {
    let params = DeleteParams {
        propagation_policy: Some(PropagationPolicy::Background),
        ..DeleteParams::default()
    };
    match api(client, kind, namespace).delete(name, &params).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(()),
        Err(source) => Err(ReconcileError::kube(
            format!("delete {} {name}", kind.name()),
            source,
        )),
    }
}

/// The live object of `child`, if `observed` has it.
pub fn find<'a>(
    observed: &'a [(Kind, DynamicObject)],
    kind: Kind,
    name: &str,
) -> Option<&'a DynamicObject> {
    observed
        .iter()
        .find(|(k, o)| *k == kind && o.name_any() == name)
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::{holds, keep_immutable};
    use crate::child::{Child, Kind};
    use kube::core::DynamicObject;
    use serde_json::json;

    #[test]
    fn a_statefulsets_claim_templates_stay_as_they_were_created() {
        let desired = Child {
            kind: Kind::StatefulSet,
            name: "home-postgres".to_owned(),
            object: json!({"spec": {"replicas": 1, "volumeClaimTemplates": [{"spec": {"resources": {"requests": {"storage": "20Gi"}}}}]}}),
        };
        let live: DynamicObject = serde_json::from_value(json!({
            "metadata": {"name": "home-postgres"},
            "spec": {"replicas": 1, "volumeClaimTemplates": [{"spec": {"resources": {"requests": {"storage": "10Gi"}}}}]}
        }))
        .expect("object");
        let kept = keep_immutable(&desired, &live);
        assert_eq!(
            kept.object["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
            "10Gi"
        );
        let deployment = Child {
            kind: Kind::Deployment,
            ..desired.clone()
        };
        assert_eq!(
            keep_immutable(&deployment, &live),
            deployment,
            "other kinds are left alone"
        );
    }

    #[test]
    fn a_live_object_with_extra_defaults_holds_what_we_want() {
        let live = json!({"spec": {"replicas": 2, "strategy": {"type": "RollingUpdate"},
                          "template": {"containers": [{"name": "api", "image": "a:1", "terminationMessagePath": "/dev/x"}]}}});
        let want = json!({"spec": {"replicas": 2, "template": {"containers": [{"name": "api", "image": "a:1"}]}}});
        assert!(holds(&live, &want));
    }

    #[test]
    fn a_changed_value_a_missing_field_or_another_list_does_not() {
        let live = json!({"spec": {"replicas": 2, "ports": [{"port": 80}, {"port": 81}]}});
        assert!(!holds(&live, &json!({"spec": {"replicas": 3}})));
        assert!(!holds(&live, &json!({"spec": {"paused": false}})));
        assert!(!holds(&live, &json!({"spec": {"ports": [{"port": 80}]}})));
        assert!(holds(
            &live,
            &json!({"spec": {"ports": [{"port": 80}, {"port": 81}]}})
        ));
        assert!(holds(&json!({"n": 1.0}), &json!({"n": 1})));
        assert!(holds(
            &json!({"metadata": {}}),
            &json!({"metadata": {"ownerReferences": []}})
        ));
        assert!(!holds(
            &json!({"metadata": {"ownerReferences": [{"uid": "u"}]}}),
            &json!({"metadata": {"ownerReferences": []}})
        ));
    }

    #[test]
    fn quantities_compare_by_value_and_nothing_else_does() {
        // What the API server stores for `cpu: 0.5, memory: 1024Mi` and a 1Gi size limit.
        let live = json!({"resources": {"requests": {"cpu": "500m", "memory": "1Gi"},
                                        "limits": {"memory": "2Gi"}},
                          "emptyDir": {"sizeLimit": "256Mi"},
                          "env": [{"name": "RATIO", "value": "0.5"}]});
        assert!(holds(
            &live,
            &json!({"resources": {"requests": {"cpu": "0.5", "memory": "1024Mi"},
                                  "limits": {"memory": "2048Mi"}},
                    "emptyDir": {"sizeLimit": "0.25Gi"}})
        ));
        for changed in [
            json!({"resources": {"requests": {"cpu": "0.6"}}}),
            json!({"resources": {"limits": {"memory": "2G"}}}),
            json!({"emptyDir": {"sizeLimit": "not a quantity"}}),
        ] {
            assert!(!holds(&live, &changed), "{changed}");
        }
        // Elsewhere a string is a string: an environment value of 500m is not 0.5.
        assert!(!holds(
            &live,
            &json!({"env": [{"name": "RATIO", "value": "500m"}]})
        ));
    }
}
