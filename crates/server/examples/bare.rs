//! The yardstick of `bench/public-pages.sh`: a bare axum server on the same runtime as Lentera
//! that answers `GET /NAME` with the bytes of the file `DIR/NAME` as `text/html`, read once at
//! start. A Lentera page measured in the same run against this server answering a copy of that
//! page gives a ratio that does not drift with the machine's load from one day to the next.
//!
//! `cargo run --release --example bare -- 127.0.0.1:18300 DIR`

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

type Pages = Arc<HashMap<String, bytes::Bytes>>;

async fn page(State(pages): State<Pages>, Path(name): Path<String>) -> Response {
    match pages.get(&name) {
        Some(b) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            b.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:18300".into());
    let mut pages = HashMap::new();
    if let Some(dir) = args.next() {
        for f in std::fs::read_dir(dir)? {
            let f = f?;
            pages.insert(
                f.file_name().to_string_lossy().into_owned(),
                bytes::Bytes::from(std::fs::read(f.path())?),
            );
        }
    }
    let app = Router::new()
        .route("/{name}", axum::routing::get(page))
        .with_state(Arc::new(pages));
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
