//! The FinanceTracker controller loop: what a user sees happen after `kubectl apply`.

use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim, Secret, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::ResourceExt;
use kube::api::{Api, ListParams, Patch, PatchParams};
use operator::crd::finance_tracker::{DeletionPolicy, Phase, SecretKeyRef, StoreMode};
use operator::crd::{FinanceTracker, FinanceTrackerSpec};
use serde_json::json;

use crate::harness::{NAMESPACE, Running, eventually, secret_source};

#[tokio::test]
async fn creating_a_finance_tracker_creates_every_part_owned_by_it() {
    let op = Running::start().await;
    let ft = op.create("home", FinanceTrackerSpec::default()).await;
    let uid = ft.uid().expect("uid");

    let sets = eventually("both StatefulSets exist", || async {
        let sets = op
            .api::<StatefulSet>()
            .list(&ListParams::default())
            .await
            .ok()?
            .items;
        (sets.len() == 2).then_some(sets)
    })
    .await;
    let mut names: Vec<String> = sets.iter().map(ResourceExt::name_any).collect();
    names.sort();
    assert_eq!(names, ["home-postgres", "home-redis"]);
    let deployments = op
        .api::<Deployment>()
        .list(&ListParams::default())
        .await
        .expect("list")
        .items;
    let mut names: Vec<String> = deployments.iter().map(ResourceExt::name_any).collect();
    names.sort();
    assert_eq!(
        names,
        ["home-ml-worker", "home-web"],
        "no API pod before its migration"
    );
    let services = op
        .api::<Service>()
        .list(&ListParams::default())
        .await
        .expect("list")
        .items;
    assert_eq!(services.len(), 5);
    let secrets = op
        .api::<Secret>()
        .list(&ListParams::default())
        .await
        .expect("list")
        .items;
    assert_eq!(secrets.len(), 3);
    let config_maps = op
        .api::<ConfigMap>()
        .list(&ListParams::default())
        .await
        .expect("list")
        .items;
    assert_eq!(config_maps.len(), 2);
    for owned in sets
        .iter()
        .map(|s| &s.metadata)
        .chain(deployments.iter().map(|d| &d.metadata))
        .chain(
            secrets
                .iter()
                .filter(|s| s.name_any() != "home-postgres")
                .map(|s| &s.metadata),
        )
    {
        let owner = &owned.owner_references.as_ref().expect("owner")[0];
        assert_eq!(
            (owner.kind.as_str(), owner.uid.as_str(), owner.controller),
            ("FinanceTracker", uid.as_str(), Some(true))
        );
    }
    op.stop().await;
}

#[tokio::test]
async fn the_api_starts_only_after_the_migration_job_of_its_image_succeeds() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.stores_created().await;
    let waiting = eventually("the status waits for PostgreSQL", || async {
        let condition = progressing(&op.finance_tracker("home").await?)?;
        condition
            .message
            .contains("PostgreSQL")
            .then_some(condition)
    })
    .await;
    assert_eq!(waiting.status, "True");
    assert!(
        op.api::<Job>()
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );

    op.stateful_sets_ready().await;
    let job = op.migration_job().await;
    let container = &job
        .spec
        .as_ref()
        .expect("spec")
        .template
        .spec
        .as_ref()
        .expect("pod")
        .containers[0];
    assert_eq!(container.args.as_deref(), Some(&["migrate".to_owned()][..]));
    let image = container.image.clone().expect("image");
    assert!(
        op.api::<Deployment>()
            .get_opt("home-api")
            .await
            .expect("get")
            .is_none()
    );

    op.jobs_finish("Complete").await;
    let api = eventually("the API Deployment exists", || async {
        op.api::<Deployment>().get_opt("home-api").await.ok()?
    })
    .await;
    let pod = api.spec.expect("spec").template.spec.expect("pod");
    assert_eq!(pod.containers[0].image.as_deref(), Some(image.as_str()));
    let status = eventually("the status records the migration", || async {
        let status = op.finance_tracker("home").await?.status?;
        status.migrated_image.is_some().then_some(status)
    })
    .await;
    assert_eq!(status.migrated_image.as_deref(), Some(image.as_str()));

    op.deployments_ready().await;
    let ready = eventually("the FinanceTracker is Ready", || async {
        let status = op.finance_tracker("home").await?.status?;
        (status.phase? == Phase::Ready).then_some(status)
    })
    .await;
    assert_eq!(ready.ready_components.as_deref(), Some("5/5"));
    op.stop().await;
}

#[tokio::test]
async fn a_failed_migration_is_degraded_and_keeps_the_api_away() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.stores_created().await;
    op.stateful_sets_ready().await;
    op.migration_job().await;
    op.jobs_finish("Failed").await;
    let degraded = eventually("the FinanceTracker is Degraded", || async {
        let ft = op.finance_tracker("home").await?;
        let d = condition(&ft, "Degraded")?;
        (d.status == "True").then_some(d)
    })
    .await;
    assert_eq!(degraded.reason, "MigrationFailed");
    assert!(
        degraded.message.contains("kubectl logs job/home-migrate-"),
        "{}",
        degraded.message
    );
    assert!(
        op.api::<Deployment>()
            .get_opt("home-api")
            .await
            .expect("get")
            .is_none()
    );
    op.stop().await;
}

#[tokio::test]
async fn a_deleted_child_is_recreated() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    let before = op.api::<Deployment>().get("home-web").await.expect("web");
    op.api::<Deployment>()
        .delete("home-web", &kube::api::DeleteParams::default())
        .await
        .expect("delete");
    let after = eventually("the web Deployment is back", || async {
        op.api::<Deployment>().get_opt("home-web").await.ok()?
    })
    .await;
    assert_ne!(before.uid(), after.uid(), "a new object");
    assert_eq!(before.spec, after.spec);
    op.stop().await;
}

#[tokio::test]
async fn a_child_changed_by_hand_is_put_back() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    let scale = json!({"spec": {"replicas": 5}});
    op.api::<Deployment>()
        .patch("home-api", &PatchParams::default(), &Patch::Merge(&scale))
        .await
        .expect("scale by hand");
    eventually("the API is back at the spec's two replicas", || async {
        let d = op.api::<Deployment>().get("home-api").await.ok()?;
        (d.spec?.replicas == Some(2)).then_some(())
    })
    .await;
    op.stop().await;
}

#[tokio::test]
async fn a_spec_change_rolls_only_the_deployment_it_concerns() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    op.cluster.clear_calls();
    let patch = json!({"spec": {"mlWorker": {"modelVersion": "minilm-l6-v2-fp32"}}});
    op.api::<FinanceTracker>()
        .patch("home", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch");
    let env = eventually("the ML worker serves the new version", || async {
        let d = op.api::<Deployment>().get("home-ml-worker").await.ok()?;
        let env = d.spec?.template.spec?.containers[0].env.clone()?;
        env.iter()
            .any(|e| e.name == "MODEL_VERSION" && e.value.as_deref() == Some("minilm-l6-v2-fp32"))
            .then_some(env)
    })
    .await;
    assert!(!env.is_empty());
    eventually("the status names the new model", || async {
        let status = op.finance_tracker("home").await?.status?;
        (status.active_model_version.as_deref() == Some("minilm-l6-v2-fp32")).then_some(())
    })
    .await;
    let children: Vec<String> = op
        .cluster
        .writes()
        .into_iter()
        .filter(|w| !w.path.contains("financetrackers") && !w.path.contains("/events"))
        .map(|w| w.path)
        .collect();
    let routing = format!("/api/v1/namespaces/{NAMESPACE}/configmaps/home-ml-routing");
    let worker = format!("/apis/apps/v1/namespaces/{NAMESPACE}/deployments/home-ml-worker");
    assert_eq!(
        children,
        [routing, worker],
        "only the routing table and the ML worker change"
    );
    op.stop().await;
}

#[tokio::test]
async fn an_idle_operator_reconciles_rarely_and_writes_nothing() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    // Let the last status write's own reconcile run, then watch an idle cluster.
    tokio::time::sleep(Duration::from_secs(2)).await;
    op.cluster.clear_calls();
    let before = op.reconciles();
    // bench/operator/run.sh measures for longer, over several resync periods.
    let idle: u64 = std::env::var("IDLE_SECONDS").map_or(10, |s| s.parse().expect("IDLE_SECONDS"));
    tokio::time::sleep(Duration::from_secs(idle)).await;
    let reconciles = op.reconciles() - before;
    let requests = op.cluster.requests().len();
    println!(
        "idle: {reconciles} reconciles, {requests} API requests, {} writes in {idle} s",
        op.cluster.writes().len()
    );
    let resync = operator::finance_tracker::reconcile::RESYNC.as_secs();
    assert!(
        reconciles <= idle.div_ceil(resync),
        "an idle platform is reconciled only by its resync every {resync} s: {reconciles} in {idle} s"
    );
    assert_eq!(op.cluster.writes(), [], "and nothing is written");

    // A reconcile with nothing to change (forced by a restart) writes nothing either.
    let cluster = op.stop().await;
    cluster.clear_calls();
    let op = Running::start_on(cluster);
    eventually("the restarted operator reconciled", || async {
        (op.reconciles() >= 1).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(op.cluster.writes(), [], "a no-op reconcile writes nothing");
    op.stop().await;
}

#[tokio::test]
async fn generated_secrets_keep_their_values_across_reconciles_and_restarts() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    let before = op
        .api::<Secret>()
        .get("home-postgres")
        .await
        .expect("secret")
        .data;
    let cluster = op.stop().await;
    let op = Running::start_on(cluster);
    let patch = json!({"spec": {"api": {"replicas": 3}}});
    op.api::<FinanceTracker>()
        .patch("home", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch");
    eventually("the API has three replicas", || async {
        let d = op.api::<Deployment>().get("home-api").await.ok()?;
        (d.spec?.replicas == Some(3)).then_some(())
    })
    .await;
    let after = op
        .api::<Secret>()
        .get("home-postgres")
        .await
        .expect("secret")
        .data;
    assert_eq!(
        before, after,
        "the database password never changes by itself"
    );
    op.stop().await;
}

#[tokio::test]
async fn switching_redis_to_external_removes_its_statefulset_and_uses_the_users_secret() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    op.user_secret("my-redis", "url", "redis://redis.example:6379")
        .await;
    let patch =
        json!({"spec": {"redis": {"mode": "External", "externalSecretRef": {"name": "my-redis"}}}});
    op.api::<FinanceTracker>()
        .patch("home", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch");
    eventually("the Redis StatefulSet is gone", || async {
        op.api::<StatefulSet>()
            .get_opt("home-redis")
            .await
            .ok()?
            .is_none()
            .then_some(())
    })
    .await;
    let api = op.api::<Deployment>().get("home-api").await.expect("api");
    let from = secret_source(&api.spec.expect("spec").template, "REDIS_URL");
    assert_eq!(from, ("my-redis".to_owned(), "url".to_owned()));
    assert!(
        op.api::<Service>()
            .get_opt("home-redis")
            .await
            .expect("get")
            .is_none()
    );
    assert!(
        op.api::<Secret>()
            .get_opt("home-redis")
            .await
            .expect("get")
            .is_some(),
        "generated Secrets are kept while the FinanceTracker exists"
    );
    op.stop().await;
}

#[tokio::test]
async fn an_invalid_spec_is_degraded_says_what_to_fix_and_applies_nothing() {
    let op = Running::start().await;
    let mut spec = FinanceTrackerSpec::default();
    spec.postgres.mode = StoreMode::External;
    op.create("home", spec).await;
    let degraded = eventually("the FinanceTracker is Degraded", || async {
        let ft = op.finance_tracker("home").await?;
        condition(&ft, "Degraded").filter(|c| c.status == "True")
    })
    .await;
    assert_eq!(degraded.reason, "InvalidSpec");
    assert!(
        degraded.message.contains(
            "spec.postgres.externalSecretRef: required when spec.postgres.mode is External"
        ),
        "{}",
        degraded.message
    );
    let ft = op.finance_tracker("home").await.expect("exists");
    assert_eq!(ft.status.expect("status").phase, Some(Phase::Degraded));
    tokio::time::sleep(Duration::from_secs(3)).await;
    for kind in [
        "deployments",
        "statefulsets",
        "services",
        "secrets",
        "configmaps",
    ] {
        assert!(
            !op.cluster
                .writes()
                .iter()
                .any(|w| w.path.contains(&format!("/{kind}/"))),
            "nothing is applied for an invalid spec ({kind})"
        );
    }
    assert!(
        op.reconciles() <= 4,
        "no hot loop: {} reconciles",
        op.reconciles()
    );
    let warning = eventually("a warning event says it", || async {
        let events: Api<k8s_openapi::api::events::v1::Event> = op.api();
        events
            .list(&ListParams::default())
            .await
            .ok()?
            .items
            .into_iter()
            .find(|e| e.reason.as_deref() == Some("InvalidSpec"))
    })
    .await;
    assert_eq!(warning.type_.as_deref(), Some("Warning"));
    assert!(warning.note.expect("note").contains("externalSecretRef"));
    op.stop().await;
}

#[tokio::test]
async fn a_missing_secret_is_named_and_the_platform_proceeds_once_it_exists() {
    let op = Running::start().await;
    let mut spec = FinanceTrackerSpec::default();
    spec.postgres.mode = StoreMode::External;
    spec.postgres.external_secret_ref = Some(SecretKeyRef {
        name: "household-db".to_owned(),
        key: "url".to_owned(),
    });
    op.create("home", spec).await;
    let degraded = eventually("the FinanceTracker is Degraded", || async {
        let ft = op.finance_tracker("home").await?;
        condition(&ft, "Degraded").filter(|c| c.status == "True")
    })
    .await;
    assert_eq!(degraded.reason, "MissingSecret");
    assert!(
        degraded
            .message
            .contains("Secret \"household-db\" not found in namespace \"money\""),
        "{}",
        degraded.message
    );
    assert!(
        op.api::<StatefulSet>()
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );

    op.user_secret("household-db", "url", "postgres://ft:pw@db.example:5432/ft")
        .await;
    // No managed PostgreSQL: the migration runs at once, so the API comes up without waiting.
    let job = eventually(
        "the migration Job exists (well before the 30 s recheck)",
        || async {
            op.api::<Job>()
                .list(&ListParams::default())
                .await
                .ok()?
                .items
                .into_iter()
                .next()
        },
    )
    .await;
    let from = secret_source(&job.spec.expect("spec").template, "DATABASE_URL");
    assert_eq!(from.0, "household-db");
    assert!(
        op.api::<StatefulSet>()
            .get_opt("home-postgres")
            .await
            .expect("get")
            .is_none()
    );
    op.stop().await;
}

#[tokio::test]
async fn deletion_keeps_the_database_volume_and_password_under_retain() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    op.delete("home").await;
    let claims = op
        .api::<PersistentVolumeClaim>()
        .list(&ListParams::default())
        .await
        .expect("list")
        .items;
    let names: Vec<String> = claims.iter().map(ResourceExt::name_any).collect();
    assert_eq!(
        names,
        ["data-home-postgres-0"],
        "the database volume stays, Redis's goes"
    );
    let secret = op
        .api::<Secret>()
        .get("home-postgres")
        .await
        .expect("the password Secret stays");
    assert!(
        secret
            .metadata
            .owner_references
            .unwrap_or_default()
            .is_empty()
    );
    assert!(
        op.api::<Deployment>()
            .get_opt("home-web")
            .await
            .expect("get")
            .is_none(),
        "the rest goes"
    );
    let events: Api<k8s_openapi::api::events::v1::Event> = op.api();
    let retained = events
        .list(&ListParams::default())
        .await
        .expect("events")
        .items
        .into_iter()
        .find(|e| e.reason.as_deref() == Some("DataRetained"))
        .expect("a DataRetained event");
    assert!(
        retained
            .note
            .expect("note")
            .contains("data-home-postgres-0")
    );

    // A FinanceTracker of the same name finds the same data and password again.
    op.create("home", FinanceTrackerSpec::default()).await;
    eventually("the database StatefulSet is back", || async {
        op.api::<StatefulSet>()
            .get_opt("home-postgres")
            .await
            .ok()?
    })
    .await;
    let again = op
        .api::<Secret>()
        .get("home-postgres")
        .await
        .expect("secret");
    assert_eq!(
        again.data, secret.data,
        "the same password as the retained data"
    );
    op.stop().await;
}

#[tokio::test]
async fn switching_to_retain_frees_the_database_password_from_its_owner() {
    let op = Running::start().await;
    let mut spec = FinanceTrackerSpec::default();
    spec.postgres.deletion_policy = DeletionPolicy::Delete;
    op.create("home", spec).await;
    op.bring_up("home").await;
    let owned = op
        .api::<Secret>()
        .get("home-postgres")
        .await
        .expect("secret");
    assert_eq!(owned.metadata.owner_references.map(|o| o.len()), Some(1));
    let retain = json!({"spec": {"postgres": {"deletionPolicy": "Retain"}}});
    op.api::<FinanceTracker>()
        .patch("home", &PatchParams::default(), &Patch::Merge(&retain))
        .await
        .expect("patch");
    eventually("the password Secret has no owner", || async {
        let secret = op.api::<Secret>().get("home-postgres").await.ok()?;
        secret
            .metadata
            .owner_references
            .unwrap_or_default()
            .is_empty()
            .then_some(())
    })
    .await;
    op.stop().await;
}

#[tokio::test]
async fn a_database_whose_password_was_deleted_is_not_given_a_new_one() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    op.api::<Secret>()
        .delete("home-postgres", &kube::api::DeleteParams::default())
        .await
        .expect("delete the password by mistake");
    let degraded = eventually("the FinanceTracker is Degraded", || async {
        let ft = op.finance_tracker("home").await?;
        condition(&ft, "Degraded").filter(|c| c.status == "True")
    })
    .await;
    assert!(
        degraded
            .message
            .contains("the database password is gone but its volume data-home-postgres-0"),
        "{}",
        degraded.message
    );
    assert!(
        op.api::<Secret>()
            .get_opt("home-postgres")
            .await
            .expect("get")
            .is_none(),
        "no new password"
    );
    op.stop().await;
}

#[tokio::test]
async fn a_bigger_database_volume_is_asked_for_on_its_claim_and_a_smaller_one_refused() {
    let op = Running::start().await;
    op.create("home", FinanceTrackerSpec::default()).await;
    op.bring_up("home").await;
    let grow = json!({"spec": {"postgres": {"storage": {"size": "20Gi"}}}});
    op.api::<FinanceTracker>()
        .patch("home", &PatchParams::default(), &Patch::Merge(&grow))
        .await
        .expect("patch");
    eventually("the claim asks for 20Gi", || async {
        let claim = op
            .api::<PersistentVolumeClaim>()
            .get("data-home-postgres-0")
            .await
            .ok()?;
        let size = claim.spec?.resources?.requests?.get("storage")?.0.clone();
        (size == "20Gi").then_some(())
    })
    .await;
    let set = op
        .api::<StatefulSet>()
        .get("home-postgres")
        .await
        .expect("sts");
    let template = &set
        .spec
        .expect("spec")
        .volume_claim_templates
        .expect("templates")[0];
    let size = template.spec.as_ref().and_then(|s| {
        s.resources
            .as_ref()?
            .requests
            .as_ref()?
            .get("storage")
            .cloned()
    });
    assert_eq!(
        size.map(|q| q.0).as_deref(),
        Some("10Gi"),
        "the template, immutable, is left as it was"
    );
    let ft = op.finance_tracker("home").await.expect("ft");
    assert_ne!(
        condition(&ft, "Degraded").map(|c| c.status).as_deref(),
        Some("True")
    );

    let shrink = json!({"spec": {"postgres": {"storage": {"size": "5Gi"}}}});
    op.api::<FinanceTracker>()
        .patch("home", &PatchParams::default(), &Patch::Merge(&shrink))
        .await
        .expect("patch");
    let degraded = eventually("a smaller size is refused", || async {
        let ft = op.finance_tracker("home").await?;
        condition(&ft, "Degraded").filter(|c| c.status == "True")
    })
    .await;
    assert!(
        degraded
            .message
            .contains("a volume cannot shrink: data-home-postgres-0 has 20Gi"),
        "{}",
        degraded.message
    );
    op.stop().await;
}

#[tokio::test]
async fn deletion_removes_the_database_volume_under_delete() {
    let op = Running::start().await;
    let mut spec = FinanceTrackerSpec::default();
    spec.postgres.deletion_policy = DeletionPolicy::Delete;
    op.create("home", spec).await;
    op.bring_up("home").await;
    op.delete("home").await;
    let claims = op
        .api::<PersistentVolumeClaim>()
        .list(&ListParams::default())
        .await
        .expect("list")
        .items;
    assert!(claims.is_empty(), "{claims:?}");
    assert!(
        op.api::<Secret>()
            .get_opt("home-postgres")
            .await
            .expect("get")
            .is_none()
    );
    op.stop().await;
}

fn condition(ft: &FinanceTracker, type_: &str) -> Option<Condition> {
    ft.status
        .as_ref()?
        .conditions
        .iter()
        .find(|c| c.type_ == type_)
        .cloned()
}

fn progressing(ft: &FinanceTracker) -> Option<Condition> {
    condition(ft, "Progressing")
}
