//! The exact API calls of the apply step, and what its errors say, against a mock API
//! server that answers each request as the test tells it.

use http::{Request, Response};
use k8s_openapi::api::apps::v1::Deployment;
use kube::client::Body;
use operator::apply;
use operator::child::{Child, Kind};
use operator::finance_tracker::names::MANAGER;
use serde_json::{Value, json};
use tower_test::mock;

fn mock_client() -> (kube::Client, mock::Handle<Request<Body>, Response<Body>>) {
    let (service, handle) = mock::pair::<Request<Body>, Response<Body>>();
    (kube::Client::new(service, "default"), handle)
}

fn web_deployment() -> Child {
    let mut deployment = Deployment::default();
    deployment.metadata.name = Some("home-web".to_owned());
    deployment.metadata.namespace = Some("money".to_owned());
    Child::new(&deployment)
}

fn respond(status: u16, body: &Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string().into_bytes()))
        .expect("response")
}

fn api_status(code: u16, reason: &str, message: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code,
           "reason": reason, "message": message})
}

async fn body_json(request: Request<Body>) -> Value {
    let bytes = request.into_body().collect_bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("JSON body")
}

#[tokio::test]
async fn a_child_is_applied_by_one_forced_server_side_apply_as_the_operator() {
    let (client, mut handle) = mock_client();
    let child = web_deployment();
    let sent = child.object.clone();
    let apply = tokio::spawn(async move { apply::apply(&client, "money", MANAGER, &child).await });

    let (request, reply) = handle.next_request().await.expect("a request");
    assert_eq!(request.method(), http::Method::PATCH);
    assert_eq!(
        request.uri().path(),
        "/apis/apps/v1/namespaces/money/deployments/home-web"
    );
    let query = request.uri().query().unwrap_or_default().to_owned();
    assert!(
        query.contains("fieldManager=financetracker-operator"),
        "{query}"
    );
    assert!(query.contains("force=true"), "{query}");
    assert_eq!(
        request
            .headers()
            .get("content-type")
            .map(|v| v.to_str().expect("ascii")),
        Some("application/apply-patch+yaml")
    );
    assert_eq!(body_json(request).await, sent, "the whole object, as built");
    reply.send_response(respond(200, &sent));

    let applied = apply.await.expect("task").expect("applied");
    assert_eq!(applied.metadata.name.as_deref(), Some("home-web"));
}

#[tokio::test]
async fn a_refused_apply_names_the_object_and_the_servers_reason() {
    for (code, reason, label) in [
        (409, "Conflict", "conflict"),
        (422, "Invalid", "invalid"),
        (403, "Forbidden", "forbidden"),
        (500, "InternalError", "api"),
    ] {
        let (client, mut handle) = mock_client();
        let child = web_deployment();
        let apply =
            tokio::spawn(async move { apply::apply(&client, "money", MANAGER, &child).await });
        let (_, reply) = handle.next_request().await.expect("a request");
        let message = format!("deployments.apps \"home-web\" is {reason}: spec.replicas: bad");
        reply.send_response(respond(code, &api_status(code, reason, &message)));
        let error = apply.await.expect("task").expect_err("refused");
        let said = error.to_string();
        assert!(said.starts_with("apply Deployment home-web: "), "{said}");
        assert!(said.contains("spec.replicas: bad"), "{said}");
        assert_eq!(error.metric_label(), label, "{code}");
    }
}

#[tokio::test]
async fn deleting_a_child_cascades_in_the_background_and_a_missing_one_is_fine() {
    let (client, mut handle) = mock_client();
    let delete = tokio::spawn({
        let client = client.clone();
        async move { apply::delete(&client, Kind::StatefulSet, "money", "home-redis").await }
    });
    let (request, reply) = handle.next_request().await.expect("a request");
    assert_eq!(request.method(), http::Method::DELETE);
    assert_eq!(
        request.uri().path(),
        "/apis/apps/v1/namespaces/money/statefulsets/home-redis"
    );
    let body = body_json(request).await;
    assert_eq!(body["propagationPolicy"], "Background");
    reply.send_response(respond(
        404,
        &api_status(
            404,
            "NotFound",
            "statefulsets.apps \"home-redis\" not found",
        ),
    ));
    delete
        .await
        .expect("task")
        .expect("already gone counts as deleted");

    let delete = tokio::spawn(async move {
        apply::delete(&client, Kind::StatefulSet, "money", "home-redis").await
    });
    let (_, reply) = handle.next_request().await.expect("a request");
    reply.send_response(respond(
        500,
        &api_status(500, "InternalError", "etcd is down"),
    ));
    let error = delete
        .await
        .expect("task")
        .expect_err("a real failure is an error");
    assert!(
        error
            .to_string()
            .starts_with("delete StatefulSet home-redis: "),
        "{error}"
    );
}
