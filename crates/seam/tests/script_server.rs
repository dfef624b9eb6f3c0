//! Starts `examples/script_server.rs` on an ephemeral loopback port and sends it scripts,
//! many at once: each request's script awaits host I/O, and the requests overlap.

#[path = "../../../examples/script_server.rs"]
#[allow(dead_code)]
mod example;

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends `script` as `POST /run` and returns the status code and body.
async fn post(address: std::net::SocketAddr, script: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let request = format!(
        "POST /run HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{script}",
        script.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripts_run_per_request_and_overlap() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let shared = example::Shared::default();
    shared.store.lock().expect("store").insert("greeting".into(), "hello".into());
    tokio::spawn(example::serve(listener, shared.clone()));

    assert_eq!(
        post(address, "(string-append (kv-get \"greeting\") \", world\")").await,
        (200, "\"hello, world\"".into())
    );
    assert_eq!(post(address, "(kv-set! \"n\" \"1\") (kv-get \"n\")").await, (200, "\"1\"".into()));
    // Scripts use tasks: two reads in flight at once within one request.
    let (status, body) = post(
        address,
        "(define a (spawn (lambda () (kv-get \"greeting\"))))
         (define b (spawn (lambda () (kv-get \"n\"))))
         (list (await a) (await b))",
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "(\"hello\" \"1\")"));
    // A failing script gets its error, with the place.
    let (status, body) = post(address, "(car (kv-get \"missing\"))").await;
    assert_eq!(status, 422);
    assert!(body.contains("<eval>:1:1: car: argument 1: expected pair, got #f"), "{body}");

    // Twenty requests at once, each sleeping 100 ms and reading the store: they overlap
    // (the server counts the scripts in flight), each within a bounded time.
    let requests: Vec<_> = (0..20)
        .map(|i| {
            tokio::spawn(async move {
                post(address, &format!("(sleep 0.1) (string-append (kv-get \"greeting\") \" {i}\")")).await
            })
        })
        .collect();
    for (i, request) in requests.into_iter().enumerate() {
        let (status, body) =
            tokio::time::timeout(Duration::from_secs(20), request).await.expect("in time").expect("joined");
        assert_eq!((status, body), (200, format!("\"hello {i}\"")));
    }
    assert!(shared.most_in_flight.load(Ordering::SeqCst) >= 2, "requests overlapped");
}
