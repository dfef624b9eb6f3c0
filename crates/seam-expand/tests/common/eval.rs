//! A tiny test-only evaluator of core forms, with just enough primitives to check that
//! expansions mean what they should (hygiene, derived forms, quasiquote).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use seam_expand::{Expr, ExprKind, Lambda};
use seam_syntax::{Datum, DatumKind, Number};

#[derive(Clone, Debug)]
pub enum V {
    Unspecified,
    Bool(bool),
    Int(i64),
    Sym(String),
    Str(String),
    Char(char),
    Nil,
    Pair(Rc<(V, V)>),
    Vector(Rc<Vec<V>>),
    Closure(Rc<Vec<Lambda>>, Env),
    Prim(String),
    Values(Vec<V>),
}

type Env = Option<Rc<Node>>;

#[derive(Debug)]
pub struct Node {
    id: u32,
    cell: Rc<RefCell<V>>,
    next: Env,
}

fn extend(env: &Env, id: u32, value: V) -> Env {
    Some(Rc::new(Node { id, cell: Rc::new(RefCell::new(value)), next: env.clone() }))
}

fn lookup(env: &Env, id: u32) -> Result<Rc<RefCell<V>>, String> {
    let mut node = env;
    while let Some(n) = node {
        if n.id == id {
            return Ok(n.cell.clone());
        }
        node = &n.next;
    }
    Err(format!("unbound local {id}"))
}

pub fn from_datum(d: &Datum) -> V {
    match &d.kind {
        DatumKind::Bool(b) => V::Bool(*b),
        DatumKind::Number(Number::Fixnum(n)) => V::Int(*n),
        DatumKind::Number(_) => V::Sym("<number>".into()),
        DatumKind::Char(c) => V::Char(*c),
        DatumKind::String(s) => V::Str(s.clone()),
        DatumKind::Symbol(s) => V::Sym(s.clone()),
        DatumKind::Vector(items) => V::Vector(Rc::new(items.iter().map(from_datum).collect())),
        DatumKind::List(items, tail) => {
            let mut out = tail.as_ref().map_or(V::Nil, |t| from_datum(t));
            for item in items.iter().rev() {
                out = V::Pair(Rc::new((from_datum(item), out)));
            }
            out
        }
        _ => V::Sym("<other>".into()),
    }
}

pub fn write(v: &V) -> String {
    match v {
        V::Unspecified => "#!unspecified".into(),
        V::Bool(b) => if *b { "#t" } else { "#f" }.into(),
        V::Int(n) => n.to_string(),
        V::Sym(s) => s.clone(),
        V::Str(s) => format!("{s:?}"),
        V::Char(c) => format!("#\\{c}"),
        V::Nil => "()".into(),
        V::Pair(_) => {
            let mut parts = Vec::new();
            let mut cur = v.clone();
            loop {
                match cur {
                    V::Pair(p) => {
                        parts.push(write(&p.0));
                        cur = p.1.clone();
                    }
                    V::Nil => break,
                    other => {
                        parts.push(".".into());
                        parts.push(write(&other));
                        break;
                    }
                }
            }
            format!("({})", parts.join(" "))
        }
        V::Vector(items) => format!("#({})", items.iter().map(write).collect::<Vec<_>>().join(" ")),
        V::Closure(..) | V::Prim(_) => "#<procedure>".into(),
        V::Values(vs) => vs.iter().map(write).collect::<Vec<_>>().join(" "),
    }
}

fn list_to_vec(v: &V) -> Result<Vec<V>, String> {
    let mut out = Vec::new();
    let mut cur = v.clone();
    loop {
        match cur {
            V::Pair(p) => {
                out.push(p.0.clone());
                cur = p.1.clone();
            }
            V::Nil => return Ok(out),
            other => return Err(format!("not a list: {}", write(&other))),
        }
    }
}

fn vec_to_list(items: Vec<V>, tail: V) -> V {
    items.into_iter().rev().fold(tail, |acc, x| V::Pair(Rc::new((x, acc))))
}

fn eqv(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Int(x), V::Int(y)) => x == y,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Sym(x), V::Sym(y)) => x == y,
        (V::Char(x), V::Char(y)) => x == y,
        (V::Nil, V::Nil) | (V::Unspecified, V::Unspecified) => true,
        (V::Pair(x), V::Pair(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

const PRIMS: &[&str] = &[
    "+",
    "-",
    "*",
    "=",
    "<",
    "list",
    "cons",
    "car",
    "cdr",
    "null?",
    "not",
    "eq?",
    "eqv?",
    "vector",
    "symbol?",
    "%cons",
    "%list",
    "%append",
    "%list->vector",
    "%memv",
    "%eqv?",
    "%call-with-values",
    "%values",
    "values",
    "call-with-values",
];

#[derive(Default)]
pub struct Machine {
    pub globals: HashMap<String, V>,
}

impl Machine {
    pub fn eval(&mut self, e: &Expr, env: &Env) -> Result<V, String> {
        Ok(match &e.kind {
            ExprKind::Const(d) => from_datum(d),
            ExprKind::Unspecified => V::Unspecified,
            ExprKind::Local(v) => lookup(env, v.id)?.borrow().clone(),
            ExprKind::Global(name) => match self.globals.get(&*name.name) {
                Some(v) => v.clone(),
                None if PRIMS.contains(&&*name.name) => V::Prim(name.to_string()),
                None => return Err(format!("unbound variable {name}")),
            },
            ExprKind::SetLocal(v, x) => {
                let value = self.eval(x, env)?;
                *lookup(env, v.id)?.borrow_mut() = value;
                V::Unspecified
            }
            ExprKind::SetGlobal(n, x) | ExprKind::DefineGlobal(n, x) => {
                let value = self.eval(x, env)?;
                if matches!(e.kind, ExprKind::SetGlobal(..)) && !self.globals.contains_key(&*n.name) {
                    return Err(format!("set! of unbound {n}"));
                }
                self.globals.insert(n.to_string(), value);
                V::Unspecified
            }
            ExprKind::If(a, b, c) => match self.eval(a, env)? {
                V::Bool(false) => self.eval(c, env)?,
                _ => self.eval(b, env)?,
            },
            ExprKind::Lambda(l) => V::Closure(Rc::new(vec![(**l).clone()]), env.clone()),
            ExprKind::CaseLambda(ls) => V::Closure(Rc::new(ls.clone()), env.clone()),
            ExprKind::Seq(xs) => {
                let mut last = V::Unspecified;
                for x in xs {
                    last = self.eval(x, env)?;
                }
                last
            }
            ExprKind::Call(f, xs) => {
                let f = self.eval(f, env)?;
                let args = xs.iter().map(|x| self.eval(x, env)).collect::<Result<Vec<_>, _>>()?;
                self.apply(&f, args)?
            }
            ExprKind::Let(bindings, body) => {
                let mut inner = env.clone();
                for (v, x) in bindings {
                    let value = self.eval(x, env)?;
                    inner = extend(&inner, v.id, value);
                }
                self.eval(body, &inner)?
            }
            ExprKind::Letrec(bindings, body) => {
                let mut inner = env.clone();
                for (v, _) in bindings {
                    inner = extend(&inner, v.id, V::Unspecified);
                }
                for (v, x) in bindings {
                    let value = self.eval(x, &inner)?;
                    *lookup(&inner, v.id)?.borrow_mut() = value;
                }
                self.eval(body, &inner)?
            }
        })
    }

    pub fn apply(&mut self, f: &V, args: Vec<V>) -> Result<V, String> {
        match f {
            V::Closure(clauses, env) => {
                for l in clauses.iter() {
                    let n = l.params.len();
                    if args.len() < n || (l.rest.is_none() && args.len() != n) {
                        continue;
                    }
                    let mut inner = env.clone();
                    for (p, a) in l.params.iter().zip(&args) {
                        inner = extend(&inner, p.id, a.clone());
                    }
                    if let Some(r) = &l.rest {
                        inner = extend(&inner, r.id, vec_to_list(args[n..].to_vec(), V::Nil));
                    }
                    return self.eval(&l.body, &inner);
                }
                Err(format!("arity mismatch: {} args", args.len()))
            }
            V::Prim(name) => self.prim(name, args),
            other => Err(format!("not a procedure: {}", write(other))),
        }
    }

    fn prim(&mut self, name: &str, args: Vec<V>) -> Result<V, String> {
        let int = |v: &V| match v {
            V::Int(n) => Ok(*n),
            other => Err(format!("not an integer: {}", write(other))),
        };
        Ok(match name {
            "+" => V::Int(args.iter().map(int).sum::<Result<i64, _>>()?),
            "*" => V::Int(args.iter().map(int).product::<Result<i64, _>>()?),
            "-" => match args.as_slice() {
                [x] => V::Int(-int(x)?),
                [x, rest @ ..] => V::Int(int(x)? - rest.iter().map(int).sum::<Result<i64, _>>()?),
                _ => return Err("-: arity".into()),
            },
            "=" => V::Bool(int(&args[0])? == int(&args[1])?),
            "<" => V::Bool(int(&args[0])? < int(&args[1])?),
            "list" | "%list" => vec_to_list(args, V::Nil),
            "cons" | "%cons" => V::Pair(Rc::new((args[0].clone(), args[1].clone()))),
            "car" => match &args[0] {
                V::Pair(p) => p.0.clone(),
                _ => return Err("car".into()),
            },
            "cdr" => match &args[0] {
                V::Pair(p) => p.1.clone(),
                _ => return Err("cdr".into()),
            },
            "null?" => V::Bool(matches!(args[0], V::Nil)),
            "symbol?" => V::Bool(matches!(args[0], V::Sym(_))),
            "not" => V::Bool(matches!(args[0], V::Bool(false))),
            "eq?" | "eqv?" | "%eqv?" => V::Bool(eqv(&args[0], &args[1])),
            "vector" => V::Vector(Rc::new(args)),
            "%list->vector" => V::Vector(Rc::new(list_to_vec(&args[0])?)),
            "%append" => {
                let Some((last, init)) = args.split_last() else { return Ok(V::Nil) };
                let mut items = Vec::new();
                for a in init {
                    items.extend(list_to_vec(a)?);
                }
                vec_to_list(items, last.clone())
            }
            "%memv" => {
                let mut cur = args[1].clone();
                loop {
                    match cur {
                        V::Pair(ref p) if eqv(&p.0, &args[0]) => break cur.clone(),
                        V::Pair(p) => cur = p.1.clone(),
                        _ => break V::Bool(false),
                    }
                }
            }
            "values" | "%values" => match args.len() {
                1 => args[0].clone(),
                _ => V::Values(args),
            },
            "call-with-values" | "%call-with-values" => {
                let produced = self.apply(&args[0], Vec::new())?;
                let values = match produced {
                    V::Values(vs) => vs,
                    v => vec![v],
                };
                self.apply(&args[1], values)?
            }
            _ => return Err(format!("unknown primitive {name}")),
        })
    }
}
