//! Build: the pure step of a reconcile. From the spec and what the dereference step found
//! (credentials, the rollout decision, whether ServiceMonitors exist) to every child
//! object the FinanceTracker should have, fully specified, in apply order.

mod alerts;
mod api;
mod auth;
mod ingress;
mod migration;
mod ml_worker;
mod monitoring;
mod network_policies;
mod pod;
mod stores;
mod web;
mod workload;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, LocalObjectReference, PodSpec, Volume};

pub use alerts::rule_groups;
pub use api::CONFIG_DIGEST;
pub use ingress::url;
pub use web::{CONFIG_KEY as NGINX_CONFIG_KEY, nginx_conf};

use super::credentials::Credentials;
use super::images::Images;
use super::names::Names;
use super::rollout::Rollout;
use crate::child::Child;
use crate::crd::FinanceTrackerSpec;
use crate::model_experiment::variants::Variants;

/// Everything the builders read.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub spec: &'a FinanceTrackerSpec,
    pub names: &'a Names,
    pub images: &'a Images,
    pub credentials: &'a Credentials,
    pub rollout: &'a Rollout,
    /// Create a ServiceMonitor (the API exists and the spec does not disable it).
    pub service_monitor: bool,
    /// Create a PrometheusRule (likewise).
    pub prometheus_rule: bool,
    /// The model the own workers serve, and an experiment's candidate beside them.
    pub variants: &'a Variants,
}

impl Plan<'_> {
    fn pull_secrets(&self) -> Option<Vec<LocalObjectReference>> {
        let secrets = &self.spec.images.pull_secrets;
        (!secrets.is_empty()).then(|| {
            secrets
                .iter()
                .map(|name| LocalObjectReference { name: name.clone() })
                .collect()
        })
    }

    /// Secure cookies unless the spec says otherwise: on by default behind TLS only,
    /// since a browser drops Secure cookies over plain HTTP and sign-in would fail.
    fn cookie_secure(&self) -> bool {
        self.spec.auth.cookie_secure.unwrap_or_else(|| {
            self.spec
                .ingress
                .as_ref()
                .is_some_and(|i| i.tls_secret_name.is_some())
        })
    }

    fn model_version(&self) -> String {
        self.variants.serving.version.clone()
    }

    /// The pod of one of our own images: its one container, run as the image's user,
    /// without a service account token (no part of the platform calls Kubernetes).
    fn own_pod(&self, container: Container, volumes: Vec<Volume>) -> PodSpec {
        PodSpec {
            containers: vec![container],
            volumes: Some(volumes),
            security_context: Some(pod::pod_security(pod::APP_UID)),
            image_pull_secrets: self.pull_secrets(),
            automount_service_account_token: Some(false),
            termination_grace_period_seconds: Some(30),
            ..PodSpec::default()
        }
    }

    /// Pod annotations: the digest of what the pods read at start (a change rolls them),
    /// and the scrape annotations for `metrics_port` when the spec wants them.
    fn pod_annotations(
        &self,
        digest: String,
        metrics_port: Option<u16>,
    ) -> BTreeMap<String, String> {
        let mut annotations = BTreeMap::from([(CONFIG_DIGEST.to_owned(), digest)]);
        if let Some(port) = metrics_port.filter(|_| self.spec.monitoring.pod_annotations) {
            annotations.extend(pod::scrape_annotations(port));
        }
        annotations
    }
}

/// Pure: every child this FinanceTracker should have, in apply order.
pub fn desired(plan: &Plan<'_>) -> Vec<Child> {
    let mut children = Vec::new();
    children.extend(auth::children(plan));
    children.extend(stores::children(plan));
    children.extend(migration::children(plan));
    children.extend(api::children(plan));
    children.extend(ml_worker::children(plan));
    children.extend(web::children(plan));
    children.extend(network_policies::children(plan));
    children.extend(ingress::children(plan));
    children.extend(monitoring::children(plan));
    children.extend(alerts::children(plan));
    children.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    children
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::child::Kind;
    use crate::crd::FinanceTracker;
    use crate::crd::finance_tracker::{
        DeletionPolicy, IngressSpec, MonitorMode, SecretKeyRef, StoreMode,
    };
    use crate::finance_tracker::credentials::{self, Generated};
    use crate::finance_tracker::images;

    /// The children of `spec` with the API migrated and fixed credentials.
    fn children_of(spec: FinanceTrackerSpec, service_monitor: bool) -> Vec<Child> {
        children_with(spec, service_monitor, &[])
    }

    /// The same, beside these ModelExperiments.
    fn children_with(
        spec: FinanceTrackerSpec,
        service_monitor: bool,
        experiments: &[std::sync::Arc<crate::crd::ModelExperiment>],
    ) -> Vec<Child> {
        let ft = FinanceTracker::stored("home", spec);
        let variants = crate::model_experiment::variants::variants(&ft, experiments);
        let names = Names::new(&ft);
        let images = images::resolve(&ft.spec);
        let credentials = credentials::resolve(
            &ft.spec,
            &names,
            &std::collections::BTreeMap::new(),
            &[],
            &mut |which| match which {
                Generated::PostgresPassword => "pg-password".to_owned(),
                Generated::RedisPassword => "redis-password".to_owned(),
                Generated::JwtKey => "jwt-key".to_owned(),
            },
        );
        let rollout = Rollout {
            migration_job: true,
            api_image: Some(images.api.clone()),
            migrated_image: Some(images.api.clone()),
            waiting_for: None,
            failed: None,
        };
        desired(&Plan {
            spec: &ft.spec,
            names: &names,
            images: &images,
            credentials: &credentials,
            rollout: &rollout,
            service_monitor,
            prometheus_rule: service_monitor,
            variants: &variants,
        })
    }

    fn find<'a>(children: &'a [Child], kind: Kind, name: &str) -> &'a Value {
        &children
            .iter()
            .find(|c| c.kind == kind && c.name == name)
            .unwrap_or_else(|| panic!("no {kind:?} {name}"))
            .object
    }

    fn pod_specs(children: &[Child]) -> Vec<(&str, &Value)> {
        children
            .iter()
            .filter(|c| matches!(c.kind, Kind::Deployment | Kind::StatefulSet | Kind::Job))
            .map(|c| (c.name.as_str(), &c.object["spec"]["template"]["spec"]))
            .collect()
    }

    fn env<'a>(container: &'a Value, name: &str) -> &'a Value {
        container["env"]
            .as_array()
            .and_then(|env| env.iter().find(|e| e["name"] == name))
            .unwrap_or_else(|| panic!("no {name} in {container}"))
    }

    #[test]
    fn the_default_platform_has_every_part_in_apply_order() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        let listed: Vec<String> = children
            .iter()
            .map(|c| format!("{} {}", c.kind.name(), c.name))
            .collect();
        let job = &listed[12];
        let digest = job
            .strip_prefix("Job home-migrate-")
            .expect("the migration Job");
        assert!(
            digest.len() == 16 && digest.chars().all(|c| c.is_ascii_hexdigit()),
            "{job}"
        );
        assert_eq!(
            listed,
            [
                "Secret home-jwt",
                "Secret home-postgres",
                "Secret home-redis",
                "ConfigMap home-ml-routing",
                "ConfigMap home-nginx",
                "Service home-api",
                "Service home-ml-worker",
                "Service home-postgres",
                "Service home-redis",
                "Service home-web",
                "StatefulSet home-postgres",
                "StatefulSet home-redis",
                job.as_str(),
                "Deployment home-api",
                "Deployment home-ml-worker",
                "Deployment home-web",
                "PodDisruptionBudget home-api",
                "PodDisruptionBudget home-ml-worker",
                "PodDisruptionBudget home-web",
                "NetworkPolicy home-api",
                "NetworkPolicy home-ml-worker",
                "NetworkPolicy home-postgres",
                "NetworkPolicy home-redis",
                "NetworkPolicy home-web",
            ]
        );
    }

    #[test]
    fn every_child_is_owned_labelled_and_in_the_namespace() {
        for child in children_of(FinanceTrackerSpec::default(), true) {
            let meta = &child.object["metadata"];
            assert_eq!(meta["namespace"], "money", "{}", child.name);
            if child.name == "home-postgres" && child.kind == Kind::Secret {
                assert_eq!(
                    meta["ownerReferences"],
                    json!([]),
                    "the password stays with the data under Retain"
                );
                continue;
            }
            assert_eq!(
                meta["ownerReferences"],
                json!([{"apiVersion": "finance.financetracker.dev/v1alpha1", "kind": "FinanceTracker",
                        "name": "home", "uid": "0f1e2d3c-0000-4000-8000-000000000001",
                        "controller": true, "blockOwnerDeletion": true}]),
                "{}",
                child.name
            );
            let labels = &meta["labels"];
            for (key, value) in [
                ("app.kubernetes.io/name", "financetracker"),
                ("app.kubernetes.io/instance", "home"),
                ("app.kubernetes.io/part-of", "financetracker"),
                ("app.kubernetes.io/managed-by", "financetracker-operator"),
            ] {
                assert_eq!(labels[key], value, "{} {key}", child.name);
            }
            assert!(
                labels["app.kubernetes.io/component"].is_string(),
                "{}",
                child.name
            );
            assert!(
                labels["app.kubernetes.io/version"].is_string(),
                "{}",
                child.name
            );
        }
    }

    #[test]
    fn pods_carry_no_operator_version_so_an_operator_upgrade_restarts_no_store() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        for child in children
            .iter()
            .filter(|c| matches!(c.kind, Kind::Deployment | Kind::StatefulSet | Kind::Job))
        {
            let labels = &child.object["spec"]["template"]["metadata"]["labels"];
            assert_eq!(
                labels["app.kubernetes.io/component"],
                child.object["metadata"]["labels"]["app.kubernetes.io/component"],
                "{}",
                child.name
            );
            assert!(
                labels.get("app.kubernetes.io/version").is_none(),
                "{}: {labels}",
                child.name
            );
        }
        for store in ["home-postgres", "home-redis"] {
            let template =
                find(&children, Kind::StatefulSet, store)["spec"]["template"].to_string();
            assert!(
                !template.contains(crate::crd::finance_tracker::OPERATOR_VERSION),
                "{store}'s pods change with the operator: {template}"
            );
        }
    }

    #[test]
    fn every_pod_is_non_root_read_only_without_capabilities_and_has_limits() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        let pods = pod_specs(&children);
        assert_eq!(pods.len(), 6);
        for (name, pod) in pods {
            assert_eq!(pod["securityContext"]["runAsNonRoot"], true, "{name}");
            assert_eq!(
                pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault",
                "{name}"
            );
            assert_eq!(pod["automountServiceAccountToken"], false, "{name}");
            for container in pod["containers"].as_array().expect("containers") {
                let security = &container["securityContext"];
                assert_eq!(security["readOnlyRootFilesystem"], true, "{name}");
                assert_eq!(security["allowPrivilegeEscalation"], false, "{name}");
                assert_eq!(security["capabilities"]["drop"], json!(["ALL"]), "{name}");
                assert!(
                    container["resources"]["requests"]["memory"].is_string(),
                    "{name}"
                );
                assert!(
                    container["resources"]["limits"]["memory"].is_string(),
                    "{name}"
                );
                if !name.contains("-migrate-") {
                    assert!(container["readinessProbe"].is_object(), "{name}");
                    assert!(container["livenessProbe"].is_object(), "{name}");
                }
            }
        }
    }

    #[test]
    fn the_stores_have_startup_probes_so_a_long_recovery_is_not_killed() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        for store in ["home-postgres", "home-redis"] {
            let container = &find(&children, Kind::StatefulSet, store)["spec"]["template"]["spec"]
                ["containers"][0];
            let startup = &container["startupProbe"];
            assert_eq!(
                startup["exec"], container["readinessProbe"]["exec"],
                "{store}"
            );
            let allowed = startup["periodSeconds"].as_i64().expect("period")
                * startup["failureThreshold"].as_i64().expect("threshold");
            assert!(allowed >= 30 * 60, "{store} gets {allowed} s to start");
        }
    }

    #[test]
    fn every_pod_gets_the_pull_secrets_store_pods_included() {
        let mut spec = FinanceTrackerSpec::default();
        spec.images.pull_secrets = vec!["registry-login".to_owned()];
        let children = children_of(spec, false);
        let pods = pod_specs(&children);
        assert_eq!(pods.len(), 6);
        for (name, pod) in pods {
            assert_eq!(
                pod["imagePullSecrets"],
                json!([{"name": "registry-login"}]),
                "{name}"
            );
        }
    }

    #[test]
    fn the_api_and_worker_probe_their_health_endpoints() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        for name in ["home-api", "home-ml-worker"] {
            let container = &find(&children, Kind::Deployment, name)["spec"]["template"]["spec"]["containers"]
                [0];
            assert_eq!(
                container["livenessProbe"]["httpGet"]["path"], "/healthz",
                "{name}"
            );
            assert_eq!(
                container["readinessProbe"]["httpGet"]["path"], "/readyz",
                "{name}"
            );
        }
    }

    #[test]
    fn the_api_reads_urls_and_key_from_secrets_and_reaches_the_worker_by_service() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        let api = &find(&children, Kind::Deployment, "home-api")["spec"]["template"]["spec"]["containers"]
            [0];
        assert_eq!(
            env(api, "DATABASE_URL")["valueFrom"]["secretKeyRef"],
            json!({"name": "home-postgres", "key": "url", "optional": false})
        );
        assert_eq!(
            env(api, "JWT_SECRET")["valueFrom"]["secretKeyRef"]["name"],
            "home-jwt"
        );
        assert_eq!(
            env(api, "ML_WORKER_URL")["value"],
            "http://home-ml-worker.money.svc:8090"
        );
        assert_eq!(
            env(api, "COOKIE_SECURE")["value"],
            "false",
            "no TLS, no Secure cookies"
        );
        let secret = find(&children, Kind::Secret, "home-postgres");
        let url = base64_decode(secret["data"]["url"].as_str().expect("url"));
        assert_eq!(
            url,
            "postgres://financetracker:pg-password@home-postgres.money.svc:5432/financetracker"
        );
    }

    #[test]
    fn the_ingress_publishes_the_web_service_and_tls_makes_cookies_secure() {
        let spec = FinanceTrackerSpec {
            ingress: Some(IngressSpec {
                host: "money.example.com".to_owned(),
                class_name: Some("nginx".to_owned()),
                tls_secret_name: Some("money-tls".to_owned()),
                annotations: [("cert-manager.io/cluster-issuer".to_owned(), "le".to_owned())]
                    .into(),
            }),
            ..FinanceTrackerSpec::default()
        };
        let children = children_of(spec.clone(), false);
        let ingress = find(&children, Kind::Ingress, "home-web");
        assert_eq!(ingress["spec"]["ingressClassName"], "nginx");
        assert_eq!(ingress["spec"]["rules"][0]["host"], "money.example.com");
        assert_eq!(
            ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"],
            "home-web"
        );
        assert_eq!(
            ingress["spec"]["tls"],
            json!([{"hosts": ["money.example.com"], "secretName": "money-tls"}])
        );
        assert_eq!(
            ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"],
            "le"
        );
        // ingress-nginx would close a WebSocket quiet for a minute, refuse a bank file over
        // 1 MiB with 413, and buffer a whole upload before the API sees a byte of it.
        let annotations = &ingress["metadata"]["annotations"];
        assert_eq!(
            annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"],
            "3600"
        );
        assert_eq!(
            annotations["nginx.ingress.kubernetes.io/proxy-body-size"], "51m",
            "the web nginx's own limit"
        );
        assert_eq!(
            annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"],
            "off"
        );
        let mut bigger = spec.clone();
        bigger.web.max_body_mib = 200;
        assert_eq!(
            find(&children_of(bigger, false), Kind::Ingress, "home-web")["metadata"]["annotations"]
                ["nginx.ingress.kubernetes.io/proxy-body-size"],
            "200m"
        );
        let mut own = spec.clone();
        if let Some(ingress) = own.ingress.as_mut() {
            ingress.annotations.insert(
                "nginx.ingress.kubernetes.io/proxy-read-timeout".to_owned(),
                "600".to_owned(),
            );
            ingress.class_name = Some("nginx".to_owned());
        }
        let own = children_of(own, false);
        assert_eq!(
            find(&own, Kind::Ingress, "home-web")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-read-timeout"],
            "600",
            "the user's annotation wins"
        );
        let mut traefik = spec.clone();
        if let Some(ingress) = traefik.ingress.as_mut() {
            ingress.class_name = Some("traefik".to_owned());
        }
        let traefik = children_of(traefik, false);
        assert_eq!(
            find(&traefik, Kind::Ingress, "home-web")["metadata"]["annotations"],
            json!({"cert-manager.io/cluster-issuer": "le"}),
            "another controller gets no nginx annotations"
        );
        let api = &find(&children, Kind::Deployment, "home-api")["spec"]["template"]["spec"]["containers"]
            [0];
        assert_eq!(env(api, "COOKIE_SECURE")["value"], "true");
        assert_eq!(url(&spec).as_deref(), Some("https://money.example.com/"));
    }

    #[test]
    fn an_experiment_adds_the_candidates_workers_and_routes_its_weight_to_them() {
        use crate::crd::model_experiment::{
            CandidateSpec, ExperimentPhase, ModelExperimentSpec, ModelExperimentStatus, VariantSpec,
        };
        let mut me = crate::crd::ModelExperiment::new(
            "trial",
            ModelExperimentSpec {
                finance_tracker: "home".to_owned(),
                baseline: VariantSpec {
                    version: "minilm-l6-v2-int8".to_owned(),
                },
                candidate: CandidateSpec {
                    version: "minilm-l6-v2-fp32".to_owned(),
                    image: Some("registry.example.com/ml:2".to_owned()),
                },
                ..ModelExperimentSpec::default()
            },
        );
        me.metadata.namespace = Some("money".to_owned());
        me.status = Some(ModelExperimentStatus {
            phase: Some(ExperimentPhase::Progressing),
            weight: 20,
            ..ModelExperimentStatus::default()
        });
        let children = children_with(
            FinanceTrackerSpec::default(),
            false,
            &[std::sync::Arc::new(me)],
        );
        let candidate = find(&children, Kind::Deployment, "home-ml-candidate");
        assert_eq!(candidate["spec"]["replicas"], 1);
        let container = &candidate["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            env(container, "MODEL_VERSION")["value"],
            "minilm-l6-v2-fp32"
        );
        assert_eq!(container["image"], "registry.example.com/ml:2");
        assert_eq!(
            env(container, "QUEUE_STREAM")["value"],
            "ft:ml:queue:minilm-l6-v2-fp32",
            "its households' queued categorisations"
        );
        let serving = find(&children, Kind::Deployment, "home-ml-worker");
        assert!(
            serving["spec"]["template"]["spec"]["containers"][0]["env"]
                .as_array()
                .expect("env")
                .iter()
                .all(|e| e["name"] != "QUEUE_STREAM"),
            "the serving workers read the common stream"
        );
        assert_eq!(
            candidate["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"],
            "ml-candidate",
            "the serving workers' Service never selects the candidate's pods"
        );
        find(&children, Kind::Service, "home-ml-candidate");
        find(&children, Kind::NetworkPolicy, "home-ml-candidate");
        let serving = find(&children, Kind::Deployment, "home-ml-worker");
        assert_eq!(
            env(
                &serving["spec"]["template"]["spec"]["containers"][0],
                "MODEL_VERSION"
            )["value"],
            "minilm-l6-v2-int8"
        );
        let routing: Value = serde_json::from_str(
            find(&children, Kind::ConfigMap, "home-ml-routing")["data"]["routing.json"]
                .as_str()
                .expect("text"),
        )
        .expect("JSON");
        assert_eq!(
            routing,
            json!({
                "defaultVersion": "minilm-l6-v2-int8",
                "experiment": "trial",
                "routes": [
                    {"version": "minilm-l6-v2-fp32", "weight": 20,
                     "url": "http://home-ml-candidate.money.svc:8090"},
                    {"version": "minilm-l6-v2-int8", "weight": 80},
                ],
            })
        );
        let without = children_of(FinanceTrackerSpec::default(), false);
        assert!(
            !without.iter().any(|c| c.name.contains("candidate")),
            "no experiment, no candidate"
        );
    }

    #[test]
    fn only_the_api_and_worker_reach_the_stores_and_only_nginx_reaches_the_api() {
        let children = children_of(FinanceTrackerSpec::default(), false);
        let from = |name: &str| {
            let policy = find(&children, Kind::NetworkPolicy, name);
            policy["spec"]["ingress"][0]["from"][0]["podSelector"]["matchExpressions"][0]["values"]
                .clone()
        };
        assert_eq!(
            from("home-postgres"),
            json!(["api", "ml-worker", "ml-candidate", "migration"])
        );
        assert_eq!(
            from("home-redis"),
            json!(["api", "ml-worker", "ml-candidate"])
        );
        assert_eq!(from("home-api"), json!(["web"]));
        assert_eq!(from("home-ml-worker"), json!(["api"]));
        let api = find(&children, Kind::NetworkPolicy, "home-api");
        assert_eq!(
            api["spec"]["ingress"][0]["from"][1]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
            "monitoring",
            "Prometheus may scrape the API"
        );
        assert_eq!(
            api["spec"]["ingress"][0]["ports"],
            json!([{"port": 8080, "protocol": "TCP"}])
        );
    }

    #[test]
    fn an_external_database_has_no_statefulset_password_or_policy_of_ours() {
        let mut spec = FinanceTrackerSpec::default();
        spec.postgres.mode = StoreMode::External;
        spec.postgres.external_secret_ref = Some(SecretKeyRef {
            name: "household-db".to_owned(),
            key: "dsn".to_owned(),
        });
        let children = children_of(spec, false);
        assert!(
            !children.iter().any(|c| c.name == "home-postgres"),
            "no managed PostgreSQL"
        );
        let worker = &find(&children, Kind::Deployment, "home-ml-worker")["spec"]["template"]["spec"]
            ["containers"][0];
        assert_eq!(
            env(worker, "DATABASE_URL")["valueFrom"]["secretKeyRef"],
            json!({"name": "household-db", "key": "dsn", "optional": false})
        );
    }

    #[test]
    fn the_database_password_is_owned_by_the_finance_tracker_only_under_delete() {
        let mut spec = FinanceTrackerSpec::default();
        spec.postgres.deletion_policy = DeletionPolicy::Delete;
        let children = children_of(spec, false);
        let secret = find(&children, Kind::Secret, "home-postgres");
        assert_eq!(
            secret["metadata"]["ownerReferences"][0]["kind"],
            "FinanceTracker"
        );
    }

    #[test]
    fn a_store_volume_always_outlives_its_statefulset_so_switching_to_external_keeps_the_data() {
        // Under Delete too: switching PostgreSQL to external deletes the StatefulSet, and
        // `whenDeleted: Delete` would take the data with it. Deleting the FinanceTracker
        // deletes the claims through the finalizer (`deletion::plan`) instead.
        for deletion_policy in [DeletionPolicy::Retain, DeletionPolicy::Delete] {
            let mut spec = FinanceTrackerSpec::default();
            spec.postgres.deletion_policy = deletion_policy;
            let children = children_of(spec, false);
            for store in ["home-postgres", "home-redis"] {
                assert_eq!(
                    find(&children, Kind::StatefulSet, store)["spec"]["persistentVolumeClaimRetentionPolicy"],
                    json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
                    "{store} under {deletion_policy:?}"
                );
            }
        }
        let children = children_of(FinanceTrackerSpec::default(), false);
        let claim =
            &find(&children, Kind::StatefulSet, "home-postgres")["spec"]["volumeClaimTemplates"][0];
        assert_eq!(claim["spec"]["resources"]["requests"]["storage"], "10Gi");
        assert_eq!(
            claim["metadata"]["labels"]["app.kubernetes.io/component"],
            "postgres"
        );
    }

    #[test]
    fn a_service_monitor_exists_only_where_the_api_does_and_the_spec_allows() {
        let has_monitor =
            |children: Vec<Child>| children.iter().any(|c| c.kind == Kind::ServiceMonitor);
        assert!(has_monitor(children_of(
            FinanceTrackerSpec::default(),
            true
        )));
        assert!(!has_monitor(children_of(
            FinanceTrackerSpec::default(),
            false
        )));
        let mut off = FinanceTrackerSpec::default();
        off.monitoring.service_monitor = MonitorMode::Disabled;
        // Disabled is decided before building: the plan says no ServiceMonitor.
        assert!(!has_monitor(children_of(off, false)));
    }

    #[test]
    fn the_service_monitor_carries_the_users_labels_but_keeps_ours() {
        let mut spec = FinanceTrackerSpec::default();
        spec.monitoring.service_monitor_labels = [
            ("release", "kube-prometheus-stack"),
            ("app.kubernetes.io/managed-by", "someone-else"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let children = children_of(spec, true);
        let labels = &find(&children, Kind::ServiceMonitor, "home")["metadata"]["labels"];
        assert_eq!(labels["release"], "kube-prometheus-stack");
        assert_eq!(
            labels["app.kubernetes.io/managed-by"], "financetracker-operator",
            "the operator still finds what it manages"
        );
    }

    #[test]
    fn a_changed_secret_or_nginx_config_rolls_exactly_the_pods_that_read_it() {
        let digest = |spec: FinanceTrackerSpec, name: &str| {
            let children = children_of(spec, false);
            find(&children, Kind::Deployment, name)["spec"]["template"]["metadata"]["annotations"]
                [CONFIG_DIGEST]
                .clone()
        };
        let mut bigger = FinanceTrackerSpec::default();
        bigger.web.max_body_mib = 100;
        assert_ne!(
            digest(FinanceTrackerSpec::default(), "home-web"),
            digest(bigger.clone(), "home-web")
        );
        assert_eq!(
            digest(FinanceTrackerSpec::default(), "home-api"),
            digest(bigger, "home-api")
        );
    }

    #[test]
    fn the_whole_default_platform_matches_its_snapshot() {
        let objects: Vec<Value> = children_of(FinanceTrackerSpec::default(), true)
            .into_iter()
            .map(|c| c.object)
            .collect();
        insta::assert_yaml_snapshot!("default_platform", objects);
    }

    fn base64_decode(s: &str) -> String {
        use base64::Engine as _;
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .expect("base64"),
        )
        .expect("utf-8")
    }
}
