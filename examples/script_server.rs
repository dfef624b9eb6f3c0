//! An HTTP server whose request handler runs a Scheme script per request (axum on
//! 127.0.0.1). `POST /run` with a Scheme program as the body; the reply is the program's
//! last value as `write` shows it. Scripts await host I/O — `(kv-get key)` reads a shared
//! store after a simulated network delay, `(sleep seconds)` uses tokio's timer — and run
//! concurrent tasks with `spawn`/`await`. Many requests are in flight at once: each has
//! its own engine, and a script waiting for I/O holds no thread.
//!
//! Run it with `cargo run -p seam --example script_server`, then for example:
//! `curl -d '(string-append (kv-get "greeting") ", world")' http://127.0.0.1:3000/run`

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use seam::Engine;

/// What the request handlers share: the store and counters of scripts in flight.
#[derive(Clone, Default)]
pub struct Shared {
    pub store: Arc<Mutex<HashMap<String, String>>>,
    pub in_flight: Arc<AtomicUsize>,
    pub most_in_flight: Arc<AtomicUsize>,
}

/// An engine for one request, with the host I/O functions scripts may await.
fn engine_for(shared: &Shared) -> Engine {
    let mut engine = Engine::new();
    let store = shared.store.clone();
    engine.define_async_fn("kv-get", move |key: String| {
        let store = store.clone();
        async move {
            // The store is "remote": every read takes a moment.
            tokio::time::sleep(Duration::from_millis(20)).await;
            store.lock().ok().and_then(|s| s.get(&key).cloned())
        }
    });
    let store = shared.store.clone();
    engine.define_fn("kv-set!", move |key: String, value: String| {
        if let Ok(mut s) = store.lock() {
            s.insert(key, value);
        }
    });
    engine
}

/// Runs one request's script; the reply is its value (200) or its error (422).
async fn run_script(State(shared): State<Shared>, script: String) -> (StatusCode, String) {
    let running = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.most_in_flight.fetch_max(running, Ordering::SeqCst);
    let mut engine = engine_for(&shared);
    let reply = match engine.eval_async::<seam::Value>(&script).await {
        Ok(value) => (StatusCode::OK, engine.write(&value)),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, format!("{e}")),
    };
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    reply
}

/// Serves scripts on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, shared: Shared) -> std::io::Result<()> {
    let app = Router::new().route("/run", post(run_script)).with_state(shared);
    axum::serve(listener, app).await
}

pub fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return eprintln!("script_server: cannot start tokio: {e}"),
    };
    runtime.block_on(async {
        let address = SocketAddr::from(([127, 0, 0, 1], 3000));
        let listener = match tokio::net::TcpListener::bind(address).await {
            Ok(l) => l,
            Err(e) => return eprintln!("script_server: cannot listen on {address}: {e}"),
        };
        let shared = Shared::default();
        if let Ok(mut store) = shared.store.lock() {
            store.insert("greeting".into(), "hello".into());
        }
        println!("script_server: POST Scheme to http://{address}/run");
        if let Err(e) = serve(listener, shared).await {
            eprintln!("script_server: {e}");
        }
    });
}
