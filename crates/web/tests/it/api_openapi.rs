//! Health, bodies and the OpenAPI document, checked against the routes the API router really
//! has (read from its source).

use serde_json::json;

use crate::common::servers;

#[tokio::test]
async fn health_bodies_and_openapi() {
    for s in servers().await {
        let (status, h) = s.get("/health", None).await;
        assert_eq!((status, h["status"].as_str()), (200, Some("ok")));
        assert!(h["version"].is_string());
        let (_, bodies) = s.get("/bodies", None).await;
        let unit = bodies
            .as_array()
            .expect("list")
            .iter()
            .find(|b| b["slug"] == "kab-a-dinkes")
            .expect("unit listed")
            .clone();
        assert_eq!(
            unit,
            json!({"slug": "kab-a-dinkes", "name": "Badan kab-a-dinkes", "parent": "kab-a", "kind": "unit"})
        );
        let (status, doc) = s.get("/openapi.json", None).await;
        assert_eq!(status, 200);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(s.get("/no-such-thing", None).await.0, 404);
    }
}

/// The `(METHOD, path)` pairs of the API router, read from its source (`api_router` in
/// `web/src/lib.rs`), so that a route added there without its OpenAPI entry fails below.
fn routed_operations() -> Vec<(String, String)> {
    let src = include_str!("../../src/lib.rs");
    let start = src.find("fn api_router()").expect("api_router in lib.rs");
    let body = &src[start..];
    let body = &body[..body.find("\n}\n").expect("end of api_router")];
    let mut out = Vec::new();
    for (path, handlers) in crate::common::routes_in(body) {
        if path.contains("{*") {
            continue; // the API's own 404 for every other path
        }
        for method in ["get", "post", "put", "delete", "patch"] {
            let called = handlers
                .match_indices(&format!("{method}("))
                .any(|(i, _)| i == 0 || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric());
            if called {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_route_is_documented_and_every_documented_path_is_routed() {
    let mut documented = lentera_web::openapi::operations();
    documented.sort();
    let routed = routed_operations();
    assert!(routed.len() >= 50, "routes read: {routed:?}");
    assert_eq!(documented, routed);
}

/// The source reading above is the router's truth only if the router answers each of them:
/// every documented operation reaches a handler (not the API's fallback 404, not a 405).
#[tokio::test]
async fn every_documented_operation_reaches_a_handler() {
    let s = &servers().await[0];
    let http = reqwest::Client::new();
    for (method, path) in lentera_web::openapi::operations() {
        let url = format!(
            "{}{}",
            s.base.trim_end_matches("/api/v1"),
            path.replace("{number}", "0001-PPID-X-01-2026")
                .replace("{id}", "0190d4a2-6f1e-7000-8000-000000000001")
                .replace("{action}", "withdraw")
                .replace("{step}", "answer")
        );
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let r = http
            .request(m, &url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        assert_ne!(status, 405, "{method} {path}: not routed for this method");
        assert!(
            !(status == 404 && text.contains("\"not_found\"")),
            "{method} {path}: fell through to the API's fallback: {text}"
        );
    }
}
