//! The real operator binary, against the fake API server over HTTP: it manages a
//! FinanceTracker, reports readiness and metrics, elects one leader among replicas, and
//! stops cleanly.

use std::time::Duration;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::coordination::v1::Lease;
use kube::api::{Api, ListParams, PostParams};
use operator::crd::{FinanceTracker, FinanceTrackerSpec};
use testkit::Service;
use testkit::readiness::{bad_setting_stops_the_binary, get_json};

use crate::fake::FakeCluster;
use crate::harness::{NAMESPACE, eventually};

const OPERATOR: &str = env!("CARGO_BIN_EXE_operator");

/// A scratch directory of this test's own.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ft-operator-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

async fn spawn(kubeconfig: &std::path::Path, pod: &str) -> Service {
    Service::spawn(
        OPERATOR,
        &[
            ("KUBECONFIG", kubeconfig.display().to_string()),
            ("POD_NAME", pod.to_owned()),
            ("POD_NAMESPACE", "default".to_owned()),
            ("WATCH_NAMESPACE", NAMESPACE.to_owned()),
        ],
    )
    .await
}

async fn metric(operator: &Service, line_start: &str) -> Option<f64> {
    let text = reqwest::get(operator.url("/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test]
async fn the_binary_manages_a_finance_tracker_reports_ready_and_stops_on_sigterm() {
    let cluster = FakeCluster::new().await;
    let kubeconfig = FakeCluster::kubeconfig(cluster.serve().await, &scratch("manages"));
    let operator = spawn(&kubeconfig, "operator-a").await;
    assert_eq!(get_json(&operator.url("/healthz")).await.0, 200);
    let (status, body) = get_json(&operator.url("/readyz")).await;
    assert_eq!(status, 200, "{body}");

    let fts: Api<FinanceTracker> = Api::namespaced(cluster.client(), NAMESPACE);
    fts.create(
        &PostParams::default(),
        &FinanceTracker::new("home", FinanceTrackerSpec::default()),
    )
    .await
    .expect("create");
    let sets: Api<StatefulSet> = Api::namespaced(cluster.client(), NAMESPACE);
    eventually("the operator created the stores", || async {
        (sets.list(&ListParams::default()).await.ok()?.items.len() == 2).then_some(())
    })
    .await;
    let ok = r#"financetracker_operator_reconciles_total{kind="FinanceTracker",result="ok"}"#;
    eventually("the reconcile shows in the metrics", || async {
        (metric(&operator, ok).await? >= 1.0).then_some(())
    })
    .await;
    assert_eq!(
        metric(&operator, "financetracker_operator_leader ").await,
        Some(1.0)
    );

    let (exit, logs) = operator.terminate().await;
    assert!(exit.success(), "{exit}: {logs:#?}");
    let leases: Api<Lease> = Api::namespaced(cluster.client(), "default");
    let lease = leases
        .get("financetracker-operator")
        .await
        .expect("the lease exists");
    let holder = lease
        .spec
        .and_then(|s| s.holder_identity)
        .unwrap_or_default();
    assert!(
        holder.is_empty(),
        "released on shutdown, held by {holder:?}"
    );
}

#[tokio::test]
async fn of_two_replicas_one_leads_and_the_other_takes_over_when_it_stops() {
    let cluster = FakeCluster::new().await;
    let kubeconfig = FakeCluster::kubeconfig(cluster.serve().await, &scratch("replicas"));
    let a = spawn(&kubeconfig, "operator-a").await;
    eventually("replica a leads", || async {
        (metric(&a, "financetracker_operator_leader ").await? > 0.5).then_some(())
    })
    .await;
    let b = spawn(&kubeconfig, "operator-b").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        metric(&b, "financetracker_operator_leader ").await,
        Some(0.0),
        "b stands by"
    );
    assert_eq!(
        metric(&a, "financetracker_operator_leader ").await,
        Some(1.0)
    );

    let fts: Api<FinanceTracker> = Api::namespaced(cluster.client(), NAMESPACE);
    fts.create(
        &PostParams::default(),
        &FinanceTracker::new("home", FinanceTrackerSpec::default()),
    )
    .await
    .expect("create");
    let ok = r#"financetracker_operator_reconciles_total{kind="FinanceTracker",result="ok"}"#;
    eventually("the leader reconciles", || async {
        (metric(&a, ok).await? >= 1.0).then_some(())
    })
    .await;
    assert_eq!(metric(&b, ok).await, None, "the standby never reconciles");

    let (exit, _) = a.terminate().await;
    assert!(exit.success());
    eventually("b takes over", || async {
        (metric(&b, "financetracker_operator_leader ").await? > 0.5).then_some(())
    })
    .await;
    eventually("and reconciles", || async {
        (metric(&b, ok).await? >= 1.0).then_some(())
    })
    .await;
    let (exit, _) = b.terminate().await;
    assert!(exit.success());
}

#[tokio::test]
async fn of_two_replicas_starting_together_never_more_than_one_leads() {
    let cluster = FakeCluster::new().await;
    let kubeconfig = FakeCluster::kubeconfig(cluster.serve().await, &scratch("together"));
    // As a rolling update leaves it: released by the old pod. Both new replicas read it
    // unheld before either takes it.
    let leases: Api<Lease> = Api::namespaced(cluster.client(), "default");
    leases
        .create(
            &PostParams::default(),
            &serde_json::from_value(serde_json::json!({
                "metadata": {"name": "financetracker-operator"}, "spec": {}
            }))
            .expect("lease"),
        )
        .await
        .expect("create the lease");
    cluster.hold_lease_reads(2);
    let (a, b) = tokio::join!(
        spawn(&kubeconfig, "operator-a"),
        spawn(&kubeconfig, "operator-b")
    );
    let leader = "financetracker_operator_leader ";
    let mut led = 0;
    // Past a renewal (10 s): a replica that wrongly won keeps renewing and stays leader.
    for _ in 0..60 {
        let (la, lb) = tokio::join!(metric(&a, leader), metric(&b, leader));
        let leading = [la, lb].into_iter().flatten().filter(|&v| v > 0.5).count();
        assert!(leading <= 1, "both replicas lead");
        led = led.max(leading);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(led, 1, "one of them leads");
    for replica in [a, b] {
        let (exit, logs) = replica.terminate().await;
        assert!(exit.success(), "{exit}: {logs:#?}");
    }
}

/// The interleaving a simultaneous start can produce, made certain: both replicas saw the
/// Lease unheld, then both take it. The second must be refused.
#[tokio::test]
async fn a_replica_cannot_take_a_lease_another_took_after_both_saw_it_unheld() {
    use kube::api::{Patch, PatchParams};
    let cluster = FakeCluster::new().await;
    let leases: Api<Lease> = Api::namespaced(cluster.client(), "default");
    let take = |identity: &'static str| {
        let leases = leases.clone();
        async move {
            let patch = serde_json::json!({
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "spec": {"holderIdentity": identity, "leaseDurationSeconds": 15},
            });
            leases
                .patch(
                    "financetracker-operator",
                    &PatchParams::apply(&operator::leader::field_manager(identity)),
                    &Patch::Apply(patch),
                )
                .await
        }
    };
    take("operator-a").await.expect("the first taker wins");
    let second = take("operator-b").await;
    assert!(
        matches!(&second, Err(kube::Error::Api(e)) if e.code == 409),
        "the second taker is refused: {second:?}"
    );
    let holder = leases
        .get("financetracker-operator")
        .await
        .expect("lease")
        .spec
        .and_then(|s| s.holder_identity);
    assert_eq!(holder.as_deref(), Some("operator-a"));
}

#[tokio::test]
async fn without_a_reachable_api_server_it_runs_not_ready_and_still_stops_cleanly() {
    let closed = testkit::stores::closed_addr();
    let kubeconfig = FakeCluster::kubeconfig(closed, &scratch("unreachable"));
    let operator = spawn(&kubeconfig, "operator-a").await;
    assert_eq!(get_json(&operator.url("/healthz")).await.0, 200);
    let (status, body) = get_json(&operator.url("/readyz")).await;
    assert_eq!(status, 503, "{body}");
    let error = body["checks"]["kubernetes"]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("API server does not answer"), "{body}");
    let metrics = reqwest::get(operator.url("/metrics"))
        .await
        .expect("scrape")
        .text()
        .await
        .expect("body");
    assert!(
        metrics.contains("financetracker_operator_build_info{version="),
        "{metrics}"
    );
    assert!(
        metrics.contains("process_resident_memory_bytes"),
        "{metrics}"
    );
    let (exit, logs) = operator.terminate().await;
    assert!(exit.success(), "{exit}: {logs:#?}");
}

#[tokio::test]
async fn no_kubernetes_configuration_stops_the_operator_with_one_clear_line() {
    let env = [
        ("KUBECONFIG", "/nonexistent/kubeconfig".to_owned()),
        ("LISTEN_ADDR", "127.0.0.1:0".to_owned()),
    ];
    bad_setting_stops_the_binary(OPERATOR, &env, "no usable kubeconfig or in-cluster config").await;
}

#[tokio::test]
async fn a_port_in_use_stops_the_operator_naming_the_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let env = [("LISTEN_ADDR", taken.local_addr().expect("addr").to_string())];
    bad_setting_stops_the_binary(OPERATOR, &env, "invalid LISTEN_ADDR (--listen-addr)").await;
}

#[tokio::test]
async fn the_crd_subcommand_prints_the_committed_crds() {
    let output = testkit::service::run_to_exit(OPERATOR, &["crd"], &[]).await;
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("utf-8");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for committed in [
        "crds/financetracker.yaml",
        "charts/financetracker-operator/crds/financetracker.yaml",
    ] {
        let text = std::fs::read_to_string(root.join(committed)).unwrap_or_default();
        assert!(
            text == printed,
            "{committed} differs from `operator crd`: run `cargo run -p operator -- crd > {committed}`"
        );
    }
}
