//! A fake Kubernetes API server for the operator's tests: `kube-fake-client`'s in-memory
//! store behind a thin layer that adds what it lacks and a controller needs.
//!
//! - **Watches.** The store answers a watch as a list. Here every successful write becomes
//!   an `ADDED`/`MODIFIED`/`DELETED` event on a broadcast channel, and a watch request gets
//!   a stream: first the current objects, then the live events of its collection.
//! - **Finalizers.** The store deletes at once. Here deleting an object that has finalizers
//!   marks it `deletionTimestamp` instead; the write that removes its last finalizer
//!   deletes it (cascading to what it owns, as the store does).
//! - **No-op writes.** A write that changes nothing but `resourceVersion` sends no event,
//!   as on a real API server.
//! - **Ownership moves with a patch.** The store tracks server-side apply ownership but
//!   leaves it untouched on other patches. An API server gives the fields a (strategic or
//!   merge) patch changes or removes to that patch's manager, so an applier no longer owns
//!   them: here they leave every apply entry. Without it, a Lease released by a strategic
//!   patch would still be owned by its last holder, and no other replica could take it.
//! - `/version` and a 404 for the discovery of API groups the store does not know.
//!
//! Every write is recorded (method, path), so tests can assert that an idle operator writes
//! nothing. The same layer serves over HTTP for the real operator binary.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use http::{Method, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use kube::client::Body;
use operator::crd::{FinanceTracker, ModelExperiment};
use serde_json::{Value, json};
use tokio::sync::broadcast;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ResponseBody = UnsyncBoxBody<Bytes, BoxError>;

/// One recorded request (a write unless its method is GET).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: String,
    pub path: String,
}

#[derive(Debug, Clone)]
struct Change {
    /// `apis/apps/v1/deployments` (or `api/v1/secrets`): which watches see it.
    collection: String,
    namespace: String,
    event: Value,
}

struct Shared {
    store: kube::Client,
    changes: broadcast::Sender<Change>,
    /// Every request but watches, in order.
    requests: Mutex<Vec<Call>>,
    /// The last object seen per path, to drop events for writes that changed nothing.
    last: Mutex<HashMap<String, Value>>,
    /// The newest resourceVersion seen in any answer.
    newest: AtomicU64,
    /// Objects being deleted (path → deletionTimestamp) until their finalizers are gone.
    terminating: Mutex<HashMap<String, String>>,
    /// While set, reads of a Lease wait here for each other (see `hold_lease_reads`).
    lease_reads: Mutex<Option<Arc<tokio::sync::Barrier>>>,
}

#[derive(Clone)]
pub struct FakeCluster(Arc<Shared>);

impl FakeCluster {
    pub async fn new() -> Self {
        let store = kube_fake_client::ClientBuilder::new()
            .with_resource::<FinanceTracker>()
            .with_status_subresource::<FinanceTracker>()
            .with_resource::<ModelExperiment>()
            .with_status_subresource::<ModelExperiment>()
            .with_status_subresource::<Deployment>()
            .with_status_subresource::<StatefulSet>()
            .with_status_subresource::<Job>()
            .build()
            .await
            .expect("fake store");
        let (changes, _) = broadcast::channel(4096);
        Self(Arc::new(Shared {
            store,
            changes,
            requests: Mutex::new(Vec::new()),
            last: Mutex::new(HashMap::new()),
            terminating: Mutex::new(HashMap::new()),
            lease_reads: Mutex::new(None),
            newest: AtomicU64::new(0),
        }))
    }

    /// A client of this fake cluster, with `default` as its namespace.
    pub fn client(&self) -> kube::Client {
        kube::Client::new(self.clone(), "default")
    }

    /// Every write since the last [`FakeCluster::clear_calls`], leases excluded (their
    /// renewal is the leader's heartbeat, not work).
    pub fn writes(&self) -> Vec<Call> {
        self.requests()
            .into_iter()
            .filter(|w| w.method != "GET")
            .collect()
    }

    /// Every request but watches since the last [`FakeCluster::clear_calls`], leases
    /// excluded.
    pub fn requests(&self) -> Vec<Call> {
        self.0
            .requests
            .lock()
            .expect("lock")
            .iter()
            .filter(|w| !w.path.contains("/leases"))
            .cloned()
            .collect()
    }

    /// The next `readers` reads of a Lease answer only once all of them have arrived (or
    /// after 5 s): the interleaving in which replicas starting together all see the Lease
    /// unheld before any of them takes it.
    pub fn hold_lease_reads(&self, readers: usize) {
        *self.0.lease_reads.lock().expect("lock") =
            Some(Arc::new(tokio::sync::Barrier::new(readers)));
    }

    pub fn clear_calls(&self) {
        self.0.requests.lock().expect("lock").clear();
    }

    /// Serves the fake over HTTP on a free port, for a real operator process.
    pub async fn serve(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let cluster = self.clone();
        let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
            let cluster = cluster.clone();
            async move {
                let (parts, body) = request.into_parts();
                let bytes = axum::body::to_bytes(body, usize::MAX)
                    .await
                    .unwrap_or_default();
                let response = cluster
                    .handle(Request::from_parts(parts, Body::from(bytes)))
                    .await;
                response.map(axum::body::Body::new)
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        addr
    }

    /// A kubeconfig file for [`FakeCluster::serve`]'s address.
    pub fn kubeconfig(addr: SocketAddr, dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("kubeconfig");
        let config = format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: fake\n\
             clusters:\n- name: fake\n  cluster:\n    server: http://{addr}\n\
             users:\n- name: fake\n  user:\n    token: fake\n\
             contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\n    namespace: default\n"
        );
        std::fs::write(&path, config).expect("write kubeconfig");
        path
    }

    async fn handle(&self, request: Request<Body>) -> Response<ResponseBody> {
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or_default().to_owned();
        if method == Method::GET && path == "/version" {
            return json_response(
                StatusCode::OK,
                &json!({"major": "1", "minor": "35", "gitVersion": "v1.35.0-fake"}),
            );
        }
        if method == Method::GET && is_group_discovery(&path) {
            return status_response(
                StatusCode::NOT_FOUND,
                "the server could not find the requested resource",
            );
        }
        if method == Method::GET && has_param(&query, "watch", &["true", "1"]) {
            return self.watch(&path, &query).await;
        }
        let write = method != Method::GET;
        if !write && path.contains("/leases/") {
            let barrier = self.0.lease_reads.lock().expect("lock").clone();
            if let Some(barrier) = barrier {
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(5), barrier.wait()).await;
                *self.0.lease_reads.lock().expect("lock") = None;
            }
        }
        self.0.requests.lock().expect("lock").push(Call {
            method: method.to_string(),
            path: path.clone(),
        });
        if method == Method::DELETE
            && let Some(response) = self.delete_with_finalizers(&path).await
        {
            return response;
        }
        let request = if method == Method::PATCH {
            self.taking_ownership(request).await
        } else {
            request
        };
        let (status, body) = self.forward(request).await;
        if !write && status.is_success() {
            return raw_response(status, without_item_types(body));
        }
        if !write || !status.is_success() {
            return raw_response(status, body);
        }
        let Ok(mut object) = serde_json::from_slice::<Value>(&body) else {
            return raw_response(status, body);
        };
        let object_path = path.trim_end_matches("/status").to_owned();
        if method == Method::DELETE {
            self.0
                .terminating
                .lock()
                .expect("lock")
                .remove(&object_path);
            self.announce(&object_path, "DELETED", &object);
            return raw_response(status, body);
        }
        let terminating = self
            .0
            .terminating
            .lock()
            .expect("lock")
            .get(&object_path)
            .cloned();
        if let Some(since) = terminating {
            let finalizers = object["metadata"]["finalizers"]
                .as_array()
                .map_or(0, Vec::len);
            if finalizers == 0 {
                let _ = self.forward_delete(&object_path).await;
                self.0
                    .terminating
                    .lock()
                    .expect("lock")
                    .remove(&object_path);
                object["metadata"]["deletionTimestamp"] = json!(since);
                self.announce(&object_path, "DELETED", &object);
                return json_response(status, &object);
            }
            object["metadata"]["deletionTimestamp"] = json!(since);
        }
        let kind = if self.0.last.lock().expect("lock").contains_key(&object_path) {
            "MODIFIED"
        } else {
            "ADDED"
        };
        self.announce(&object_path, kind, &object);
        json_response(status, &object)
    }

    /// Deleting an object with finalizers marks it instead; `None` when it has none.
    async fn delete_with_finalizers(&self, path: &str) -> Option<Response<ResponseBody>> {
        let get = Request::get(path)
            .body(Body::from(Vec::new()))
            .expect("request");
        let (status, body) = self.forward(get).await;
        if !status.is_success() {
            return None;
        }
        let mut object: Value = serde_json::from_slice(&body).ok()?;
        let has_finalizers = object["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        if !has_finalizers {
            return None;
        }
        let since = k8s_openapi::jiff::Timestamp::now().to_string();
        let since = self
            .0
            .terminating
            .lock()
            .expect("lock")
            .entry(path.to_owned())
            .or_insert(since)
            .clone();
        object["metadata"]["deletionTimestamp"] = json!(since);
        self.announce(path, "MODIFIED", &object);
        Some(json_response(StatusCode::OK, &object))
    }

    /// A strategic or merge patch, with the object's `managedFields` added to it minus the
    /// fields the patch changes or removes (see the module's notes). Other requests as sent.
    async fn taking_ownership(&self, request: Request<Body>) -> Request<Body> {
        let is_apply = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/apply-patch"));
        let (parts, body) = request.into_parts();
        let bytes = body.collect_bytes().await.unwrap_or_default();
        let rebuilt = |bytes: Vec<u8>| Request::from_parts(parts.clone(), Body::from(bytes));
        if is_apply {
            return rebuilt(bytes.to_vec());
        }
        let Ok(mut patch) = serde_json::from_slice::<Value>(&bytes) else {
            return rebuilt(bytes.to_vec());
        };
        let get = Request::get(parts.uri.path())
            .body(Body::from(Vec::new()))
            .expect("request");
        let (status, current) = self.forward(get).await;
        let current: Value = serde_json::from_slice(&current).unwrap_or_default();
        let Some(entries) = current["metadata"]["managedFields"].as_array() else {
            return rebuilt(bytes.to_vec());
        };
        if !status.is_success() || !patch.is_object() {
            return rebuilt(bytes.to_vec());
        }
        let kept: Vec<Value> = entries
            .iter()
            .cloned()
            .filter_map(|mut entry| {
                release_fields(&mut entry["fieldsV1"], &patch, &current);
                let owns_any = entry["fieldsV1"].as_object().is_some_and(|f| !f.is_empty());
                owns_any.then_some(entry)
            })
            .collect();
        patch["metadata"]["managedFields"] = Value::Array(kept);
        rebuilt(patch.to_string().into_bytes())
    }

    async fn forward_delete(&self, path: &str) -> (StatusCode, Bytes) {
        let request = Request::delete(path)
            .body(Body::from(Vec::new()))
            .expect("request");
        self.forward(request).await
    }

    async fn forward(&self, request: Request<Body>) -> (StatusCode, Bytes) {
        match self.0.store.send(request).await {
            Ok(response) => {
                let status = response.status();
                let body = response
                    .into_body()
                    .collect_bytes()
                    .await
                    .unwrap_or_default();
                (status, self.annotated(body))
            }
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Bytes::from(
                    status_json(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()).to_string(),
                ),
            ),
        }
    }

    /// A store answer as an API server gives it: terminating objects carry their
    /// `deletionTimestamp`, and a list carries the resourceVersion it is current at (the
    /// store always says "1"), from which a watch resumes.
    fn annotated(&self, body: Bytes) -> Bytes {
        let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
            return body;
        };
        let terminating = self.0.terminating.lock().expect("lock").clone();
        let mut newest = 0;
        let mut mark = |object: &mut Value| {
            newest = newest.max(resource_version(object));
            if let Some(since) = object_path(object).and_then(|p| terminating.get(&p)) {
                object["metadata"]["deletionTimestamp"] = json!(since);
            }
        };
        let is_list = if let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) {
            items.iter_mut().for_each(&mut mark);
            true
        } else {
            mark(&mut value);
            false
        };
        let current = self
            .0
            .newest
            .fetch_max(newest, Ordering::SeqCst)
            .max(newest);
        if is_list {
            value["metadata"]["resourceVersion"] = json!(current.to_string());
        }
        Bytes::from(value.to_string())
    }

    fn announce(&self, object_path: &str, kind: &str, object: &Value) {
        let mut comparable = object.clone();
        if let Some(meta) = comparable
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
        {
            meta.remove("resourceVersion");
            meta.remove("managedFields");
        }
        {
            let mut last = self.0.last.lock().expect("lock");
            if kind == "DELETED" {
                last.remove(object_path);
            } else if last.get(object_path) == Some(&comparable) {
                return;
            } else {
                last.insert(object_path.to_owned(), comparable);
            }
        }
        let (collection, namespace) = collection_of(object_path);
        let _ = self.0.changes.send(Change {
            collection,
            namespace,
            event: json!({"type": kind, "object": object}),
        });
    }

    /// The current objects of the collection, then its live changes, as watch events.
    async fn watch(&self, path: &str, query: &str) -> Response<ResponseBody> {
        // Subscribed before the list, so nothing written in between is missed.
        let changes = self.0.changes.subscribe();
        let (collection, namespace) = collection_of(&format!("{path}/x"));
        let selector = param(query, "labelSelector").map(|s| urlencoding_decode(&s));
        let list = Request::get(path)
            .body(Body::from(Vec::new()))
            .expect("request");
        let (_, body) = self.forward(list).await;
        let current: Vec<Value> = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|v| v.get("items").cloned())
            .and_then(|items| serde_json::from_value(items).ok())
            .unwrap_or_default();
        let matches = {
            let selector = selector.clone();
            move |object: &Value| selector.as_deref().is_none_or(|s| labels_match(object, s))
        };
        // What changed after the version the watch starts from (as a real API server
        // would send it); a resumed watch gets only what it missed.
        let since: u64 = param(query, "resourceVersion")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let initial: Vec<Value> = current
            .into_iter()
            .filter(|o| resource_version(o) > since && matches(o))
            .map(|object| json!({"type": "ADDED", "object": object}))
            .collect();
        let live = stream::unfold(changes, move |mut rx| {
            let (collection, namespace, matches) =
                (collection.clone(), namespace.clone(), matches.clone());
            async move {
                loop {
                    match rx.recv().await {
                        Ok(change)
                            if change.collection == collection
                                && (namespace.is_empty() || namespace == change.namespace)
                                && matches(&change.event["object"]) =>
                        {
                            return Some((change.event, rx));
                        }
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            }
        });
        let events = stream::iter(initial).chain(live).map(|event| {
            let mut json = event.to_string();
            json.push('\n');
            Ok::<_, BoxError>(http_body::Frame::data(Bytes::from(json)))
        });
        Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/json")
            .body(BodyExt::boxed_unsync(StreamBody::new(events)))
            .expect("response")
    }
}

impl tower::Service<Request<Body>> for FakeCluster {
    type Response = Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let cluster = self.clone();
        Box::pin(async move { Ok(cluster.handle(request).await) })
    }
}

/// `/apis/apps/v1/namespaces/ns/deployments/name` → (`apis/apps/v1/deployments`, `ns`).
/// Removes from an ownership trie (`fieldsV1`: `{"f:spec": {"f:replicas": {}}}`) the fields
/// `patch` sets to something other than what `current` holds, or removes (null).
fn release_fields(fields: &mut Value, patch: &Value, current: &Value) {
    let (Some(owned), Some(patch)) = (fields.as_object_mut(), patch.as_object()) else {
        return;
    };
    for (key, wanted) in patch {
        if key == "managedFields" || key == "resourceVersion" {
            continue;
        }
        let field = format!("f:{key}");
        let have = current.get(key).unwrap_or(&Value::Null);
        match (wanted, owned.get_mut(&field)) {
            (Value::Object(_), Some(inner)) if have.is_object() => {
                let had_children = inner.as_object().is_some_and(|o| !o.is_empty());
                release_fields(inner, wanted, have);
                if had_children && inner.as_object().is_some_and(serde_json::Map::is_empty) {
                    owned.remove(&field);
                }
            }
            (_, Some(_)) if wanted != have => {
                owned.remove(&field);
            }
            _ => {}
        }
    }
}

fn collection_of(object_path: &str) -> (String, String) {
    let parts: Vec<&str> = object_path.trim_matches('/').split('/').collect();
    let version_end = if parts.first() == Some(&"api") { 2 } else { 3 };
    let mut collection: Vec<&str> = parts[..version_end.min(parts.len())].to_vec();
    let rest = &parts[version_end.min(parts.len())..];
    let (namespace, resource) = match rest {
        ["namespaces", ns, resource, ..] => (*ns, *resource),
        [resource, ..] => ("", *resource),
        [] => ("", ""),
    };
    collection.push(resource);
    (collection.join("/"), namespace.to_owned())
}

/// A list as a real API server sends it: its items carry no `apiVersion` and `kind` (a
/// client that compares a listed object with a built one must not trip over that).
fn without_item_types(body: Bytes) -> Bytes {
    let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) else {
        return body;
    };
    for item in items.iter_mut().filter_map(Value::as_object_mut) {
        item.remove("apiVersion");
        item.remove("kind");
    }
    Bytes::from(value.to_string())
}

fn resource_version(object: &Value) -> u64 {
    object["metadata"]["resourceVersion"]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The API path of an object from its JSON (for marking terminating objects in lists).
fn object_path(object: &Value) -> Option<String> {
    let api_version = object["apiVersion"].as_str()?;
    let kind = object["kind"].as_str()?;
    let name = object["metadata"]["name"].as_str()?;
    let namespace = object["metadata"]["namespace"].as_str()?;
    let prefix = if api_version.contains('/') {
        "apis"
    } else {
        "api"
    };
    let plural = kube::core::ApiResource::from_gvk(&kube::core::GroupVersionKind::gvk(
        api_version.split_once('/').map_or("", |(g, _)| g),
        api_version.rsplit('/').next().unwrap_or(api_version),
        kind,
    ))
    .plural;
    Some(format!(
        "/{prefix}/{api_version}/namespaces/{namespace}/{plural}/{name}"
    ))
}

fn is_group_discovery(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    parts.first() == Some(&"apis") && parts.len() == 3
}

fn has_param(query: &str, name: &str, values: &[&str]) -> bool {
    param(query, name).is_some_and(|v| values.contains(&v.as_str()))
}

fn param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn urlencoding_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 3 <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(byte) = hex {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Equality selectors only (`a=b,c=d`): all the operator uses.
fn labels_match(object: &Value, selector: &str) -> bool {
    selector.split(',').filter(|s| !s.is_empty()).all(|term| {
        let Some((key, value)) = term.split_once('=') else {
            return true;
        };
        object["metadata"]["labels"][key].as_str() == Some(value)
    })
}

fn json_response(status: StatusCode, value: &Value) -> Response<ResponseBody> {
    raw_response(status, Bytes::from(value.to_string()))
}

fn raw_response(status: StatusCode, body: Bytes) -> Response<ResponseBody> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(BodyExt::boxed_unsync(
            Full::new(body).map_err(|never| match never {}),
        ))
        .expect("response")
}

fn status_json(status: StatusCode, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message,
           "reason": status.canonical_reason(), "code": status.as_u16()})
}

fn status_response(status: StatusCode, message: &str) -> Response<ResponseBody> {
    json_response(status, &status_json(status, message))
}
