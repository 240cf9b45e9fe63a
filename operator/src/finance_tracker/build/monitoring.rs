//! A Prometheus Operator ServiceMonitor for the API and ML worker, when the cluster has that
//! API and the spec allows it.

use kube::core::DynamicObject;
use serde_json::json;

use super::Plan;
use crate::child::{Child, Kind};
use crate::finance_tracker::names::{Component, LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME};

pub fn children(plan: &Plan<'_>) -> Vec<Child> {
    if !plan.service_monitor {
        return Vec::new();
    }
    let names = plan.names;
    let mut monitor = DynamicObject::new(&names.instance, &Kind::ServiceMonitor.api_resource())
        .within(&names.namespace);
    monitor.metadata = names.metadata(names.instance.clone(), Component::Api);
    // The user's labels select it for their Prometheus; ours, which find and own it, win.
    let mut labels = plan.spec.monitoring.service_monitor_labels.clone();
    labels.extend(monitor.metadata.labels.take().unwrap_or_default());
    monitor.metadata.labels = Some(labels);
    monitor.data = json!({
        "spec": {
            "selector": {
                "matchLabels": {
                    LABEL_NAME: "financetracker",
                    LABEL_INSTANCE: names.instance,
                },
                "matchExpressions": [{
                    "key": LABEL_COMPONENT,
                    "operator": "In",
                    "values": [
                        Component::Api.as_str(),
                        Component::MlWorker.as_str(),
                        Component::MlCandidate.as_str(),
                    ],
                }],
            },
            "endpoints": [{"port": "http", "path": "/metrics", "interval": "30s"}],
        }
    });
    vec![Child::dynamic(Kind::ServiceMonitor, &monitor)]
}
