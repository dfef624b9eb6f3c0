//! A key-value store whose clients send Scheme scripts, like `EVAL` in a key-value server.
//! Scripts call `(kv "get" key)`, `(kv "set" key value)`, `(kv "incr" key)`, `(kv "del" key)`
//! and `(kv "keys")`; the store's own types cross the boundary through `FromValue` and
//! `IntoValue` implementations, and every script's result is sent back as a `Reply`.
//!
//! Run it with `cargo run -p seam --example kv_scripting`. (`cargo test` runs it too, from
//! `crates/seam/tests/kv_scripting.rs`, and it checks its own replies.)

use std::collections::BTreeMap;
use std::fmt;

use seam::{ConversionError, Convert, Ctx, Engine, Error, FromValue, IntoValue, ValueKind, ValueRef};

/// What the store holds under a key.
#[derive(Clone, Debug, PartialEq)]
enum Stored {
    Int(i64),
    Text(String),
    List(Vec<Stored>),
}

/// What the store answers.
#[derive(Clone, Debug, PartialEq)]
enum Reply {
    Nil,
    Ok,
    Value(Stored),
    Keys(Vec<String>),
    Error(String),
}

/// The store, kept in the engine as host state.
#[derive(Default)]
struct Store {
    entries: BTreeMap<String, Stored>,
}

/// Scheme integers, strings and lists of those are storable.
impl FromValue for Stored {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match cx.kind(v) {
            ValueKind::Integer => Ok(Stored::Int(i64::from_value(v, cx)?)),
            ValueKind::String => Ok(Stored::Text(String::from_value(v, cx)?)),
            ValueKind::Pair | ValueKind::Null | ValueKind::Vector => {
                Ok(Stored::List(Vec::from_value(v, cx)?))
            }
            _ => Err(cx.invalid_type("an integer, a string or a list of them", v)),
        }
    }
}

/// Stored values go back to Scheme as integers, strings and lists.
impl IntoValue for Stored {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        match self {
            Stored::Int(n) => n.into_value(cx),
            Stored::Text(s) => s.into_value(cx),
            Stored::List(items) => seam::List(items).into_value(cx),
        }
    }
}

/// Replies reach Scheme as `#f` (nil), the symbol `ok`, the value, or a list of keys.
impl IntoValue for Reply {
    fn into_value(self, cx: &mut Convert) -> Result<ValueRef, ConversionError> {
        match self {
            Reply::Nil => false.into_value(cx),
            Reply::Ok => Ok(cx.symbol("ok")),
            Reply::Value(v) => v.into_value(cx),
            Reply::Keys(keys) => seam::List(keys).into_value(cx),
            Reply::Error(message) => {
                let tag = cx.symbol("error");
                let message = message.into_value(cx)?;
                Ok(cx.list(&[tag, message]))
            }
        }
    }
}

/// A script's result becomes the reply sent to the client.
impl FromValue for Reply {
    fn from_value(v: ValueRef, cx: &mut Convert) -> Result<Self, ConversionError> {
        match cx.kind(v) {
            ValueKind::Boolean if !bool::from_value(v, cx)? => Ok(Reply::Nil),
            ValueKind::Symbol if cx.symbol_name(v).as_deref() == Some("ok") => Ok(Reply::Ok),
            ValueKind::Unspecified => Ok(Reply::Nil),
            _ => Stored::from_value(v, cx).map(Reply::Value),
        }
    }
}

/// Errors the store raises into scripts (they can `guard` them).
#[derive(Debug)]
enum StoreError {
    NotAnInteger(String),
    UnknownCommand(String),
    MissingArgument(&'static str),
    NoStore,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotAnInteger(key) => write!(f, "ERR value of {key} is not an integer"),
            StoreError::UnknownCommand(c) => write!(f, "ERR unknown command {c}"),
            StoreError::MissingArgument(c) => write!(f, "ERR {c} needs more arguments"),
            StoreError::NoStore => write!(f, "ERR the store is not installed"),
        }
    }
}

impl std::error::Error for StoreError {}

/// `(kv command key [value])`.
fn kv(
    ctx: &mut Ctx,
    command: String,
    key: Option<String>,
    value: Option<Stored>,
) -> Result<Reply, StoreError> {
    let store = ctx.state_mut::<Store>().ok_or(StoreError::NoStore)?;
    let key_arg = |c: &'static str| key.clone().ok_or(StoreError::MissingArgument(c));
    match command.as_str() {
        "get" => Ok(store.entries.get(&key_arg("get")?).cloned().map_or(Reply::Nil, Reply::Value)),
        "set" => {
            let value = value.ok_or(StoreError::MissingArgument("set"))?;
            store.entries.insert(key_arg("set")?, value);
            Ok(Reply::Ok)
        }
        "incr" => {
            let key = key_arg("incr")?;
            let entry = store.entries.entry(key.clone()).or_insert(Stored::Int(0));
            match entry {
                Stored::Int(n) => {
                    *n += 1;
                    Ok(Reply::Value(Stored::Int(*n)))
                }
                _ => Err(StoreError::NotAnInteger(key)),
            }
        }
        "del" => Ok(store.entries.remove(&key_arg("del")?).map_or(Reply::Nil, |_| Reply::Ok)),
        "keys" => Ok(Reply::Keys(store.entries.keys().cloned().collect())),
        other => Err(StoreError::UnknownCommand(other.to_string())),
    }
}

/// The server: one engine, one store; each request is a script.
struct Server {
    engine: Engine,
}

impl Server {
    fn new() -> Server {
        let mut engine = Engine::new();
        engine.set_state(Store::default());
        engine.define_fn("kv", kv);
        Server { engine }
    }

    /// Runs a client's script and turns its result (or its error) into a reply.
    fn eval(&mut self, script: &str) -> Reply {
        match self.engine.eval::<Reply>(script) {
            Ok(reply) => reply,
            Err(e) => Reply::Error(error_line(&e)),
        }
    }
}

fn error_line(e: &Error) -> String {
    // The store's own message if a kv command failed, else the Scheme error.
    let mut cause: Option<&dyn std::error::Error> = Some(e);
    while let Some(c) = cause {
        if let Some(store_error) = c.downcast_ref::<StoreError>() {
            return store_error.to_string();
        }
        cause = c.source();
    }
    format!("ERR {}", e.message())
}

pub fn main() {
    let mut server = Server::new();
    let requests: [(&str, Reply); 9] = [
        (r#"(kv "set" "greeting" "hello")"#, Reply::Ok),
        (r#"(kv "get" "greeting")"#, Reply::Value(Stored::Text("hello".into()))),
        (r#"(kv "incr" "visits") (kv "incr" "visits") (kv "incr" "visits")"#, Reply::Value(Stored::Int(3))),
        // A script with logic: store the squares of 1..5 as a list, return their sum.
        (
            r#"(define squares (map (lambda (i) (* i i)) '(1 2 3 4 5)))
               (kv "set" "squares" squares)
               (apply + (kv "get" "squares"))"#,
            Reply::Value(Stored::Int(55)),
        ),
        (r#"(kv "get" "nothing")"#, Reply::Nil),
        (r#"(kv "incr" "greeting")"#, Reply::Error("ERR value of greeting is not an integer".into())),
        // Scripts can catch the store's errors themselves.
        (
            r#"(guard (e ((error-object? e) "recovered")) (kv "frobnicate" "x"))"#,
            Reply::Value(Stored::Text("recovered".into())),
        ),
        (
            r#"(kv "set" "bad" 'symbol)"#,
            Reply::Error(
                "ERR error in kv (arity 1 to 3) called with (\"set\" \"bad\" symbol): argument 3: \
             expected an integer, a string or a list of them, got symbol symbol"
                    .into(),
            ),
        ),
        // `keys` answers a Scheme list of strings, which comes back as a stored list.
        (
            r#"(kv "keys")"#,
            Reply::Value(Stored::List(
                ["greeting", "squares", "visits"].map(|k| Stored::Text(k.into())).to_vec(),
            )),
        ),
    ];
    for (script, expected) in requests {
        let reply = server.eval(script);
        println!("> {}\n{reply:?}", script.split_whitespace().collect::<Vec<_>>().join(" "));
        assert_eq!(reply, expected, "script {script}");
    }
}
