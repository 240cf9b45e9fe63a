//! Deletion: Kubernetes removes the children through their owner references; what it
//! would not decide well is the data. The finalizer keeps the promise of
//! `spec.postgres.deletionPolicy`: `Retain` keeps the PostgreSQL volume and the Secret with
//! its password (re-creating the FinanceTracker finds both), `Delete` removes the volume.
//! Redis volumes always go: nothing in Redis is the only copy.

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Secret};
use kube::ResourceExt;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::events::EventType;
use serde_json::json;

use super::names::{Component, Names};
use super::reconcile::{FINALIZER, list_claims, patch_finalizers, publish};
use super::volumes::Claim;
use crate::controller::Context;
use crate::crd::FinanceTracker;
use crate::crd::finance_tracker::{DeletionPolicy, StoreMode};
use crate::error::ReconcileError;

/// What to do with the volumes and the password Secret of a deleted FinanceTracker.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleanup {
    pub delete_claims: Vec<String>,
    pub keep_claims: Vec<String>,
    /// Detach the PostgreSQL Secret from its owner so it outlives the FinanceTracker.
    pub keep_secret: bool,
}

/// Pure: the cleanup for `policy`, given the claims that exist.
pub fn plan(policy: DeletionPolicy, postgres: StoreMode, claims: &[Claim]) -> Cleanup {
    let mut cleanup = Cleanup::default();
    for Claim {
        name, component, ..
    } in claims
    {
        let keep = component == Component::Postgres.as_str() && policy == DeletionPolicy::Retain;
        if keep {
            cleanup.keep_claims.push(name.clone());
        } else {
            cleanup.delete_claims.push(name.clone());
        }
    }
    cleanup.keep_secret = policy == DeletionPolicy::Retain
        && (postgres == StoreMode::Managed || !cleanup.keep_claims.is_empty());
    cleanup
}

pub async fn finalize(ft: &FinanceTracker, ctx: &Context) -> Result<Action, ReconcileError> {
    if !ft.finalizers().iter().any(|f| f == FINALIZER) {
        return Ok(Action::await_change());
    }
    let names = Names::new(ft);
    let claims_api: Api<PersistentVolumeClaim> =
        Api::namespaced(ctx.client.clone(), &names.namespace);
    let claims = list_claims(ctx, &names).await?;
    let cleanup = plan(
        ft.spec.postgres.deletion_policy,
        ft.spec.postgres.mode,
        &claims,
    );

    for claim in &cleanup.delete_claims {
        match claims_api.delete(claim, &DeleteParams::default()).await {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.code == 404 => {}
            Err(e) => {
                return Err(ReconcileError::kube(
                    format!("delete PersistentVolumeClaim {claim}"),
                    e,
                ));
            }
        }
    }
    let secret = names.postgres_secret();
    if cleanup.keep_secret {
        let secrets: Api<Secret> = Api::namespaced(ctx.client.clone(), &names.namespace);
        let detach = json!({"metadata": {"ownerReferences": null}});
        match secrets
            .patch(&secret, &PatchParams::default(), &Patch::Merge(&detach))
            .await
        {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.code == 404 => {}
            Err(e) => return Err(ReconcileError::kube(format!("keep Secret {secret}"), e)),
        }
    }
    let kept = if cleanup.keep_claims.is_empty() {
        String::new()
    } else {
        format!(
            "PersistentVolumeClaim {} and ",
            cleanup.keep_claims.join(", ")
        )
    };
    if cleanup.keep_secret {
        publish(
            ctx,
            ft,
            EventType::Normal,
            "DataRetained",
            format!(
                "kept {kept}Secret {secret} (deletionPolicy Retain): a FinanceTracker named {} in \
                 this namespace will use them again; delete them to drop the data",
                names.instance
            ),
        )
        .await;
    }
    if !cleanup.delete_claims.is_empty() {
        publish(
            ctx,
            ft,
            EventType::Normal,
            "DataDeleted",
            format!(
                "deleted PersistentVolumeClaim {}",
                cleanup.delete_claims.join(", ")
            ),
        )
        .await;
    }
    let finalizers = ft
        .finalizers()
        .iter()
        .filter(|f| *f != FINALIZER)
        .cloned()
        .collect();
    patch_finalizers(ft, ctx, finalizers).await?;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Vec<Claim> {
        let claim = |name: &str, component: &str| Claim {
            name: name.to_owned(),
            component: component.to_owned(),
            size: Some("1Gi".to_owned()),
            storage_class: None,
        };
        vec![
            claim("data-home-postgres-0", "postgres"),
            claim("data-home-redis-0", "redis"),
        ]
    }

    #[test]
    fn retain_keeps_the_database_volume_and_its_password_and_drops_redis() {
        let c = plan(DeletionPolicy::Retain, StoreMode::Managed, &claims());
        assert_eq!(c.keep_claims, ["data-home-postgres-0"]);
        assert_eq!(c.delete_claims, ["data-home-redis-0"]);
        assert!(c.keep_secret);
    }

    #[test]
    fn delete_removes_every_volume() {
        let c = plan(DeletionPolicy::Delete, StoreMode::Managed, &claims());
        assert!(c.keep_claims.is_empty());
        assert_eq!(c.delete_claims.len(), 2);
        assert!(!c.keep_secret);
    }

    #[test]
    fn an_external_database_has_no_volume_or_password_of_ours_to_keep() {
        let c = plan(DeletionPolicy::Retain, StoreMode::External, &[]);
        assert_eq!(c, Cleanup::default());
    }
}
